import type { TrainingConfig } from '../training/config';
import { TRAINING_CORE } from './pytorchCore';
import { taskDefinitions, type TrainingTask } from './pytorchTasks';
import { augmentFunction, KERNEL_DECAY, optimizerFactory, scheduleFunction, type OutputActivation } from './pytorchTrainParts';

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
    TRAINING_CORE,
  ];
  return {
    settings: [`AUGMENT = ${augment ? 'True' : 'False'}`, `DECAY = ${decay ? 'True' : 'False'}`],
    definitions: [SHARED_BEGIN, definitions.join('\n\n\n'), SHARED_END].join('\n'),
  };
}
