import { analyze } from '../analysis/analyze';
import { encoderDecoderShape } from '../analysis/encoderDecoder';
import type { GraphDocument } from '../graph/schema';
import { getLayerDef } from '../layers/registry';
import { isPairsDataset, isTextDataset, type PairsDatasetChoice, type TextDatasetChoice, type TrainingConfig } from '../training/config';
import { buildPyTorchModule, PyTorchExportError, type PyTorchModule } from './pytorch';
import { IDX_READER, idxLoader, imagePreparer, pythonLiteral, sequenceLoader, type OutputActivation } from './pytorchTrainParts';
import { pairsLoader } from './pytorchPairs';
import { textLoader } from './pytorchText';
import { trainingMain } from './pytorchTrainMain';
import { translationReports } from './pytorchTranslate';
import { trainingDefinitions } from './pytorchShared';

/**
 * Generates `train.py`: a script that trains the exported `Net` with a run's training settings, as
 * `python3 train.py` or under `torchrun --nproc_per_node=N train.py` (DistributedDataParallel).
 *
 * @example
 * const config = TrainingConfig.parse(defaultTrainingFor(doc));
 * const script = exportPyTorchTraining(doc, config, { moduleName: 'lenet5', dataDirs: { mnist: '/data/mnist' } });
 */

export interface TrainingScriptOptions {
  /** The Python module that defines `Net` (the exported .py file's name without .py), next to train.py. */
  moduleName: string;
  /** Default folders of the IDX files, Netwright's own (resolved by src-main); --data overrides them. */
  dataDirs?: { mnist?: string; fashionMnist?: string };
}

/** Where Debian's dataset-fashion-mnist puts the files. */
export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
const CLASSES = 10;

/** What the model's last layer gives: probabilities or logits (the loss needs to know, as Netwright's does). */
export function outputActivation(document: GraphDocument): OutputActivation {
  const analysis = analyze(document);
  const output = analysis.nodes.get(analysis.outputs[0] ?? '');
  // A block's values are its own params, not its last layer's: only a primitive layer says.
  const activation = output && getLayerDef(output.type)?.kind === 'layer' ? output.values?.activation : undefined;
  return activation === 'softmax' || activation === 'sigmoid' ? activation : 'logits';
}

interface DataSection {
  label: string;
  defaultDir: string | null;
  definitions: string[];
  images: boolean;
  /** Files read: --data names them (a folder of IDX files, or a text file). */
  readsFiles: boolean;
  task: 'classify' | 'language' | 'translate';
  /** Classes the model predicts over: 10, or a language model's (or an encoder–decoder's target) vocabulary. */
  classes: number;
  /** Python modules the loader needs beyond the script's own. */
  imports: string[];
}

function refuse(problem: string): never {
  throw new PyTorchExportError(`The training script can't be generated: ${problem}`, [problem]);
}

/** A language model's data: token ids in, the next token at every step out, as Netwright trains it. */
function textSection(choice: TextDatasetChoice, module: PyTorchModule): DataSection {
  const input = module.inputs[0]!;
  const output = module.outputs[0]!;
  const steps = input.shape[0] as number;
  if (input.shape.length !== 1 || !input.tokens) refuse(`the model takes ${input.shape.join('×')} inputs; a text dataset needs a Token input (the number of steps) and an Embedding.`);
  if (output.shape.length !== 2 || output.shape[0] !== steps) {
    refuse(`the model's output is ${output.shape.join('×')}; a language model predicts the next token at every step: ${steps}×(vocabulary size).`);
  }
  const vocabulary = output.shape[1] as number;
  const file = choice.kind === 'text' ? choice.path : null;
  return {
    label: choice.kind === 'text' ? `the text ${file?.split(/[\\/]/).pop() ?? ''}` : 'synthetic text',
    defaultDir: file,
    definitions: [textLoader(choice, steps, vocabulary), 'def prepare(x):\n    return x'],
    images: false,
    readsFiles: choice.kind === 'text',
    task: 'language',
    classes: vocabulary,
    imports: ['re', 'unicodedata'],
  };
}

