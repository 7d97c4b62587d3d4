import type { TrainingConfig } from '../training/config';
import { trainingCore } from './pytorchCore';
import { taskDefinitions, type TrainingTask } from './pytorchTasks';
import { augmentFunction, KERNEL_DECAY, optimizerFactory, pythonLiteral, scheduleFunction, type OutputActivation } from './pytorchTrainParts';

/**
 * What the exported train.py and the app's PyTorch engine runner have in common, generated once for
 * a config: the settings the step reads and the definitions from the loss to the epoch loop. Both
 * scripts embed `definitions` verbatim between the markers below, so a test can check they run the
 * same code (tests/integration/pytorch/sameCode.test.ts).
 */

export const SHARED_BEGIN = '# ---- shared with the Netwright app: the training step (generated; keep in sync by regenerating) ----';
export const SHARED_END = '# ---- end of the shared training step ----';

export interface SharedOptions {
  task: TrainingTask;
  output: OutputActivation;
  /** The inputs are images (augmentations that move pixels apply). */
  images: boolean;
}

export interface SharedCode {
  /** `NAME = value` lines the definitions read. */
  settings: string[];
  definitions: string;
}

export function trainingDefinitions(config: TrainingConfig, options: SharedOptions): SharedCode {
  // Segmentation and detection train unaugmented, as in the TF.js loops (masks and boxes would not follow).
  const augment = options.task === 'classify' ? augmentFunction(config.augment, options.images) : null;
  const decay = config.weightDecay > 0;
  const definitions = [
    taskDefinitions(options.task, config.loss, options.output),
    optimizerFactory(config),
    scheduleFunction(config),
    ...(decay ? [KERNEL_DECAY] : []),
    ...(augment ? [augment] : []),
    // An encoder–decoder is the one task whose Net takes two inputs (source, decoder input).
    trainingCore({ clip: config.clipNorm !== undefined, inputTuple: options.task === 'translate' }),
  ];
  const clip = config.clipNorm === undefined ? [] : [`CLIP_NORM = ${pythonLiteral(config.clipNorm)}  # gradients clipped to this global L2 norm before each step (d2l's theta)`];
  return {
    settings: [`AUGMENT = ${augment ? 'True' : 'False'}`, `DECAY = ${decay ? 'True' : 'False'}`, ...clip],
    definitions: [SHARED_BEGIN, definitions.join('\n\n\n'), SHARED_END].join('\n'),
  };
}
