import path from 'node:path';
import { ApiError, type ApiHandlers } from '../../src-shared/api';
import { importKerasJson } from '../../src-shared/export/kerasImport';
import { previewDataset } from '../datasets/preview';
import { importText, listTexts } from '../datasets/importText';
import { previewText } from '../training/languageModel';
import { previewPairs } from '../training/pairsPreview';
import { handleExport } from '../export/exportHandler';
import { DOCUMENT_EXTENSION } from '../files/workspace';
import { featureMaps } from '../inspect/featureMaps';
import { firstLayerFilters } from '../inspect/filters';
import { gradCamView } from '../inspect/gradCam';
import { inspectReceptiveField } from '../inspect/receptiveFieldHandler';
import { predictionGallery } from '../runs/predictionGallery';
import { importWeights } from '../runs/importWeights';
import { readSegmentationSample } from '../runs/segmentationSample';
import { probeBackends, preferredBackend } from '../training/backendProbe';
import { applyPythonSetting, pythonSettings, setPythonSetting } from './pythonSettings';
import { loadDataset } from '../training/trainingData';
import { isPairsDataset, isTextDataset } from '../../src-shared/training/config';
import { APP_VERSION } from '../version';
import { generateFromRun } from '../runs/languageSample';
import type { HandlerContext } from './context';
import { checkDatasetPath, checkExportFolder, checkRunsFolder, runsInside } from './pathChecks';
import { withSafeErrors } from './safeErrors';

export type { HandlerContext } from './context';

/** 'mnist-cnn' from 'mnist-cnn.json'; nothing from a TF.js 'model.json', so the model's own name is used. */
function documentNameOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  return base.toLowerCase() === 'model' ? '' : base;
}

/**
 * The backend's implementation of every API channel. Both hosts bind this same object,
 * so a channel handled in one host is handled in the other. Every path a client sends passes the
 * workspace's path guard, and no error leaves with an absolute path of the machine.
 */
export function createApiHandlers(context: HandlerContext): ApiHandlers {
  return withSafeErrors(channelHandlers(context), context.guard);
}