/**
 * An encoder–decoder's sentence pairs: Net(source, decoder_input) → the target's scores at every decoder
 * step, read as Netwright reads the graph (src-shared/analysis/encoderDecoder.ts).
 */
function pairsSection(choice: PairsDatasetChoice, document: GraphDocument): DataSection {
  const shape = encoderDecoderShape(document, analyze(document));
  if ('message' in shape) refuse(shape.message);
  const file = choice.kind === 'pairs' ? choice.path : null;
  const label = choice.kind === 'pairs' ? `the sentence pairs ${file?.split(/[\\/]/).pop() ?? ''}` : choice.task === 'dates' ? 'synthetic dates → ISO' : 'synthetic number words → digits';
  const targetUnit = choice.kind === 'pairs' ? choice.unit : 'char';
  return {
    label,
    defaultDir: file,
    definitions: [pairsLoader(choice, shape), translationReports(targetUnit)],
    images: false,
    readsFiles: choice.kind === 'pairs',
    task: 'translate',
    classes: shape.outputs,
    imports: ['re', 'unicodedata'],
  };
}

/** The dataset code for the config, after checking that the data fit the model as Netwright would. */
function dataSection(config: TrainingConfig, document: GraphDocument, module: PyTorchModule, options: TrainingScriptOptions): DataSection {
  const sequential = () =>
    refuse("the run reads its text by sequential partitioning, carrying the recurrent state from one minibatch to the next, which the script does not do yet (it samples the text at random, d2l's first scheme). Set Minibatches to random sampling to export it.");
  if (isPairsDataset(config.dataset)) {
    if (config.sampling === 'sequential') sequential();
    return pairsSection(config.dataset, document);
  }
  const input = module.inputs[0];
  const output = module.outputs[0];
  if (module.inputs.length !== 1 || module.outputs.length !== 1 || !input || !output) {
    refuse(`the model has ${module.inputs.length} inputs and ${module.outputs.length} outputs; the script trains models with one of each (or an encoder–decoder on sentence pairs).`);
  }
  if (config.sampling === 'sequential') sequential();
  if (isTextDataset(config.dataset)) return textSection(config.dataset, module);
  const kind = config.dataset.kind;
  if (output.shape.length !== 1 || output.shape[0] !== CLASSES) {
    refuse(`the model's output is ${output.shape.join('×')}, but the dataset has ${CLASSES} classes: end the model with a Dense layer of ${CLASSES} units.`);
  }
  const classifier = { task: 'classify' as const, classes: CLASSES };
  if (kind === 'mnist' || kind === 'fashion-mnist') {
    const [h, w, c] = input.shape;
    if (input.shape.length !== 3 || (c !== 1 && c !== 3)) refuse(`the model takes ${input.shape.join('×')} inputs; ${kind} needs an image input with 1 or 3 channels.`);
    const label = kind === 'mnist' ? 'MNIST' : 'Fashion-MNIST';
    const defaultDir = kind === 'mnist' ? (options.dataDirs?.mnist ?? null) : (options.dataDirs?.fashionMnist ?? DEFAULT_FASHION_MNIST_DIR);
    return { ...classifier, label, defaultDir, definitions: [IDX_READER, idxLoader(label), imagePreparer(h as number, w as number, c as number)], images: true, readsFiles: true, imports: ['gzip', 'struct'] };
  }
  if (kind === 'synthetic-sequence') {
    if (input.shape.length !== 2 || input.tokens) refuse(`the model takes ${input.shape.join('×')} inputs; the synthetic sequence task needs a sequence input [T, F].`);
    const [t, f] = input.shape as [number, number];
    return { ...classifier, label: 'synthetic sequences', defaultDir: null, definitions: [sequenceLoader(t, f), 'def prepare(x):\n    return x'], images: false, readsFiles: false, imports: [] };
  }
  return refuse(
    `the ${kind} dataset is not supported by the generated script (it reads MNIST, Fashion-MNIST and text files, and generates the synthetic sequences and text). Choose one of those, or adapt load_data() in the script.`,
  );
}

