import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { createHandlerContext, type HandlerContext } from '../../src-main/api/context';
import { createApiHandlers } from '../../src-main/api/handlers';
import type { ApiHandlers, apiChannels, ChannelName } from '../../src-shared/api';
import { copyFragment, type ClipboardFragment } from '../../src-shared/editing/clipboard';
import { groupNodes } from '../../src-shared/graph/group';
import { getTemplate } from '../../src-shared/templates';
import { TrainingConfig } from '../../src-shared/training/config';

/** What a client may send on a channel (defaults not yet applied). */
export type RequestInput<C extends ChannelName> = z.input<(typeof apiChannels)[C]['request']>;
/** One valid request per channel: the type makes a new channel fail to compile until it has one. */
export type ValidRequests = { [C in ChannelName]: RequestInput<C> };

export interface SeededWorkspace {
  /** The workspace the handlers act in. */
  root: string;
  /** A sibling folder with files nothing may touch: paths that escape the workspace point here. */
  outside: string;
  context: HandlerContext;
  handlers: ApiHandlers;
  valid: ValidRequests;
}

const lenet = () => getTemplate('lenet5')!.build();

/** LeNet's first two layers grouped into a block, copied as the library saves it. */
function fragment(): ClipboardFragment {
  const doc = lenet();
  const grouped = groupNodes(doc, doc.nodes.slice(1, 3).map((n) => n.id), { blockId: 'pair', nodeId: 'pair' });
  return copyFragment(grouped, ['pair']) as ClipboardFragment;
}

/**
 * A temp workspace with something in it for every channel to act on (a saved document, a finished
 * run, a library block, a recovery file), handlers bound to it, and a valid request per channel.
 */
export async function seededWorkspace(mainDir: string): Promise<SeededWorkspace> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'netwright-fuzz-'));
  const root = path.join(parent, 'workspace');
  const outside = path.join(parent, 'outside');
  mkdirSync(root);
  mkdirSync(path.join(outside, 'runs'), { recursive: true });
  writeFileSync(path.join(outside, 'keep.netwright'), JSON.stringify(lenet()));
  writeFileSync(path.join(outside, 'runs', 'keep.txt'), 'keep');

  const context = createHandlerContext('web', { workspaceDir: root, mainDir });
  const handlers = createApiHandlers(context);
  const document = lenet();
  await handlers['files.save']({ path: 'lenet.netwright', document });
  await handlers['recovery.write']({ key: 'fuzz', document, sourcePath: null });
  const block = await handlers['blocks.save']({ name: 'pair', fragment: fragment() });
  const run = await context.runs.create(document, TrainingConfig.parse({ epochs: 1, limit: 10 }), 'seeded');
  await context.runs.record(run.id, { type: 'dataset', name: 'MNIST', train: 9, validation: 1, test: 1, inputShape: [28, 28, 1], adapted: null });
  await context.runs.record(run.id, {
    type: 'epoch',
    metrics: { epoch: 0, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, learningRate: 0.001, seconds: 1, samplesPerSecond: 9 },
    etaSeconds: 0,
  });
  await context.runs.record(run.id, { type: 'end', status: 'completed', message: null, test: { loss: 1, accuracy: 0.5, count: 1, confusion: [] }, epochs: 1, seconds: 1 });
  const conv = document.nodes.find((n) => n.type === 'Conv2D')?.id ?? document.nodes[1]!.id;
  const kerasText = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'keras', 'sequential-keras2.json'), 'utf8');

  const valid: ValidRequests = {
    'app.info': {},
    'settings.python': {},
    'settings.setPython': { path: null },
    'settings.browsePython': {},
    'files.list': { dir: '.' },
    'files.open': { path: 'lenet.netwright' },
    'files.save': { path: 'saved/lenet.netwright', document },
    'files.recent': {},
    'files.pickOpen': {},
    'files.pickSave': { suggestedName: 'lenet.netwright' },
    'recovery.write': { key: 'fuzz', document, sourcePath: null },
    'recovery.list': {},
    'recovery.read': { key: 'fuzz' },
    'recovery.discard': { key: 'fuzz' },
    'blocks.list': {},
    'blocks.save': { name: 'pair', fragment: fragment() },
    'blocks.delete': { id: block.id },
    'datasets.preview': { dataset: { kind: 'synthetic-sequence' }, perClass: 2 },
    'datasets.importText': { name: 'story.txt', text: 'the cat sees the dog.' },
    'datasets.texts': {},
    'train.start': { document, config: { epochs: 1, limit: 10, testLimit: 10, dataset: { kind: 'synthetic-segmentation' } } },
    'train.control': { runId: run.id, action: 'pause' },
    'runs.list': {},
    'runs.listTrash': {},
    'runs.get': { id: run.id },
    'runs.update': { id: run.id, name: 'renamed', tags: ['fuzz'], notes: 'notes' },
    'runs.trash': { id: run.id },
    'runs.restore': { id: run.id },
    'runs.exportCsv': { ids: [run.id] },
    'runs.predictions': { id: run.id },
    'runs.segmentation': { id: run.id },
    'runs.generateText': { id: run.id, prompt: 'the ', count: 5, temperature: 0 },
    'inspect.receptiveField': { document, nodeId: conv, unit: [0, 0], sample: 0, runId: null },
    'inspect.featureMaps': { runId: run.id, sample: 0 },
    'inspect.filters': { runId: run.id },
    'inspect.gradCam': { runId: run.id, sample: 0, classId: null },
    'export.model': { document, name: 'lenet', target: 'pytorch', runId: null, withTraining: true },
    'import.kerasJson': { text: kerasText, fileName: 'model.json' },
    // A topology without a weightsManifest: refused before any run is recorded.
    'import.tfjsWeights': { document, fileName: 'model.json', modelJson: kerasText, shards: [{ name: 'weights.bin', base64: 'AAAA' }] },
  };
  return { root, outside, context, handlers, valid };
}

/** Every file under `dir` with its size and modification time, to show nothing there changed. */
export function snapshotTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const stats = statSync(full);
    result[path.relative(dir, full)] = entry.isDirectory() ? 'dir' : `${stats.size}:${stats.mtimeMs}`;
  }
  return result;
}
