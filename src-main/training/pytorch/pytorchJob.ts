import type { DetectionHead } from '../../../src-shared/analysis/anchors';
import type { GraphAnalysis } from '../../../src-shared/analysis/types';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { BackendDecision, TrainingEvent } from '../../../src-shared/training/events';
import { pythonProbe } from '../backendProbe';
import type { RunControl } from '../control';
import { prepareDetection } from '../detection/runDetection';
import type { TrainOutcome } from '../trainLoop';
import { runPyTorch } from './pytorchRun';
import type { Initialiser } from '../initWeights';
import { datasetEvent, fitTrainingData } from '../fitData';
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
  const { fitted, classNames } = await fitTrainingData(config, job.inputShape, outputShape);
  if (!fitted.ok) return failed(fitted.message);
  job.emit(datasetEvent(fitted, config.validationSplit));
  const { language } = fitted.data;
  if (language) {
    await startLanguageRun(job.document, language, job.runDir, job.emit);
    return runPyTorch({ ...common, task: { kind: 'language', data: fitted.data, language } });
  }
  const kind = fitted.data.train.masks ? 'segment' : 'classify';
  return runPyTorch({ ...common, task: { kind, data: fitted.data, classNames } });
}
