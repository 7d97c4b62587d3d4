import type * as tf from '@tensorflow/tfjs';
import { analyze } from '../../src-shared/analysis/analyze';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { TrainingConfig } from '../../src-shared/training/config';
import type { TrainingEvent } from '../../src-shared/training/events';
import { compileDocument } from '../compiler/compile';
import { registerWasmTrainingKernels } from './wasm';
import { registerWebGpuTrainingKernels } from './webgpu';
import { selectTrainingBackend, withThreads } from './backendProbe';
import { ReplicaPool } from './parallel/dataParallel';
import type { TrialVerdict } from './parallel/splitTrial';
import type { RunControl } from './control';
import { datasetEvent, fitTrainingData } from './fitData';
import path from 'node:path';
import { saveCheckpoint } from '../runs/checkpoint';
import { requireRunFolder } from '../runs/runFolder';
import { writePredictionSample } from '../runs/predictions';
import { SEGMENTATION_FILE, writeSegmentationSample } from '../runs/segmentationSample';
import { trainModel, type TrainHooks } from './trainLoop';
import { detectionHead } from '../../src-shared/analysis/anchors';
import { runDetection } from './detection/runDetection';
import { isPyTorchBackend } from '../../src-shared/api/appInfo';
import { runOnPyTorch } from './pytorch/pytorchJob';
import { initialiser } from './initWeights';
import { startLanguageRun } from '../runs/languageSample';
import { CarriedState } from './carriedState';
import { writeTranslationFile } from '../runs/languageFile';
import { isPairsDataset } from '../../src-shared/training/config';
import { encoderDecoderShape, type EncoderDecoderShape } from '../../src-shared/analysis/encoderDecoder';

/** Saves the checkpoints the epoch driver asks for (the last after every epoch, the best when validation improved). */
function checkpointHooks(runDir: string | null): TrainHooks {
  if (!runDir) return {};
  return {
    async saveCheckpoint(trained, which) {
      // A run folder that vanished (trashed by hand) is not recreated without its run.json.
      await requireRunFolder(runDir);
      await saveCheckpoint(trained, path.join(runDir, 'checkpoints', which));
    },
  };
}

type EndEvent = Extract<TrainingEvent, { type: 'end' }>;

/**
 * One whole run: backend, data, model, training, evaluation. Every failure ends the run as
 * 'failed' with a message for the user; nothing is thrown and no tensor is left behind.
 */
export interface RunJobOptions {
  /** Where checkpoints and samples go; null or absent for an unrecorded run. */
  runDir?: string | null;
  /** A PyTorch engine run's runner process started (so the main process can end it with the app). */
  onProcess?: (pid: number) => void;
  /** The checkpoint folder of config.initFrom's run (the caller knows the runs folder); required with initFrom. */
  initFromDir?: string | null;
  /** Threads a classifier on wasm trains with (this one and replicas, see parallel/dataParallel.ts); default 1. */
  threads?: number;
}