function settingsBlock(config: TrainingConfig, data: DataSection): string[] {
  const l = pythonLiteral;
  return [
    '# Training settings, as the Netwright run had them. The command line overrides some (see --help).',
    `DATASET = ${l(data.label)}`,
    `DATA_DIR = ${l(data.defaultDir)}${data.defaultDir === null && data.readsFiles ? '  # pass --data DIR' : ''}`,
    `READS_FILES = ${l(data.readsFiles)}`,
    `NUM_CLASSES = ${data.classes}`,
    `LIMIT = ${l(config.limit)}  # train on the first N samples (None: all)`,
    `TEST_LIMIT = ${l(config.testLimit)}`,
    `EPOCHS = ${config.epochs}`,
    `BATCH_SIZE = ${config.batchSize}  # per step, shared between the processes under torchrun`,
    `LEARNING_RATE = ${l(config.learningRate)}`,
    `WEIGHT_DECAY = ${l(config.weightDecay)}`,
    `VALIDATION_SPLIT = ${l(config.validationSplit)}`,
    `EARLY_STOPPING_PATIENCE = ${config.earlyStoppingPatience}  # epochs without a better validation loss; 0: off`,
    `SAVE_BEST_CHECKPOINT = ${l(config.saveBestCheckpoint)}  # test (and keep) the weights with the best validation loss`,
    `SEED = ${config.seed}`,
  ];
}

/**
 * The training script for `document` and `config`. Throws PyTorchExportError when the model cannot
 * be exported or the dataset is one the script cannot load or does not fit the model.
 */
export function exportPyTorchTraining(document: GraphDocument, config: TrainingConfig, options: TrainingScriptOptions): string {
  const module = buildPyTorchModule(document);
  const data = dataSection(config, document, module, options);
  const shared = trainingDefinitions(config, { task: data.task, output: outputActivation(document), images: data.images });
  const optimizerNote = `${config.optimizer}${config.optimizer === 'sgd' && config.momentum > 0 ? ` (${config.nesterov ? 'Nesterov ' : ''}momentum ${config.momentum})` : ''}`;
  const title = document.name.replace(/["\\]/g, '');
  const lines = [
    `"""Trains the Netwright document '${title}' (\`Net\` from ${options.moduleName}.py) in PyTorch.`,
    '',
    `Generated by Netwright from the run's training settings: ${data.label}, ${config.loss}, ${optimizerNote} at`,
    `learning rate ${config.learningRate}, batch ${config.batchSize}, ${config.epochs} epochs, seed ${config.seed}${config.clipNorm === undefined ? '' : `, gradients clipped to norm ${config.clipNorm}`}.`,
    '',
    '    python3 train.py [--data DIR] [--epochs N] [--limit N] [--checkpoint-dir DIR]',
    '    torchrun --nproc_per_node=N train.py [same options]',
    '',
    'Under torchrun every process trains on its share of each epoch with the batch',
    'split between them, and DistributedDataParallel averages the gradients (NCCL on CUDA, Gloo on CPU).',
    'Only rank 0 prints and writes checkpoints: state_dicts that Net().load_state_dict(torch.load(path)) reads.',
    '"""',
    '',
    ...['argparse', 'math', 'os', 'time', ...data.imports].sort().map((name) => `import ${name}`),
    '',
    'import torch',
    'import torch.distributed as dist',
    'import torch.nn.functional as F',
    'from torch.nn.parallel import DistributedDataParallel',
    '',
    `from ${options.moduleName} import Net`,
    '',
    ...settingsBlock(config, data),
    ...shared.settings,
    '',
    '',
    data.definitions.join('\n\n\n'),
    '',
    '',
    shared.definitions,
    '',
    '',
    trainingMain({ encoderDecoder: data.task === 'translate' }),
    '',
  ];
  return lines.join('\n');
}
