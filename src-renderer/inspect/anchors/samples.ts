/** The sample images shipped in assets/samples (drawn by scripts/render-samples.mjs), bundled by Vite. */
import type { Box } from '../../../src-shared/analysis/anchors';
import catAndDog from '../../../assets/samples/cat-and-dog.png';
import fruit from '../../../assets/samples/fruit.png';
import street from '../../../assets/samples/street.png';

export interface SampleImage {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  /** The drawn objects' boxes, normalized: what a labeller would give (the script knows the shapes). */
  readonly objects: readonly { readonly className: string; readonly box: Box }[];
}

/** Pixel boxes of the 256×256 drawings → normalized. */
const objects = (list: [string, number, number, number, number][]) =>
  list.map(([className, x0, y0, x1, y1]) => ({ className, box: [x0 / 256, y0 / 256, x1 / 256, y1 / 256] as const }));

export const SAMPLE_IMAGES: readonly SampleImage[] = [
  { id: 'cat-and-dog', title: 'Cat and dog', url: catAndDog, objects: objects([['dog', 19, 76, 129, 193], ['cat', 146, 116, 226, 212]]) },
  { id: 'fruit', title: 'Fruit', url: fruit, objects: objects([['apple', 34, 112, 106, 196], ['orange', 122, 140, 178, 196], ['banana', 186, 94, 226, 202]]) },
  { id: 'street', title: 'Street', url: street, objects: objects([['car', 20, 156, 150, 227], ['person', 174, 118, 198, 226], ['sign', 215, 94, 247, 222]]) },
];
