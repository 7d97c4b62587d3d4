import { setParam } from '../../../src-shared/graph/ops';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates';

export const SMALL_SSD_SIZE = 64;

/**
 * The tiny-ssd template with its head, anchors and metadata as they are, on 64×64 images (scales
 * 8, 4, 2, 1, 1) with narrower blocks and one conv in the first two, so CI trains it in seconds.
 */
export function smallTinySsd(): GraphDocument {
  let doc = getTemplate('tiny-ssd')!.build();
  doc = setParam(setParam(doc, 'input', 'height', SMALL_SSD_SIZE), 'input', 'width', SMALL_SSD_SIZE);
  const filters: Record<string, number> = { base1: 8, base2: 16, base3: 32, blk2: 32, blk3: 32, blk4: 32 };
  for (const [id, n] of Object.entries(filters)) doc = setParam(doc, id, 'filters', n);
  for (const id of ['base1', 'base2']) doc = setParam(doc, id, 'numConvs', 1);
  return setParam(doc, 'blk5', 'targetShape', [1, 1, 32]);
}

