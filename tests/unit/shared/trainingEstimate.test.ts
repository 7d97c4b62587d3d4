import { describe, expect, it } from 'vitest';
import { defaultForm, samplesProblem } from '../../../src-renderer/state/trainingForm';
import { describePlan, documentNetworkKey, isFirstStartRun, startsAtOnce, type PlanInput } from '../../../src-renderer/state/trainingPlan';
import type { BackendProbe } from '../../../src-shared/api';
import { getTemplate } from '../../../src-shared/templates';
import type { RunSummary } from '../../../src-shared/runs/run';
import { estimateRun, formatDuration, networkKey, speedsFromRuns, trainSamplesPerEpoch, type PlannedRun, type SpeedMeasurement } from '../../../src-shared/training/estimate';

const lenet = networkKey('lenet5', 12);
const resnet = networkKey('resnet18-course', 60);
const speed = (over: Partial<SpeedMeasurement>): SpeedMeasurement => ({ backend: 'wasm', network: lenet, dataset: 'mnist', batchSize: 16, samplesPerSecond: 1000, at: '2025-01-01T00:00:00Z', ...over });
const plan: PlannedRun = { backend: 'wasm', network: lenet, dataset: 'mnist', batchSize: 16, trainSamples: 54_000, epochs: 2 };

describe("estimateRun: samples × epochs over the closest speed the network measured on the same backend", () => {
  it.each<[string, SpeedMeasurement[], number | null]>([
    ['nothing measured yet', [], null],
    ['measured on another backend only', [speed({ backend: 'cpu' })], null],
    ['a run that measured nothing (0 samples/s)', [speed({ samplesPerSecond: 0 })], null],
    ['the same network', [speed({})], 108],
    ['the same network before another one', [speed({ network: resnet, samplesPerSecond: 100 }), speed({ samplesPerSecond: 2000 })], 54],
    ['another network only: no guide', [speed({ network: resnet, samplesPerSecond: 100 })], null],
    ['another dataset only: still this network', [speed({ dataset: 'fashion-mnist', samplesPerSecond: 500 })], 216],
    ['the same dataset before another one', [speed({ dataset: 'fashion-mnist', samplesPerSecond: 500 }), speed({ samplesPerSecond: 2000 })], 54],
    ['the same batch size before another one', [speed({ batchSize: 256, samplesPerSecond: 4000 }), speed({ samplesPerSecond: 1000 })], 108],
    ['the newest of equal matches', [speed({ at: '2025-03-01T00:00:00Z', samplesPerSecond: 2000 }), speed({ at: '2025-02-01T00:00:00Z' })], 54],
    ['on the pinned backend, not the others', [speed({ backend: 'cpu', samplesPerSecond: 5 }), speed({ samplesPerSecond: 500 })], 216],
  ])('%s', (_case, speeds, expected) => {
    const estimate = estimateRun(plan, speeds);
    expect(estimate?.seconds ?? null).toBe(expected);
  });
});

