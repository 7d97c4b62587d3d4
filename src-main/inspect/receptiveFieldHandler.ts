import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../src-shared/analysis/analyze';
import { fieldWindow } from '../../src-shared/analysis/fieldWindow';
import { ApiError, type RequestOf, type ResponseOf } from '../../src-shared/api/contract';
import { compileDocument } from '../compiler/compile';
import { encodePng } from '../datasets/imageCodec';
import { loadMnist } from '../datasets/mnist';
import { effectiveReceptiveField } from './effectiveField';

/**
 * The theoretical receptive field of one unit (from the analysis) and its effective field (input
 * gradient) on an MNIST test image, or seeded noise when the input is not 28×28×1, in an untrained,
 * seeded model of the document.
 */
export async function inspectReceptiveField(request: RequestOf<'inspect.receptiveField'>): Promise<ResponseOf<'inspect.receptiveField'>> {
  const { document, nodeId, unit, sample } = request;
  const analysis = analyze(document);
  if (!analysis.ok) throw new ApiError('Fix the graph\u2019s errors first: the receptive field needs a model that works.', 'invalid-request');
  const info = analysis.nodes.get(nodeId);
  const field = info?.receptiveField;
  const output = info?.outputShapes?.[0];
  const input = analysis.nodes.get(analysis.inputs[0] ?? '')?.outputShapes?.[0];
  if (!info || !field || !output || output.length !== 3 || !input || input.length !== 3) {
    throw new ApiError('Pick a layer with an image-shaped output (a convolution or pooling layer) in a network with an image input.', 'invalid-request');
  }
  const [h, w, c] = input as [number, number, number];
  const [mh, mw] = output as [number, number, number];
  if (unit[0] >= mh || unit[1] >= mw) throw new ApiError(`Unit (${unit[0]}, ${unit[1]}) is outside the ${mh}×${mw} feature map.`, 'invalid-request');

  let pixels: Float32Array;
  let source: string;
  if (h === 28 && w === 28 && c === 1) {
    const mnist = await loadMnist({ limit: 1, testLimit: sample + 1 });
    pixels = mnist.test.x.slice(sample * 784, (sample + 1) * 784);
    source = `MNIST test image ${sample} (label ${mnist.test.y[sample]})`;
  } else {
    pixels = tf.tidy(() => tf.randomUniform([h * w * c], 0, 1, 'float32', 1).dataSync() as Float32Array);
    source = 'seeded random image';
  }
  const compiled = compileDocument(document, { seed: 1 });
  try {
    const layer = compiled.layers.find((l) => l.path === nodeId);
    if (!layer) throw new ApiError('Receptive fields are shown for single layers; expand the block first (Ctrl+Shift+G).', 'invalid-request');
    const image = tf.tensor3d(pixels, [h, w, c]);
    const heat = effectiveReceptiveField(compiled.model, layer.name, unit, image);
    image.dispose();
    const max = heat.reduce((m, v) => Math.max(m, v), 0) || 1;
    const grey = new Uint8Array(h * w);
    for (let i = 0; i < h * w; i++) grey[i] = Math.round(255 * Math.min(1, Math.max(0, pixels[i * c] ?? 0)));
    return {
      inputSize: [h, w],
      mapSize: [mh, mw],
      field,
      window: fieldWindow(field, unit, [h, w]),
      heat: Array.from(heat, (v) => v / max),
      image: `data:image/png;base64,${encodePng(grey, w, h, 1).toString('base64')}`,
      source,
    };
  } finally {
    compiled.model.dispose();
  }
}
