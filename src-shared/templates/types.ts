import type { GraphDocument } from '../graph/schema';

export type TemplateGroup = 'classic' | 'imagenet' | 'course' | 'sequence' | 'detection' | 'segmentation';

export interface TemplateInfo {
  /** Stable id: `netwright summary --template <name>`. */
  name: string;
  title: string;
  /** One or two sentences: what it is, where it comes from, what it expects. */
  description: string;
  group: TemplateGroup;
  /** The implementation whose trainable parameter count this template reproduces exactly. */
  reference?: { source: string; params: number };
  build(): GraphDocument;
}
