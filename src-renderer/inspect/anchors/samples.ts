/** The sample images shipped in assets/samples (drawn by scripts/render-samples.mjs), bundled by Vite. */
import catAndDog from '../../../assets/samples/cat-and-dog.png';
import fruit from '../../../assets/samples/fruit.png';
import street from '../../../assets/samples/street.png';

export interface SampleImage {
  readonly id: string;
  readonly title: string;
  readonly url: string;
}

export const SAMPLE_IMAGES: readonly SampleImage[] = [
  { id: 'cat-and-dog', title: 'Cat and dog', url: catAndDog },
  { id: 'fruit', title: 'Fruit', url: fruit },
  { id: 'street', title: 'Street', url: street },
];
