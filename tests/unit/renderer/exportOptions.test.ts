import { describe, expect, it } from 'vitest';
import { latestRunOf } from '../../../src-renderer/files/exportOptions';
import { createDocument, type GraphDocument } from '../../../src-shared/graph/schema';
import type { RunSummary } from '../../../src-shared/runs/run';
import { getTemplate } from '../../../src-shared/templates';

const lenet = getTemplate('lenet5')?.build() as GraphDocument;
const layers = lenet.nodes.length;
/** Only the fields latestRunOf reads. */
const run = (id: string, over: Partial<RunSummary> = {}): RunSummary =>
  ({ id, name: `${lenet.name} · mnist · adam 0.001`, template: 'lenet5', layers, epochs: 2, status: 'completed', createdAt: '2025-01-01T00:00:00Z', ...over }) as RunSummary;

describe("latestRunOf: the export's default weights are this network's newest trained run", () => {
  it.each<[string, GraphDocument, RunSummary[], string | null]>([
    ['no runs at all', lenet, [], null],
    ['one trained run of it', lenet, [run('a')], 'a'],
    ['the newest of two', lenet, [run('old'), run('new', { createdAt: '2025-02-01T00:00:00Z' })], 'new'],
    ['not a run still training', lenet, [run('done'), run('busy', { status: 'training', createdAt: '2025-02-01T00:00:00Z' })], 'done'],
    ['not a run that finished no epoch', lenet, [run('none', { epochs: 0 })], null],
    ['not a run of another template', lenet, [run('resnet', { template: 'resnet18', layers: 60 })], null],
    ['not a run of the same template edited since (another node count)', lenet, [run('edited', { layers: layers + 1 })], null],
    ['a stopped run counts (its best checkpoint)', lenet, [run('stopped', { status: 'stopped' })], 'stopped'],
    ['one named after the document before a newer unnamed one', lenet, [run('named'), run('other', { name: 'renamed', createdAt: '2025-02-01T00:00:00Z' })], 'named'],
    ['an empty custom network has no template match', createDocument('Mine'), [run('a')], null],
  ])('%s', (_case, document, runs, expected) => {
    expect(latestRunOf(document, runs)?.id ?? null).toBe(expected);
  });
});
