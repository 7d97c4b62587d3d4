import { mixup, randomBrightnessContrast, randomCrop, randomFlipHorizontal } from '../datasets/pipeline/augment';
import type { Random } from '../datasets/random';
import type { Augmentation } from '../../src-shared/training/config';

/** True when a config asks for any augmentation. */
export function augments(a: Augmentation): boolean {
  return a.flip || a.cropPadding > 0 || a.brightness > 0 || a.contrast > 0 || a.mixupAlpha > 0;
}

/** The image-only augmentations asked for, when the data is not [H, W, C] images; for the log. */
export function imageOnlyIgnored(a: Augmentation, inputShape: readonly number[]): string | null {
  if (inputShape.length === 3) return null;
  const asked = [a.flip && 'flip', a.cropPadding > 0 && 'random crop', (a.brightness > 0 || a.contrast > 0) && 'brightness/contrast'].filter(Boolean);
  return asked.length > 0 ? `${asked.join(', ')} apply to images only; ignored for ${inputShape.join('×')} samples.` : null;
}

/**
 * Augments one training batch: image transforms on x, then mixup, which also blends the labels
 * (returned as soft label rows). Without mixup the labels stay class ids.
 */
export function augmentBatch(
  x: Float32Array,
  labels: Float32Array,
  count: number,
  inputShape: readonly number[],
  numClasses: number,
  a: Augmentation,
  random: Random,
): { x: Float32Array; soft: Float32Array | null } {
  let out = x;
  if (inputShape.length === 3) {
    const shape = inputShape as [number, number, number];
    if (a.flip) out = randomFlipHorizontal({ x: out, count, shape }, random).x;
    if (a.cropPadding > 0) out = randomCrop({ x: out, count, shape }, random, a.cropPadding).x;
    if (a.brightness > 0 || a.contrast > 0) out = randomBrightnessContrast({ x: out, count, shape }, random, { brightness: a.brightness, contrast: a.contrast }).x;
  }
  if (a.mixupAlpha <= 0) return { x: out, soft: null };
  const oneHot = new Float32Array(count * numClasses);
  for (let i = 0; i < count; i++) oneHot[i * numClasses + (labels[i] as number)] = 1;
  const mixed = mixup({ x: out, y: oneHot, count }, random, a.mixupAlpha);
  return { x: mixed.x, soft: mixed.y };
}
