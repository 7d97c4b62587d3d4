import { readFile } from 'node:fs/promises';
import type { BackendPin } from '../../src-shared/api/appInfo';
import { BACKEND_IDS } from '../../src-shared/api/appInfo';
import { parseDocumentText } from '../../src-shared/graph/parse';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { getTemplate, templateNames } from '../../src-shared/templates';
import { TrainingConfig, type DatasetChoice, type Schedule } from '../../src-shared/training/config';
import type { TrainingEvent } from '../../src-shared/training/events';
import path from 'node:path';
import { defaultWorkspaceDir } from '../files/workspace';
import { RunStore } from '../runs/runStore';
import { RunControl } from '../training/control';
import { runJob } from '../training/runJob';
import { parseCliArgs } from './args';
import { UsageError, type CliCommand, type CliIO } from './command';

function datasetChoice(value: string): DatasetChoice {
  if (value === 'mnist' || value === 'fashion-mnist' || value === 'synthetic-sequence' || value === 'synthetic-detection' || value === 'synthetic-segmentation') return { kind: value };
  if (value.toLowerCase().endsWith('.csv')) return { kind: 'csv', path: value };
  return { kind: 'image-folder', path: value };
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number of at least 1, got '${value}'.`);
  return n;
}

async function loadDocument(file: string | undefined, template: string | undefined): Promise<GraphDocument> {
  if (template !== undefined) {
    const found = getTemplate(template);
    if (!found) throw new UsageError(`unknown template '${template}'. Templates: ${templateNames.join(', ')}.`);
    return found.build();
  }
  if (!file) throw new UsageError('give a .netwright file or --template NAME.');
  const parsed = parseDocumentText(await readFile(file, 'utf8'));
  if (!parsed.ok) throw new Error(`cannot open '${file}': ${parsed.error}`);
  return parsed.document;
}

/** `cosine`, `cosine:MIN`, or `step:GAMMA:EVERY` (×γ every k epochs). */
function scheduleOption(value: string | undefined): Schedule | undefined {
  if (value === undefined) return undefined;
  const [kind, a, b] = value.split(':');
  if (kind === 'none') return { kind: 'none' };
  if (kind === 'cosine') return { kind: 'cosine', minRate: a === undefined ? 0 : Number(a) };
  if (kind === 'step' && a !== undefined && b !== undefined) return { kind: 'step', gamma: Number(a), everyEpochs: Number(b) };
  throw new UsageError(`--schedule must be none, cosine[:MIN] or step:GAMMA:EVERY, got '${value}'.`);
}

/** `flip,crop=4,brightness=0.2,contrast=0.2,mixup=0.2` → the augmentation config. */
function augmentOption(value: string | undefined): Record<string, number | boolean> | undefined {
  if (value === undefined) return undefined;
  const keys: Record<string, string> = { crop: 'cropPadding', brightness: 'brightness', contrast: 'contrast', mixup: 'mixupAlpha' };
  const out: Record<string, number | boolean> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [name, raw] = part.split('=');
    if (name === 'flip' && raw === undefined) out.flip = true;
    else if (name && keys[name] && raw !== undefined && Number.isFinite(Number(raw))) out[keys[name] as string] = Number(raw);
    else throw new UsageError(`--augment takes flip, crop=N, brightness=X, contrast=X, mixup=ALPHA separated by commas; '${part}' is none of them.`);
  }
  return out;
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Human-readable progress, one line per epoch; a live bar on a terminal. */
function printer(io: CliIO, json: boolean, tty: boolean): (event: TrainingEvent) => void {
  return (event) => {
    if (json) return io.out(JSON.stringify(event));
    switch (event.type) {
      case 'backend':
        io.out(`Backend: ${event.decision.label} on ${event.decision.device}${event.decision.pinned ? ' (pinned)' : ''}`);
        for (const rung of event.decision.ladder) if (rung.id !== event.decision.backend) io.out(`  not ${rung.label}: ${rung.usable ? 'a faster one works' : rung.reason}`);
        return;
      case 'dataset':
        io.out(`Data: ${event.name}, ${event.train} training / ${event.validation} validation / ${event.test} test samples of ${event.inputShape.join('×')}${event.adapted ? ` (${event.adapted})` : ''}`);
        return;
      case 'batch':
        if (tty) process.stdout.write(`\r  epoch ${event.epoch + 1} ${bar(event.batch / event.batches)} ${event.batch}/${event.batches}  loss ${event.loss.toFixed(4)}  ${event.samplesPerSecond.toFixed(0)} samples/s `);
        return;
      case 'epoch': {
        const m = event.metrics;
        if (tty) process.stdout.write('\r\x1b[K');
        if (m.detection) {
          const d = m.detection;
          const val = m.valLoss !== null ? `  val loss ${m.valLoss.toFixed(4)}  val class err ${(d.valClassError ?? 0).toExponential(2)}  val bbox mae ${(d.valBboxMae ?? 0).toExponential(2)}` : '';
          io.out(`Epoch ${m.epoch + 1}: loss ${m.loss.toFixed(4)}  class err ${d.classError.toExponential(2)}  bbox mae ${d.bboxMae.toExponential(2)}${val}  ${m.seconds.toFixed(1)} s, ${m.samplesPerSecond.toFixed(0)} samples/s`);
          return;
        }
        const val = m.valLoss !== null ? `  val loss ${m.valLoss.toFixed(4)}  val acc ${((m.valAccuracy ?? 0) * 100).toFixed(2)}%` : '';
        io.out(`Epoch ${m.epoch + 1}: loss ${m.loss.toFixed(4)}  acc ${((m.accuracy ?? 0) * 100).toFixed(2)}%${val}  ${m.seconds.toFixed(1)} s, ${m.samplesPerSecond.toFixed(0)} samples/s`);
        return;
      }
      case 'log':
        io.out(event.message);
        return;
      case 'status':
        return;
      case 'end':
        if (event.status === 'failed') io.err(`Training failed: ${event.message}`);
        if (event.status === 'diverged') io.err(`Training diverged: ${event.message}`);
        if (event.test?.detection) {
          const d = event.test.detection;
          io.out(`Test mean IoU of matched predictions: ${d.meanIoU.toFixed(3)} (${d.objects} boxes in ${event.test.count} images, predictions scoring ≥ ${d.scoreThreshold} after NMS); class err ${d.classError.toExponential(2)}, bbox mae ${d.bboxMae.toExponential(2)}, loss ${event.test.loss.toFixed(4)}, ${event.seconds.toFixed(1)} s in all`);
        } else if (event.test) {
          const iou = event.test.meanIoU === undefined ? '' : `, mean IoU ${(event.test.meanIoU * 100).toFixed(2)}%`;
          io.out(`Test ${iou ? 'pixel ' : ''}accuracy: ${(event.test.accuracy * 100).toFixed(2)}%${iou} (${event.test.count} samples, loss ${event.test.loss.toFixed(4)}), ${event.seconds.toFixed(1)} s in all`);
        }
        return;
    }
  };
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Train a network headless and print the backend, progress, epoch metrics and test accuracy.',
  usage: 'train <file | --template NAME> --dataset mnist|fashion-mnist|synthetic-sequence|synthetic-detection [--epochs N] [--limit N] [--batch-size N] [--lr X] [--optimizer NAME] [--schedule cosine|step:G:K] [--augment flip,crop=4,mixup=0.2] [--backend NAME] [--no-record] [--json]',
  async run(args, io) {
    const { values, positionals } = parseCliArgs(
      args,
      {
        template: { type: 'string' },
        dataset: { type: 'string' },
        epochs: { type: 'string' },
        limit: { type: 'string' },
        'test-limit': { type: 'string' },
        'batch-size': { type: 'string' },
        lr: { type: 'string' },
        backend: { type: 'string' },
        optimizer: { type: 'string' },
        schedule: { type: 'string' },
        augment: { type: 'string' },
        'validation-split': { type: 'string' },
        json: { type: 'boolean' },
        'no-record': { type: 'boolean' },
      },
      true,
    );
    const pins: readonly string[] = [...BACKEND_IDS, 'pytorch'];
    if (values.backend !== undefined && !pins.includes(values.backend)) {
      throw new UsageError(`--backend must be one of ${pins.join(', ')}, got '${values.backend}'.`);
    }
    const learningRate = values.lr === undefined ? undefined : Number(values.lr);
    if (values.optimizer !== undefined && !['sgd', 'adam', 'rmsprop', 'adagrad'].includes(values.optimizer)) {
      throw new UsageError(`--optimizer must be sgd, adam, rmsprop or adagrad, got '${values.optimizer}'.`);
    }
    if (learningRate !== undefined && !(learningRate > 0)) throw new UsageError(`--lr must be a positive number, got '${values.lr}'.`);
    const config = TrainingConfig.parse({
      dataset: datasetChoice(values.dataset ?? 'mnist'),
      epochs: positiveInt('epochs', values.epochs) ?? 2,
      limit: positiveInt('limit', values.limit),
      testLimit: positiveInt('test-limit', values['test-limit']),
      batchSize: positiveInt('batch-size', values['batch-size']),
      learningRate,
      backend: values.backend as BackendPin | undefined,
      optimizer: values.optimizer,
      schedule: scheduleOption(values.schedule),
      augment: augmentOption(values.augment),
      validationSplit: values['validation-split'] === undefined ? undefined : Number(values['validation-split']),
    });
    const document = await loadDocument(positionals[0], values.template);
    const control = new RunControl();
    const interrupt = () => control.stop();
    process.once('SIGINT', interrupt);
    const print = printer(io, values.json === true, process.stdout.isTTY === true);
    // Recorded like the app's runs, so the runs browser and `export --weights RUN` find them.
    const store = values['no-record'] === true ? null : new RunStore(path.join(defaultWorkspaceDir(), 'runs'));
    const record = store ? await store.create(document, config) : null;
    let recording = Promise.resolve();
    const emit = (event: TrainingEvent) => {
      if (store && record) recording = recording.then(() => store.record(record.id, event));
      print(event);
    };
    try {
      const end = await runJob(document, config, emit, control, { runDir: store && record ? store.runDir(record.id) : null });
      await recording;
      if (store && record && values.json !== true) io.out(`Run ${record.id} recorded in ${store.runDir(record.id)}`);
      return end.status === 'failed' || end.status === 'diverged' ? 1 : 0;
    } finally {
      process.off('SIGINT', interrupt);
    }
  },
};
