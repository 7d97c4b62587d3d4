import * as tf from '@tensorflow/tfjs';
import { ApiError, type RequestOf, type ResponseOf } from '../../src-shared/api/contract';
import { averageBlocks, channelOf, heatColour, normalise, shrinkFactor } from '../../src-shared/inspect/mapMath';
import type { RunStore } from '../runs/runStore';
import { describeLayer, findLayer, isImageShaped, loadSample, pngDataUrl, withRun } from './trainedRun';

/** At most this many channel tiles or filters go over the wire; the rest is counted in a note. */
export const MAX_TILES = 64;
/** Image-shaped maps larger than this on a side are averaged down, to keep the payload small. */
export const MAX_TILE_SIDE = 96;

/** What one layer outputs for one input, without the batch axis. Disposes what it makes. */
export function layerOutput(model: tf.LayersModel, layerName: string, pixels: Float32Array, inputShape: readonly number[]): Float32Array {
  const output = model.getLayer(layerName).output;
  // A layer with several outputs (an RNN returning its state) is shown by its first.
  const probe = tf.model({ inputs: model.inputs, outputs: Array.isArray(output) ? (output[0] as tf.SymbolicTensor) : output });
  const result = tf.tidy(() => probe.predict(tf.tensor(pixels, [1, ...inputShape])) as tf.Tensor);
  const values = result.dataSync() as Float32Array;
  result.dispose();
  return values;
}

/** A layer's output seen as [H, W, C]: a vector is one 1×N tile, a sequence one T×F tile. */
export function tileGeometry(shape: readonly number[]): [number, number, number] {
  if (isImageShaped(shape)) return [shape[0], shape[1], shape[2]];
  if (shape.length === 2) return [shape[0] as number, shape[1] as number, 1];
  return [1, shape.reduce((a, b) => a * b, 1), 1];
}

/** Each channel of a [H, W, C] map scaled to its own range and colormapped, as PNG data URLs. */
export function channelTiles(values: Float32Array, [h, w, c]: readonly [number, number, number], limit = MAX_TILES): ResponseOf<'inspect.featureMaps'>['tiles'] {
  const tiles: ResponseOf<'inspect.featureMaps'>['tiles'] = [];
  for (let channel = 0; channel < Math.min(c, limit); channel++) {
    const plane = channelOf(values, h, w, c, channel);
    const scaled = normalise(plane);
    const rgb = new Uint8Array(h * w * 3);
    scaled.forEach((v, i) => rgb.set(heatColour(v), i * 3));
    tiles.push({ image: pngDataUrl(rgb, w, h, 3), min: plane.reduce((m, v) => Math.min(m, v), Infinity), max: plane.reduce((m, v) => Math.max(m, v), -Infinity) });
  }
  return tiles;
}

/** The feature maps of one layer of a trained run for one test sample, as a grid of channel tiles. */
export function featureMaps(runs: RunStore, request: RequestOf<'inspect.featureMaps'>): Promise<ResponseOf<'inspect.featureMaps'>> {
  return withRun(runs, request.runId, async (run) => {
    const step = request.layer !== undefined ? findLayer(run, request.layer) : (run.layers.find((s) => isImageShaped(s.outputShape)) ?? run.layers[0]);
    if (!step) throw new ApiError('This run\u2019s graph has no layers to look inside.', 'invalid-request');
    const loaded = await loadSample(run, request.sample);
    const [h, w, channels] = tileGeometry(step.outputShape);
    const factor = h > 1 ? shrinkFactor(h, w, MAX_TILE_SIDE) : 1;
    const small = averageBlocks(layerOutput(run.model, step.name, loaded.pixels, run.inputShape), h, w, channels, factor);
    const notes = [channels > MAX_TILES ? `Showing the first ${MAX_TILES} of ${channels} channels.` : '', factor > 1 ? `Tiles are ${small.height}×${small.width}, averaged over ${factor}×${factor} blocks.` : ''];
    return {
      layers: run.layers.map(describeLayer),
      layer: describeLayer(step),
      channels,
      tiles: channelTiles(small.values, [small.height, small.width, channels]),
      tileSize: [small.height, small.width],
      note: notes.filter(Boolean).join(' ') || null,
      sample: loaded.sample,
      checkpoint: run.checkpoint,
    };
  });
}