export async function runJob(
  document: GraphDocument,
  config: TrainingConfig,
  emit: (event: TrainingEvent) => void,
  control: RunControl,
  options: RunJobOptions = {},
): Promise<EndEvent> {
  const started = performance.now();
  const finish = (end: Omit<EndEvent, 'type' | 'seconds'>): EndEvent => {
    const event: EndEvent = { type: 'end', ...end, seconds: (performance.now() - started) / 1000 };
    emit(event);
    return event;
  };
  let model: tf.LayersModel | null = null;
  let carried: CarriedState | null = null;
  const fail = (message: string) => finish({ status: 'failed', message, test: null, epochs: 0 });
  try {
    const analysis = analyze(document);
    if (!analysis.ok) {
      const first = analysis.errors[0]?.message ?? '';
      return fail(`The graph has ${analysis.errors.length} error${analysis.errors.length === 1 ? '' : 's'}; fix ${analysis.errors.length === 1 ? 'it' : 'them'} before training. ${first}`);
    }
    const head = detectionHead(document, analysis);
    if (config.dataset.kind === 'synthetic-detection' && !head.ok) return fail(head.message);
    let encoderDecoder: EncoderDecoderShape | null = null;
    if (isPairsDataset(config.dataset)) {
      const shape = encoderDecoderShape(document, analysis);
      if ('message' in shape) return fail(shape.message);
      encoderDecoder = shape;
    } else if (!head.ok && (analysis.inputs.length !== 1 || analysis.outputs.length !== 1)) {
      const pairsHint = analysis.inputs.length === 2 ? ' (An encoder–decoder with two token inputs trains on sentence pairs: pick Synthetic translation or a sentence-pairs file.)' : '';
      return fail(`Training needs one input and one output; this graph has ${analysis.inputs.length} inputs and ${analysis.outputs.length} outputs.${pairsHint}`);
    }
    const selected = await selectTrainingBackend(config.backend, async (id) => {
      if (id === 'wasm') registerWasmTrainingKernels();
      if (id === 'webgpu') await registerWebGpuTrainingKernels();
    });
    // Classifiers on wasm train on every thread asked for (detectors on one).
    // (Replicas take one input per sample and no carried state: an encoder–decoder, and sequential partitioning, train on one thread.)
    const threads = selected.backend === 'wasm' && !head.ok && !encoderDecoder && config.sampling !== 'sequential' ? Math.max(1, options.threads ?? 1) : 1;
    let decision = withThreads(selected, threads);
    emit({ type: 'backend', decision });

    const inputShape = analysis.nodes.get(analysis.inputs[0] as string)?.outputShapes?.[0] ?? [];
    const runDir = options.runDir ?? null;
    const initialise = initialiser(config.initFrom, options.initFromDir, emit);
    if (isPyTorchBackend(decision.backend) && encoderDecoder) {
      return fail('The PyTorch engine does not train encoder–decoders yet: choose a TensorFlow.js backend (Auto picks one) for this run.');
    }
    if (isPyTorchBackend(decision.backend) && config.sampling === 'sequential') {
      return fail('The PyTorch engine samples a text at random: choose random sampling, or a TensorFlow.js backend (Auto picks one) for sequential partitioning.');
    }
    if (isPyTorchBackend(decision.backend)) {
      const outcome = await runOnPyTorch({ document, config, decision, emit, control, runDir, inputShape, analysis, head: head.ok ? head.head : null, onProcess: options.onProcess, initialise });
      return finish({ status: outcome.status, message: outcome.message, test: outcome.test, epochs: outcome.epochs.length });
    }
    if (head.ok) {
      const outcome = await runDetection(document, analysis, head.head, inputShape, config, emit, control, checkpointHooks(runDir), runDir, initialise);
      return finish({ status: outcome.status, message: outcome.message, test: outcome.test, epochs: outcome.epochs.length });
    }
    const outputShape = analysis.nodes.get(analysis.outputs[0] as string)?.outputShapes?.[0] ?? [];
    const { fitted, classNames } = await fitTrainingData(config, inputShape, outputShape, encoderDecoder);
    if (!fitted.ok) return fail(fitted.message);
    emit(datasetEvent(fitted, config.validationSplit));

    const compiled = compileDocument(document, { seed: config.seed, analysis });
    model = compiled.model;
    if (compiled.trainingProblems.length > 0) return fail(compiled.trainingProblems.join(' '));
    await initialise(model);
    let replicas: ReplicaPool | undefined;
    if (threads > 1) {
      try {
        replicas = await ReplicaPool.start({ document, config, numClasses: fitted.data.numClasses, model, count: threads - 1 });
      } catch (error) {
        decision = withThreads(selected, 1);
        emit({ type: 'backend', decision });
        emit({ type: 'log', message: `Training on one thread: the other threads could not start (${error instanceof Error ? error.message : String(error)}).` });
      }
    }
    emit({ type: 'status', status: 'training' });
    const hooks = checkpointHooks(runDir);
    const onSplitVerdict = (verdict: TrialVerdict, count: number) => {
      const rates = `${Math.round(verdict.splitRate)} samples/s split across ${count} threads, ${Math.round(verdict.aloneRate)} on one`;
      if (verdict.mode === 'split') {
        emit({ type: 'log', message: `Each batch is split across ${count} threads (${rates}).` });
        return;
      }
      decision = withThreads(selected, 1);
      emit({ type: 'backend', decision });
      emit({ type: 'log', message: `Training on one thread: splitting batches does not pay for this model (${rates}).` });
    };
    if (fitted.data.language) await startLanguageRun(document, fitted.data.language, runDir, emit);
    if (fitted.data.translation && runDir) await writeTranslationFile(runDir, fitted.data.translation);
    carried = fitted.data.sequential ? CarriedState.start(document, model, config.seed) : null;
    const outcome = await trainModel({ model, config, emit, control, hooks, lrMultipliers: compiled.lrMultipliers, replicas, onSplitVerdict }, fitted.data, carried ?? undefined);
    // A language model's samples are its generated text (logged each epoch), not class predictions.
    // An encoder–decoder's are its translations, in the test results.
    const writesPredictions = runDir && outcome.test && !fitted.data.language && !fitted.data.translation;
    if (writesPredictions && fitted.data.test.masks) await writeSegmentationSample(model, fitted.data, classNames, path.join(runDir, SEGMENTATION_FILE));
    else if (writesPredictions) await writePredictionSample(model, fitted.data, path.join(runDir, 'predictions.json'));
    return finish({ status: outcome.status, message: outcome.message, test: outcome.test, epochs: outcome.epochs.length });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    carried?.dispose();
    model?.dispose();
  }
}
