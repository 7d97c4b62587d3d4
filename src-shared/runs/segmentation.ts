import { z } from 'zod';

/**
 * Mask colours, one per class, repeated past the end; class 0 (background) is left transparent
 * in overlays. Bright and apart from one another, so they read over photos and the synthetic shapes.
 */
export const SEGMENTATION_PALETTE: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [255, 214, 0],
  [0, 200, 255],
  [255, 0, 200],
  [120, 255, 80],
  [255, 120, 0],
  [150, 100, 255],
  [0, 255, 190],
  [255, 90, 90],
];

/** The palette colour of a class, [r, g, b] in 0–255 (black for the background). */
export function paletteColor(classId: number): readonly [number, number, number] {
  if (classId <= 0) return [0, 0, 0];
  return SEGMENTATION_PALETTE[1 + ((classId - 1) % (SEGMENTATION_PALETTE.length - 1))] ?? [0, 0, 0];
}

/** The palette colour of a class as CSS `rgb(…)`. */
export function classColor(classId: number): string {
  const [r, g, b] = paletteColor(classId);
  return `rgb(${r}, ${g}, ${b})`;
}

const PngDataUrl = z.string().max(2_000_000).regex(/^data:image\/png;base64,[A-Za-z0-9+/=]*$/);

/** One test image of a segmentation run: the image, its true and predicted masks (palette PNGs, background transparent). */
export const SegmentationSample = z.object({
  index: z.number().int().min(0),
  image: PngDataUrl,
  truth: PngDataUrl,
  predicted: PngDataUrl,
  pixelAccuracy: z.number().min(0).max(1),
  meanIoU: z.number().min(0).max(1),
});
export type SegmentationSample = z.infer<typeof SegmentationSample>;

/** segmentation.json in a run's folder: a few test images with their masks, ready to show. */
export const SegmentationSampleSet = z.object({
  classNames: z.array(z.string()),
  samples: z.array(SegmentationSample),
});
export type SegmentationSampleSet = z.infer<typeof SegmentationSampleSet>;