describe('trainSamplesPerEpoch: the limit (or the whole set) less the validation split', () => {
  it.each<[number, number | null, number, number, boolean]>([
    [60_000, null, 0.1, 54_000, false],
    [60_000, 1000, 0.1, 900, false],
    [60_000, 1000, 0, 1000, false],
    [60_000, 100_000, 0, 60_000, false],
    [60_000, 7, 0.1, 7, false],
    [60_000, 15, 0.1, 14, false],
    [2000, 5000, 0, 5000, true],
    [2000, null, 0.1, 1800, true],
  ])('%i samples, limit %s, split %f: %i (generated: %s)', (total, limit, split, expected, generated) => {
    expect(trainSamplesPerEpoch(total, limit, split, generated)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [3, 'under 10 s'],
    [12, 'about 10 s'],
    [44, 'about 45 s'],
    [58, 'about 1 min'],
    [150, 'about 3 min'],
    [3599, 'about 1 h'],
    [4800, 'about 1 h 20 min'],
  ])('%f s reads "%s"', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('speedsFromRuns', () => {
  it('takes the last epoch of runs that trained on a backend, and skips the rest', () => {
    const run = (over: Partial<RunSummary>): RunSummary => ({ template: 'lenet5', layers: 12, backend: { backend: 'wasm' }, config: { dataset: { kind: 'mnist' }, batchSize: 16 }, createdAt: '2025-01-01T00:00:00Z', last: { samplesPerSecond: 900 }, ...over }) as RunSummary;
    expect(speedsFromRuns([run({}), run({ backend: null }), run({ last: null })])).toEqual([speed({ samplesPerSecond: 900 })]);
  });
});

describe('samplesProblem: the Samples field against the config schema', () => {
  it.each<[number | null, boolean]>([
    [null, false],
    [1, false],
    [1000, false],
    [10_000_000, false],
    [0, true],
    [-5, true],
    [1.5, true],
    [10_000_001, true],
  ])('%s is refused: %s', (limit, refused) => {
    const problem = samplesProblem(limit);
    expect(problem !== null).toBe(refused);
    if (problem) expect(problem).toMatch(/whole number from 1 to 10,000,000, or leave it empty/);
  });
});

describe('describePlan: what the panel says before a run', () => {
  const document = getTemplate('lenet5')!.build();
  const wasm: BackendProbe = { id: 'wasm', label: 'WebAssembly', usable: true, reason: 'ok' };
  const base: Omit<PlanInput, 'speeds'> = { form: { ...defaultForm(document), limit: 5000, epochs: 3, validationSplit: 0.1 }, document, dataset: { name: 'MNIST', total: 60_000 }, backends: [wasm] };
  const measured = speed({ network: documentNetworkKey(document), batchSize: base.form.batchSize, samplesPerSecond: 900 });

  it.each<[string, Partial<Omit<PlanInput, 'speeds'>> & { speeds: SpeedMeasurement[] }, { what: string | null; estimate: RegExp; duration: string | null }]>([
    ['nothing measured', { speeds: [] }, { what: 'MNIST: 4,500 samples × 3 epochs', estimate: /^No time estimate yet: this network has not trained on WebAssembly here\. Try a few thousand samples first/, duration: null }],
    ['measured', { speeds: [measured] }, { what: 'MNIST: 4,500 samples × 3 epochs', estimate: /^About 15 s on WebAssembly, at the 900 samples\/s an earlier run of this network measured\.$/, duration: 'about 15 s' }],
    ['a long run', { form: { ...base.form, limit: null, epochs: 20 }, speeds: [measured] }, { what: 'MNIST: 54,000 samples × 20 epochs', estimate: /^About 20 min .* Fewer samples or epochs make a quicker first try\.$/, duration: 'about 20 min' }],
    ['the dataset still loading', { dataset: null, speeds: [measured] }, { what: null, estimate: /^Reading the dataset/, duration: null }],
    ['a bad Samples value', { form: { ...base.form, limit: 0 }, speeds: [measured] }, { what: null, estimate: /^Samples: enter a whole number/, duration: null }],
  ])('%s', (_case, over, expected) => {
    const plan = describePlan({ ...base, ...over });
    expect(plan.what).toBe(expected.what);
    expect(plan.estimate).toMatch(expected.estimate);
    expect(plan.duration).toBe(expected.duration);
  });
});

describe('startsAtOnce: ▶ Train starts a short run, and the first start\'s, without asking', () => {
  const lenet = getTemplate('lenet5')!.build();
  const alexnet = getTemplate('alexnet-course')!.build();
  const plan = (seconds: number | null, problem: string | null = null) => ({ what: null, estimate: '', duration: null, seconds, problem });
  it.each<[string, ReturnType<typeof plan> | null, boolean, boolean]>([
    ['a measured run under two minutes', plan(90), false, true],
    ['a measured run of two minutes exactly', plan(120), false, true],
    ['a measured run longer than that, even the first start\'s', plan(600), true, false],
    ['nothing measured: the first start\'s run', plan(null), true, true],
    ['nothing measured: another run', plan(null), false, false],
    ['no plan yet: the first start\'s run', null, true, true],
    ['settings the run refuses', plan(10, 'Samples: enter a whole number'), true, false],
  ])('%s', (_case, given, firstStart, expected) => {
    expect(startsAtOnce(given, firstStart)).toBe(expected);
  });

  it.each<[string, () => boolean, boolean]>([
    ['LeNet-5 as it opens, with its settings', () => isFirstStartRun(lenet, false, defaultForm(lenet), defaultForm(lenet)), true],
    ['LeNet-5 edited', () => isFirstStartRun(lenet, true, defaultForm(lenet), defaultForm(lenet)), false],
    ['LeNet-5 with more epochs', () => isFirstStartRun(lenet, false, { ...defaultForm(lenet), epochs: 20 }, defaultForm(lenet)), false],
    ['another template', () => isFirstStartRun(alexnet, false, defaultForm(alexnet), defaultForm(alexnet)), false],
  ])('first start run: %s', (_case, check, expected) => {
    expect(check()).toBe(expected);
  });
});
