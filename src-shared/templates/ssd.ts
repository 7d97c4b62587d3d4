import { defineTemplate } from './parts';

/** d2l's anchor sizes per scale (growing from 0.2 to 0.961) and ratios: 2 + 3 − 1 = 4 anchors per pixel. */
export const TINY_SSD_ANCHORS = {
  sizes: [
    [0.2, 0.272],
    [0.37, 0.447],
    [0.54, 0.619],
    [0.71, 0.79],
    [0.88, 0.961],
  ],
  ratios: [1, 2, 0.5],
} as const;

const NUM_CLASSES = 1;
const ANCHORS_PER_PIXEL = TINY_SSD_ANCHORS.sizes[0].length + TINY_SSD_ANCHORS.ratios.length - 1;

/**
 * d2l's TinySSD: a down-sampling base network and four more scales (32, 16, 8, 4 and 1 pixels wide on a
 * 256×256 input); at each, a 3×3 conv predicts class scores and another box offsets for every anchor.
 */
export const tinySsd = defineTemplate(
  {
    name: 'tiny-ssd',
    title: 'Tiny SSD detector',
    description:
      "d2l's TinySSD for 256×256×3 images and one object class: five scales (32×32 down to 1×1) with 4 anchors per pixel each (5,444 in all); outputs class scores [5444, 2] and box offsets [21776]. Anchor sizes and ratios are in the metadata.",
    group: 'detection',
  },
  'Tiny SSD',
  (b) => {
    const downSample = (input: string, filters: number, id: string) => b.add('VGGBlock', { numConvs: 2, filters, batchNorm: true }, [input], id);
    let h = b.add('ImageInput', { height: 256, width: 256, channels: 3 }, [], 'input');
    h = downSample(h, 16, 'base1');
    h = downSample(h, 32, 'base2');
    const scales: string[] = [downSample(h, 64, 'base3')];
    for (let i = 1; i <= 3; i++) scales.push(downSample(scales[i - 1] as string, 128, `blk${i + 1}`));
    const pooled = b.add('GlobalMaxPool2D', {}, [scales[3] as string], 'blk5_pool');
    scales.push(b.add('Reshape', { targetShape: [1, 1, 128] }, [pooled], 'blk5'));

    const clsOut: string[] = [];
    const bboxOut: string[] = [];
    scales.forEach((scale, i) => {
      const cls = b.add('Conv2D', { filters: ANCHORS_PER_PIXEL * (NUM_CLASSES + 1), kernelSize: [3, 3], padding: 'same' }, [scale], `cls${i + 1}`);
      const box = b.add('Conv2D', { filters: ANCHORS_PER_PIXEL * 4, kernelSize: [3, 3], padding: 'same' }, [scale], `bbox${i + 1}`);
      clsOut.push(b.add('Flatten', {}, [cls], `cls${i + 1}_flat`));
      bboxOut.push(b.add('Flatten', {}, [box], `bbox${i + 1}_flat`));
    });
    const cls = b.add('Concatenate', {}, clsOut, 'cls_concat');
    b.add('Reshape', { targetShape: [-1, NUM_CLASSES + 1] }, [cls], 'cls_preds');
    b.add('Concatenate', {}, bboxOut, 'bbox_preds');
  },
  { anchors: { sizes: TINY_SSD_ANCHORS.sizes.map((s) => [...s]), ratios: [...TINY_SSD_ANCHORS.ratios] } },
);