function channelHandlers(context: HandlerContext): ApiHandlers {
  const { workspace, recovery, blocks, guard } = context;
  const dialogs = () => {
    if (!context.dialogs) throw new ApiError('Native file dialogs exist only in the desktop app; use the file browser.', 'failed');
    return context.dialogs;
  };
  // A picked path is allowed from now on, also after a restart: it is remembered in the workspace settings.
  const remember = async (picked: string | null) => {
    if (picked) await context.picked.remember(picked);
    return { path: picked };
  };
  const rememberSave = async (picked: string | null) => remember(picked && !picked.endsWith(DOCUMENT_EXTENSION) ? `${picked}${DOCUMENT_EXTENSION}` : picked);
  /** Netwright's own stores (recovery, blocks) live in .netwright, which must not lead out through a link. */
  const internal = async <T>(work: () => Promise<T>): Promise<T> => {
    await workspace.internal();
    return work();
  };
  const run = async (id: string) => checkRunsFolder(context.runs, guard, id);

  return {
    'app.info': async () => {
      await applyPythonSetting(context.settings);
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
    'settings.python': () => pythonSettings(context.settings),
    'settings.setPython': ({ path: chosen }) => setPythonSetting(context.settings, chosen),
    'settings.browsePython': async () => ({ path: await dialogs().pickFile('Choose the Python interpreter that has PyTorch') }),
    'files.list': ({ dir }) => workspace.list(dir),
    'files.open': ({ path }) => workspace.open(path),
    'files.save': ({ path, document }) => workspace.save(path, document),
    'files.recent': async () => ({ files: await workspace.recent() }),
    'files.pickOpen': async () => remember(await dialogs().pickOpen()),
    'files.pickSave': async ({ suggestedName }) => rememberSave(await dialogs().pickSave(suggestedName)),
    'recovery.write': ({ key, document, sourcePath }) => internal(() => recovery.write(key, document, sourcePath)),
    'recovery.list': async () => ({ entries: await internal(() => recovery.list()) }),
    'recovery.read': ({ key }) => internal(() => recovery.read(key)),
    'recovery.discard': async ({ key }) => {
      await internal(() => recovery.discard(key));
      return {};
    },
    'blocks.list': async () => ({ blocks: await internal(() => blocks.list()) }),
    'blocks.save': ({ name, fragment }) => internal(() => blocks.save(name, fragment)),
    'blocks.delete': async ({ id }) => {
      await internal(() => blocks.remove(id));
      return {};
    },
    'datasets.preview': async ({ dataset, perClass }) => {
      const checked = await checkDatasetPath(dataset, guard);
      if (isTextDataset(checked)) {
        const { name, text } = await previewText(checked).catch((error: unknown) => {
          throw new ApiError(error instanceof Error ? error.message : String(error), 'invalid-request');
        });
        return { name, inputShape: [], total: text.tokens, classes: [], text };
      }
      if (isPairsDataset(checked)) {
        // A file that is not pairs (no tab, not UTF-8) is the person's to fix: its message, not a crash.
        const { name, pairs } = await previewPairs(checked).catch((error: unknown) => {
          throw new ApiError(error instanceof Error ? error.message : String(error), 'invalid-request');
        });
        return { name, inputShape: [], total: pairs.train, classes: [], pairs };
      }
      // What the loader refuses (a folder without classes, a damaged file) is the user's to fix, not a crash.
      const loaded = await loadDataset(checked, { testLimit: 1 }, []).catch((error: unknown) => {
        const loaderMessage = error instanceof Error && !(error instanceof ApiError) && !('syscall' in error);
        throw loaderMessage ? new ApiError(error.message, 'invalid-request') : error;
      });
      const preview = previewDataset(loaded, { perClass, png: true });
      return {
        name: preview.name,
        inputShape: preview.inputShape,
        total: preview.total,
        classes: preview.classes.map((c) => ({ className: c.className, count: c.count, samples: c.samples.map((s) => s.png ?? '') })),
      };
    },
    'inspect.receptiveField': async (request) => {
      if (request.runId) await run(request.runId);
      return inspectReceptiveField(request, context.runs);
    },
    'inspect.featureMaps': async (request) => {
      await run(request.runId);
      return featureMaps(context.runs, request);
    },
    'inspect.filters': async ({ runId }) => {
      await run(runId);
      return firstLayerFilters(context.runs, runId);
    },
    'inspect.gradCam': async (request) => {
      await run(request.runId);
      return gradCamView(context.runs, request);
    },
    'runs.list': async () => {
      await checkRunsFolder(context.runs, guard);
      return { runs: await runsInside(await context.runs.list(), context.runs.dir, guard) };
    },
    'runs.predictions': async ({ id }) => {
      await run(id);
      return predictionGallery(context.runs, id);
    },
    'runs.segmentation': async ({ id }) => {
      await run(id);
      return readSegmentationSample(context.runs, id);
    },
    'datasets.importText': async ({ name, text }) => ({ path: await importText(workspace, name, text) }),
    'datasets.texts': async () => ({ texts: await listTexts(workspace) }),
    'runs.generateText': async (request) => {
      await run(request.id);
      return generateFromRun(context.runs, request);
    },
    'runs.listTrash': async () => {
      const trash = path.join(context.runs.dir, '.trash');
      await guard.resolve(trash, { what: 'The runs trash' });
      return { runs: await runsInside(await context.runs.listTrash(), trash, guard) };
    },
    'runs.get': async ({ id }) => {
      await run(id);
      return { record: await context.runs.read(id), metrics: await context.runs.metrics(id) };
    },
    'runs.update': async ({ id, name, tags, notes }) => {
      await run(id);
      await context.runs.update(id, (r) => ({ ...r, ...(name !== undefined ? { name } : {}), ...(tags !== undefined ? { tags } : {}), ...(notes !== undefined ? { notes } : {}) }));
      return {};
    },
    'runs.trash': async ({ id }) => {
      await run(id);
      await guard.resolve(path.join(context.runs.dir, '.trash'), { what: 'The runs trash' });
      await context.runs.trash(id);
      return {};
    },
    'runs.restore': async ({ id }) => {
      await guard.resolve(path.join(context.runs.dir, '.trash', id), { what: 'The run folder' });
      await run(id);
      await context.runs.restore(id);
      return {};
    },
    'runs.exportCsv': async ({ ids }) => {
      for (const id of ids) await run(id);
      return { csv: await context.runs.exportCsv(ids) };
    },
    'export.model': async (request) => {
      await checkExportFolder(guard, request.name, request.target);
      if (request.runId !== null) await run(request.runId);
      return handleExport(request, { workspaceRoot: workspace.root, runs: context.runs });
    },
    'import.kerasJson': async ({ text, fileName }) => {
      const result = importKerasJson(text, documentNameOf(fileName));
      if (!result.ok) throw new ApiError(`${fileName}: ${result.error}`, 'failed');
      return { document: result.document };
    },
    'import.tfjsWeights': async ({ document, fileName, modelJson, shards }) => {
      await checkRunsFolder(context.runs, guard);
      return importWeights(context.runs, document, fileName, modelJson, shards.map((s) => ({ name: s.name, data: new Uint8Array(Buffer.from(s.base64, 'base64')) })));
    },
    'train.start': async ({ document, config }) => {
      const dataset = await checkDatasetPath(config.dataset, guard);
      await checkRunsFolder(context.runs, guard);
      // The run to start from must be a run folder of this workspace, like any run a client names.
      if (config.initFrom) await run(config.initFrom.runId);
      await applyPythonSetting(context.settings);
      return { runId: (await context.training().start(document, { ...config, dataset })).id };
    },
    'train.control': async ({ runId, action }) => {
      const service = context.training();
      if (!service.isRunning(runId)) throw new ApiError('That run is no longer training.', 'invalid-request');
      service[action](runId);
      return {};
    },
  };
}
