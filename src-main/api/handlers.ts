import { ApiError, type ApiHandlers } from '../../src-shared/api';
import { importKerasJson } from '../../src-shared/export/kerasImport';
import { previewDataset } from '../datasets/preview';
import { handleExport } from '../export/exportHandler';
import { featureMaps } from '../inspect/featureMaps';
import { firstLayerFilters } from '../inspect/filters';
import { gradCamView } from '../inspect/gradCam';
import { inspectReceptiveField } from '../inspect/receptiveFieldHandler';
import { predictionGallery } from '../runs/predictionGallery';
import { readSegmentationSample } from '../runs/segmentationSample';
import { probeBackends, preferredBackend } from '../training/backendProbe';
import { loadDataset } from '../training/trainingData';
import { APP_VERSION } from '../version';
import type { HandlerContext } from './context';

export type { HandlerContext } from './context';

/** 'mnist-cnn' from 'mnist-cnn.json'; nothing from a TF.js 'model.json', so the model's own name is used. */
function documentNameOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  return base.toLowerCase() === 'model' ? '' : base;
}

/**
 * The backend's implementation of every API channel. Both hosts bind this same object,
 * so a channel handled in one host is handled in the other.
 */
export function createApiHandlers(context: HandlerContext): ApiHandlers {
  const { workspace, recovery, blocks } = context;
  const dialogs = () => {
    if (!context.dialogs) throw new ApiError('Native file dialogs exist only in the desktop app; use the file browser.', 'failed');
    return context.dialogs;
  };
  const remember = (picked: string | null) => {
    if (picked) context.pickedPaths.add(picked);
    return { path: picked };
  };

  return {
    'app.info': async () => {
      const backends = await probeBackends();
      return {
        name: 'Netwright',
        version: APP_VERSION,
        platform: process.platform,
        arch: process.arch,
        nodeVersion: process.versions.node,
        host: context.host,
        workspaceDir: workspace.root,
        nativeDialogs: context.dialogs !== null,
        backends,
        preferredBackend: preferredBackend(backends),
      };
    },
    'files.list': ({ dir }) => workspace.list(dir),
    'files.open': ({ path }) => workspace.open(path),
    'files.save': ({ path, document }) => workspace.save(path, document),
    'files.recent': async () => ({ files: await workspace.recent() }),
    'files.pickOpen': async () => remember(await dialogs().pickOpen()),
    'files.pickSave': async ({ suggestedName }) => remember(await dialogs().pickSave(suggestedName)),
    'recovery.write': ({ key, document, sourcePath }) => recovery.write(key, document, sourcePath),
    'recovery.list': async () => ({ entries: await recovery.list() }),
    'recovery.read': ({ key }) => recovery.read(key),
    'recovery.discard': async ({ key }) => {
      await recovery.discard(key);
      return {};
    },
    'blocks.list': async () => ({ blocks: await blocks.list() }),
    'blocks.save': ({ name, fragment }) => blocks.save(name, fragment),
    'blocks.delete': async ({ id }) => {
      await blocks.remove(id);
      return {};
    },
    'datasets.preview': async ({ dataset, perClass }) => {
      const loaded = await loadDataset(dataset, { testLimit: 1 }, []);
      const preview = previewDataset(loaded, { perClass, png: true });
      return {
        name: preview.name,
        inputShape: preview.inputShape,
        total: preview.total,
        classes: preview.classes.map((c) => ({ className: c.className, count: c.count, samples: c.samples.map((s) => s.png ?? '') })),
      };
    },
    'inspect.receptiveField': (request) => inspectReceptiveField(request, context.runs),
    'inspect.featureMaps': (request) => featureMaps(context.runs, request),
    'inspect.filters': ({ runId }) => firstLayerFilters(context.runs, runId),
    'inspect.gradCam': (request) => gradCamView(context.runs, request),
    'runs.list': async () => ({ runs: await context.runs.list() }),
    'runs.predictions': ({ id }) => predictionGallery(context.runs, id),
    'runs.segmentation': ({ id }) => readSegmentationSample(context.runs, id),
    'runs.listTrash': async () => ({ runs: await context.runs.listTrash() }),
    'runs.get': async ({ id }) => ({ record: await context.runs.read(id), metrics: await context.runs.metrics(id) }),
    'runs.update': async ({ id, name, tags, notes }) => {
      await context.runs.update(id, (r) => ({ ...r, ...(name !== undefined ? { name } : {}), ...(tags !== undefined ? { tags } : {}), ...(notes !== undefined ? { notes } : {}) }));
      return {};
    },
    'runs.trash': async ({ id }) => {
      await context.runs.trash(id);
      return {};
    },
    'runs.restore': async ({ id }) => {
      await context.runs.restore(id);
      return {};
    },
    'runs.exportCsv': async ({ ids }) => ({ csv: await context.runs.exportCsv(ids) }),
    'export.model': (request) => handleExport(request, { workspaceRoot: workspace.root, runs: context.runs }),
    'import.kerasJson': async ({ text, fileName }) => {
      const result = importKerasJson(text, documentNameOf(fileName));
      if (!result.ok) throw new ApiError(`${fileName}: ${result.error}`, 'failed');
      return { document: result.document };
    },
    'train.start': async ({ document, config }) => ({ runId: (await context.training().start(document, config)).id }),
    'train.control': async ({ runId, action }) => {
      const service = context.training();
      if (!service.isRunning(runId)) throw new ApiError('That run is no longer training.', 'invalid-request');
      service[action](runId);
      return {};
    },
  };
}
