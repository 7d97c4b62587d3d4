import { alexnet, alexnetCourse, lenet5, ninCourse, ninImagenet, vgg11, vgg11Course, vgg16 } from './classic';
import { densenet121, densenetCourse } from './densenet';
import { googlenetCourse, googlenetImagenet } from './googlenet';
import { fcnMini, fcnResnet18, resnet18, resnet18Course, resnet50 } from './resnet';
import { bigruClassifier, charLm, deepCharLm, lstmClassifier, seq2seqDates } from './sequence';
import { tinySsd } from './ssd';
import type { TemplateInfo } from './types';

export type { TemplateGroup, TemplateInfo } from './types';
export { TINY_SSD_ANCHORS } from './ssd';

/** Every template, in the order the "New from template" menu lists them. */
export const templates: readonly TemplateInfo[] = [
  lenet5,
  alexnetCourse,
  vgg11Course,
  ninCourse,
  googlenetCourse,
  resnet18Course,
  densenetCourse,
  alexnet,
  vgg11,
  vgg16,
  ninImagenet,
  googlenetImagenet,
  resnet18,
  resnet50,
  densenet121,
  lstmClassifier,
  bigruClassifier,
  charLm,
  deepCharLm,
  seq2seqDates,
  tinySsd,
  fcnResnet18,
  fcnMini,
];

/**
 * @example
 * const doc = getTemplate('resnet18')?.build();
 */
export function getTemplate(name: string): TemplateInfo | undefined {
  return templates.find((t) => t.name === name);
}

export const templateNames: readonly string[] = templates.map((t) => t.name);
