import type * as tf from '@tensorflow/tfjs';
import { ApiError, type ResponseOf } from '../../src-shared/api/contract';
import { normalise } from '../../src-shared/inspect/mapMath';
import type { RunStore } from '../runs/runStore';
import { MAX_TILES } from './featureMaps';
import { describeLayer, pngDataUrl, withRun } from './trainedRun';

/** One filter's weights from a [kh, kw, in, out] kernel, as [kh, kw, in] row-major. */
export function filterWeights(kernel: Float32Array, [kh, kw, cin, cout]: readonly number[], filter: number): Float32Array {
  const size = (kh as number) * (kw as number) * (cin as number);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = kernel[i * (cout as number) + filter] as number;
  return out;
}

/**
 * A filter as a picture: RGB scaled to its own range when it reads 3 channels; otherwise its first
 * input channel in grey with 0 at mid-grey, so positive and negative weights read apart.
 */
export function filterTile(weights: Float32Array, kh: number, kw: number, cin: number): string {
  if (cin === 3) return pngDataUrl(Uint8Array.from(normalise(weights), (v) => Math.round(255 * v)), kw, kh, 3);
  const plane = Float32Array.from({ length: kh * kw }, (_, p) => weights[p * cin] as number);
  const extent = plane.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
  return pngDataUrl(Uint8Array.from(plane, (v) => Math.round(127.5 + 127.5 * (v / extent))), kw, kh, 1);
}

/** The first convolution's kernels of a trained run, one tile per filter. */
export function firstLayerFilters(runs: RunStore, runId: string): Promise<ResponseOf<'inspect.filters'>> {
  return withRun(runs, runId, async (run) => {
    const step = run.layers.find((s) => s.type === 'Conv2D');
    if (!step) throw new ApiError('This run\u2019s graph has no Conv2D layer, so it has no image filters to show.', 'invalid-request');
    const kernelVariable = run.model.getLayer(step.name).getWeights()[0] as tf.Tensor | undefined;
    if (!kernelVariable || kernelVariable.rank !== 4) throw new ApiError(`Layer '${step.path}' has no 4-D kernel.`, 'failed');
    const shape = kernelVariable.shape;
    const [kh, kw, cin, cout] = shape as [number, number, number, number];
    const kernel = (await kernelVariable.data()) as Float32Array;
    const filters = Array.from({ length: Math.min(cout, MAX_TILES) }, (_, filter) => {
      const weights = filterWeights(kernel, shape, filter);
      return { image: filterTile(weights, kh, kw, cin), weights: Array.from(weights) };
    });
    return {
      layer: describeLayer(step),
      kernelSize: [kh, kw],
      inChannels: cin,
      outChannels: cout,
      rgb: cin === 3,
      filters,
      note: [cout > MAX_TILES ? `Showing the first ${MAX_TILES} of ${cout} filters.` : '', cin !== 3 && cin > 1 ? `Each filter reads ${cin} channels; the tiles show the first.` : ''].filter(Boolean).join(' ') || null,
      checkpoint: run.checkpoint,
    };
  });
}
