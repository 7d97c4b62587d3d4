import type { DetectionHead } from '../../../src-shared/analysis/anchors';
import type { GraphAnalysis } from '../../../src-shared/analysis/types';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { BackendDecision, TrainingEvent } from '../../../src-shared/training/events';
import { pythonProbe } from '../backendProbe';
import type { RunControl } from '../control';
import { prepareDetection } from '../detection/runDetection';
import type { TrainOutcome } from '../trainLoop';
import { fitDatasetToModel, loadDataset } from '../trainingData';
import { runPyTorch } from './pytorchRun';
import type { Initialiser } from '../initWeights';
import { loadTextForModel } from '../languageModel';
import { startLanguageRun } from '../../runs/languageSample';

export interface PyTorchJob {
  document: GraphDocument;
  config: TrainingConfig;
  decision: BackendDecision;
  emit: (event: TrainingEvent) => void;
  control: RunControl;
  runDir: string | null;
  inputShape: readonly number[];
  analysis: GraphAnalysis;
  head: DetectionHead | null;
  onProcess?: ((pid: number) => void) | undefined;
  initialise?: Initialiser;
}

/**
 * The PyTorch engine's part of runJob: the same data as a TF.js run (loaded, fitted, announced by
 * the same code), then the run in the user's Python.
 */
export async function runOnPyTorch(job: PyTorchJob): Promise<TrainOutcome> {
  const failed = (message: string): TrainOutcome => ({ status: 'failed', message, test: null, epochs: [] });
  const python = (await pythonProbe()).chosen;
  if (!python) return failed('No Python with PyTorch is available any more. Choose another backend.');
  const common = { document: job.document, config: job.config, decision: job.decision, python: python.executable ?? python.command, emit: job.emit, control: job.control, runDir: job.runDir, ...(job.onProcess ? { onProcess: job.onProcess } : {}), ...(job.initialise ? { initialise: job.initialise } : {}) };
  if (job.head) {
    const prepared = await prepareDetection(job.head, job.inputShape, job.config, job.emit);
    if (!prepared.ok) return failed(prepared.message);
    return runPyTorch({ ...common, task: { kind: 'detect', data: prepared.data, head: job.head } });
  }
  const { config, analysis } = job;
  const outputShape = analysis.nodes.get(analysis.outputs[0] as string)?.outputShapes?.[0] ?? [];
  if (config.dataset.kind === 'text' || config.dataset.kind === 'synthetic-text') {
    const text = await loadTextForModel(config.dataset, { limit: config.limit, testLimit: config.testLimit }, job.inputShape, outputShape, config.seed);
    if (!text.ok) return failed(text.message);
    const language = text.data.language;
    if (!language) return failed('The text gave no vocabulary.');
    const validation = Math.floor(text.data.train.count * config.validationSplit);
    job.emit({ type: 'dataset', name: text.data.name, train: text.data.train.count - validation, validation, test: text.data.test.count, inputShape: [...text.data.inputShape], adapted: text.adapted });
    await startLanguageRun(job.document, language, job.runDir, job.emit);
    return runPyTorch({ ...common, task: { kind: 'language', data: text.data, language } });
  }
  const dataset = await loadDataset(config.dataset, { limit: config.limit, testLimit: config.testLimit }, job.inputShape);
  const fitted = fitDatasetToModel(dataset, job.inputShape, outputShape);
  if (!fitted.ok) return failed(fitted.message);
  const validation = Math.floor(fitted.data.train.count * config.validationSplit);
  job.emit({ type: 'dataset', name: dataset.name, train: fitted.data.train.count - validation, validation, test: fitted.data.test.count, inputShape: [...fitted.data.inputShape], adapted: fitted.adapted });
  const kind = fitted.data.train.masks ? 'segment' : 'classify';
  return runPyTorch({ ...common, task: { kind, data: fitted.data, classNames: dataset.classNames } });
}
