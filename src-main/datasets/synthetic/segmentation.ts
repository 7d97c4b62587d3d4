/**
 * A synthetic semantic-segmentation set for a tiny FCN: 1–maxObjects flat, saturated circles,
 * squares and triangles on a textured, greyish background (a gradient with stripes and noise), with
 * a per-pixel class mask (0 = background; a later shape covers an earlier one, in the image and the
 * mask alike). Each class leans to one hue (circles red, squares green, triangles blue, jittered),
 * so a net of a few thousand weights learns it in seconds; the outline still has to come from the shape.
 * Seeded: the same options give the same images and masks.
 */
import { createRandom, type Random } from '../random';
import type { Dataset, DatasetSplit } from '../types';
import { checkScales, paintShape, SHAPE_NAMES, type ShapeSetOptions } from './shapes';

/** Class 0 is background; class k ≥ 1 is shape k − 1. */
export const SEGMENTATION_CLASS_NAMES: readonly string[] = ['background', ...SHAPE_NAMES];

export interface SegmentationSetOptions extends ShapeSetOptions {
  height?: number;
  width?: number;
}

const DEFAULTS: Required<SegmentationSetOptions> = {
  height: 64, width: 64, channels: 3, trainCount: 512, testCount: 128, maxObjects: 3, minScale: 0.25, maxScale: 0.5, seed: 1,
};

/** A muted colour: a grey level with a small tint. */
function mutedColor(random: Random, channels: number): number[] {
  const grey = random.uniform(0.25, 0.75);
  return Array.from({ length: channels }, () => grey + random.uniform(-0.1, 0.1));
}

/** A saturated colour leaning to the class's hue (channel classId - 1 strong, the others weak); grey images get a bright or dark level. */
function shapeColor(random: Random, channels: number, classId: number): number[] {
  if (channels === 1) return [classId === 2 ? random.uniform(0, 0.15) : random.uniform(0.85, 1)];
  return Array.from({ length: channels }, (_, d) => (d === classId - 1 ? random.uniform(0.75, 1) : random.uniform(0, 0.35)));
}

function drawBackground(x: Float32Array, offset: number, s: Required<SegmentationSetOptions>, random: Random): void {
  const { height, width, channels } = s;
  const from = mutedColor(random, channels);
  const to = mutedColor(random, channels);
  // Soft stripes at a random angle and period: texture the net must learn to call background.
  const angle = random.uniform(0, Math.PI);
  const period = random.uniform(4, 12);
  const stripe = random.uniform(0.05, 0.15);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const t = (r + c) / Math.max(1, height + width - 2);
      const wave = stripe * Math.sin((2 * Math.PI * (c * Math.cos(angle) + r * Math.sin(angle))) / period);
      for (let d = 0; d < channels; d++) {
        const value = (1 - t) * (from[d] as number) + t * (to[d] as number) + wave + 0.06 * random.normal();
        x[offset + (r * width + c) * channels + d] = Math.min(1, Math.max(0, value));
      }
    }
  }
}

function drawSample(x: Float32Array, mask: Int32Array, sample: number, s: Required<SegmentationSetOptions>, random: Random): void {
  const { height, width, channels } = s;
  const offset = sample * height * width * channels;
  const maskOffset = sample * height * width;
  drawBackground(x, offset, s, random);
  const shorter = Math.min(height, width);
  const objects = 1 + random.int(s.maxObjects);
  for (let k = 0; k < objects; k++) {
    const side = Math.max(4, Math.round(random.uniform(s.minScale, s.maxScale) * shorter));
    const x0 = random.int(width - side + 1);
    const y0 = random.int(height - side + 1);
    const classId = 1 + random.int(SEGMENTATION_CLASS_NAMES.length - 1);
    paintShape(x, offset, width, classId - 1, [x0, y0, side], shapeColor(random, channels, classId), (r, c) => {
      mask[maskOffset + r * width + c] = classId;
    });
  }
}

function makeSplit(count: number, s: Required<SegmentationSetOptions>, random: Random): DatasetSplit {
  const pixels = s.height * s.width;
  const x = new Float32Array(count * pixels * s.channels);
  const masks = new Int32Array(count * pixels);
  for (let n = 0; n < count; n++) drawSample(x, masks, n, s, random);
  // y: each sample's most frequent shape class (for class counts and previews).
  const y = Int32Array.from({ length: count }, (_, n) => {
    const counts = new Array<number>(SEGMENTATION_CLASS_NAMES.length).fill(0);
    for (let p = n * pixels; p < (n + 1) * pixels; p++) counts[masks[p] as number]++;
    let best = 1;
    for (let c = 2; c < counts.length; c++) if ((counts[c] as number) > (counts[best] as number)) best = c;
    return best;
  });
  return { x, y, count, masks };
}

export function generateSegmentationSet(options: SegmentationSetOptions = {}): Dataset {
  const s = { ...DEFAULTS, ...options };
  checkScales('Segmentation set', s.minScale, s.maxScale);
  for (const [what, value] of [['height', s.height], ['width', s.width]] as const) {
    if (!Number.isInteger(value) || value < 8 || value > 1024) throw new Error(`Segmentation set: ${what} must be an integer from 8 to 1024, got ${value}.`);
  }
  const random = createRandom(s.seed);
  return {
    name: 'Synthetic shapes (segmentation)',
    kind: 'segmentation',
    inputShape: [s.height, s.width, s.channels],
    numClasses: SEGMENTATION_CLASS_NAMES.length,
    classNames: [...SEGMENTATION_CLASS_NAMES],
    train: makeSplit(s.trainCount, s, random),
    test: makeSplit(s.testCount, s, random),
  };
}
