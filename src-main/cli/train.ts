import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { namesPath, optimizerLabel, type DatasetChoice, type TrainingConfig } from '../../src-shared/training/config';
import { presetLabel, recipeInputNote, textbookRecipeFor } from '../../src-shared/training/recipes';
import type { TrainingEvent } from '../../src-shared/training/events';
import { defaultWorkspaceDir } from '../files/workspace';
import { RunStore } from '../runs/runStore';
import { RunControl } from '../training/control';
import { runJob } from '../training/runJob';
import { defaultTrainingThreads } from '../training/parallel/dataParallel';
import { parseFlags, usageLine } from './args';
import { UsageError, type CliCommand } from './command';
import { loadCliDocument, readFailure } from './document';
import { applyFreezeFlag, resolveTrainConfig, trainSpec } from './trainArgs';
import { checkpointDir, hasCheckpoint, missingCheckpointMessage } from '../training/initWeights';
import { printer } from './trainOutput';

/** "Settings: SGD at learning rate 0.9, batch 256, 10 epochs: textbook settings (d2l §6.6 LeNet). Images at 28×28, as in the book." */
function settingsLine(config: TrainingConfig, document: GraphDocument): string {
  const recipe = textbookRecipeFor(document);
  const preset = presetLabel(config);
  const clip = config.clipNorm === undefined ? '' : `, gradients clipped to norm ${config.clipNorm}`;
  const textbook = preset && recipe ? `: ${preset}. ${recipeInputNote(recipe, document)}` : '';
  return `Settings: ${optimizerLabel(config)} at learning rate ${config.learningRate}, batch ${config.batchSize}, ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}${clip}${textbook}`;
}

async function isFolder(candidate: string): Promise<boolean> {
  return (await stat(candidate).catch(() => null))?.isDirectory() === true;
}

/** A CSV or text file or image folder that isn't there is a usage error, said before any training starts. */
async function checkDatasetPath(dataset: DatasetChoice): Promise<void> {
  if (!namesPath(dataset)) return;
  const what = dataset.kind === 'image-folder' ? 'folder' : 'file';
  let found;
  try {
    found = await stat(dataset.path);
  } catch (error) {
    throw new UsageError(readFailure(dataset.path, error, what));
  }
  if (found.isDirectory() !== (what === 'folder')) throw new UsageError(`${dataset.path} is not a ${what}: --dataset ${dataset.kind}:${what === 'file' ? 'FILE' : 'DIR'} takes a ${{ csv: 'CSV file', text: 'UTF-8 text file', pairs: 'UTF-8 file of source<TAB>target lines', 'image-folder': 'folder with one subfolder per class' }[dataset.kind]}.`);
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: "Train a network headless (the app's settings for its template, or --preset textbook for the book's) and print the backend, progress, epoch metrics and test accuracy.",
  usage: usageLine('train', '<file | --template NAME>', trainSpec.flags, { omit: ['template'] }),
  async run(args, io) {
    const { values, positional } = parseFlags(trainSpec, args);
    if (positional !== null && values.template !== undefined) throw new UsageError('give either a .netwright file or --template NAME, not both.');
    const loaded = await loadCliDocument(positional, values.template ?? null);
    if (!loaded.ok) {
      io.err(`netwright train: ${loaded.error}`);
      return 1;
    }
    const document = applyFreezeFlag(loaded.document, values.freeze);
    const folder = values.dataset !== undefined && (await isFolder(values.dataset));
    const { config, notes } = resolveTrainConfig(document, values, () => folder);
    await checkDatasetPath(config.dataset);
    const runsDir = path.join(defaultWorkspaceDir(), 'runs');
    const initFromDir = config.initFrom ? checkpointDir(runsDir, config.initFrom) : null;
    if (config.initFrom && !(initFromDir && (await hasCheckpoint(initFromDir)))) throw new UsageError(`--init-from: ${missingCheckpointMessage(config.initFrom)}`);
    for (const note of notes) io.err(`netwright train: note: ${note}`);
    if (values.json !== true) {
      io.out(settingsLine(config, document));
      if (values.freeze !== undefined) io.out(`Frozen for this run: ${values.freeze.split(',').map((n) => n.trim()).filter(Boolean).join(', ')}`);
    }
    const control = new RunControl();
    const interrupt = () => control.stop();
    process.once('SIGINT', interrupt);
    const print = printer(io, values.json === true, process.stdout.isTTY === true);
    // Recorded like the app's runs, so the runs browser and `export --weights RUN` find them.
    const store = values['no-record'] === true ? null : new RunStore(runsDir);
    const record = store ? await store.create(document, config) : null;
    let recording = Promise.resolve();
    const emit = (event: TrainingEvent) => {
      if (store && record) recording = recording.then(() => store.record(record.id, event));
      print(event);
    };
    try {
      const end = await runJob(document, config, emit, control, { runDir: store && record ? store.runDir(record.id) : null, initFromDir, threads: defaultTrainingThreads() });
      await recording;
      if (store && record && values.json !== true) io.out(`Run ${record.id} recorded in ${store.runDir(record.id)}`);
      return end.status === 'failed' || end.status === 'diverged' ? 1 : 0;
    } finally {
      process.off('SIGINT', interrupt);
    }
  },
};
