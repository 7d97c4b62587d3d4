import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument, ParamValue } from '../../../src-shared/graph/schema';
import type { Shape } from '../../../src-shared/layers/types';

/** The input layer that produces `shape`. */
export function inputFor(shape: Shape): [type: string, params: Record<string, ParamValue>] {
  if (shape.length === 3) return ['ImageInput', { height: shape[0] ?? 1, width: shape[1] ?? 1, channels: shape[2] ?? 1 }];
  if (shape.length === 2) return ['SequenceInput', { steps: shape[0] ?? 1, features: shape[1] ?? 1 }];
  return ['VectorInput', { features: shape[0] ?? 1 }];
}

/** A document: one input per shape, all feeding a layer of `type`. The layer's id is 'layer'. */
export function singleLayerDocument(type: string, params: Record<string, ParamValue>, inputShapes: readonly Shape[]): GraphDocument {
  const b = new DocumentBuilder(`${type} alone`);
  const inputs = inputShapes.map((shape, i) => b.add(...inputFor(shape), [], `input${i + 1}`));
  b.add(type, params, inputs, 'layer');
  return b.build();
}

/** A straight chain of layers, ids as given. */
export function chainDocument(layers: readonly [id: string, type: string, params?: Record<string, ParamValue>][]): GraphDocument {
  const b = new DocumentBuilder('chain');
  let previous: string | null = null;
  for (const [id, type, params] of layers) {
    previous = b.add(type, params ?? {}, previous === null ? [] : [previous], id);
  }
  return b.build();
}
