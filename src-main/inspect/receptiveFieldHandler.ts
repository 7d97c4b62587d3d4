import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../src-shared/analysis/analyze';
import { fieldWindow } from '../../src-shared/analysis/fieldWindow';
import { ApiError, type RequestOf, type ResponseOf } from '../../src-shared/api/contract';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { compileDocument } from '../compiler/compile';
import { encodePng } from '../datasets/imageCodec';
import { loadMnist } from '../datasets/mnist';
import type { RunStore } from '../runs/runStore';
import { effectiveReceptiveField, strongestChannel } from './effectiveField';
import { readyForGradients } from './readyForGradients';
import { loadSample, withRun } from './trainedRun';

interface FieldInput {
  pixels: Float32Array;
  source: string;
}

/** The pieces of the answer that come from the graph alone; throws when the node has no image-shaped field. */
function theoreticalField(document: GraphDocument, nodeId: string, unit: readonly [number, number]) {
  const analysis = analyze(document);
  if (!analysis.ok) throw new ApiError('Fix the graph\u2019s errors first: the receptive field needs a model that works.', 'invalid-request');
  const info = analysis.nodes.get(nodeId);
  const field = info?.receptiveField;
  const output = info?.outputShapes?.[0];
  const input = analysis.nodes.get(analysis.inputs[0] ?? '')?.outputShapes?.[0];
  if (!info || !field || !output || output.length !== 3 || !input || input.length !== 3) {
    throw new ApiError('Pick a layer with an image-shaped output (a convolution or pooling layer) in a network with an image input.', 'invalid-request');
  }
  const [mh, mw] = output as [number, number, number];
  if (unit[0] >= mh || unit[1] >= mw) throw new ApiError(`Unit (${unit[0]}, ${unit[1]}) is outside the ${mh}×${mw} feature map.`, 'invalid-request');
  return { field, inputShape: input as [number, number, number], mapSize: [mh, mw] as [number, number] };
}

function answer(model: tf.LayersModel, layerName: string, request: RequestOf<'inspect.receptiveField'>, shape: ReturnType<typeof theoreticalField>, input: FieldInput, weights: string): ResponseOf<'inspect.receptiveField'> {
  const [h, w, c] = shape.inputShape;
  const image = tf.tensor3d(input.pixels, [h, w, c]);
  const channel = strongestChannel(model, layerName, request.unit, image);
  const heat = effectiveReceptiveField(model, layerName, request.unit, image, channel);
  image.dispose();
  const peak = heat.reduce((m, v) => Math.max(m, v), 0);
  const max = peak || 1;
  const grey = new Uint8Array(h * w);
  for (let i = 0; i < h * w; i++) grey[i] = Math.round(255 * Math.min(1, Math.max(0, input.pixels[i * c] ?? 0)));
  return {
    inputSize: [h, w],
    mapSize: shape.mapSize,
    field: shape.field,
    window: fieldWindow(shape.field, request.unit, [h, w]),
    heat: Array.from(heat, (v) => v / max),
    image: `data:image/png;base64,${encodePng(grey, w, h, 1).toString('base64')}`,
    source: input.source,
    weights,
    channel,
    note:
      peak > 0
        ? null
        : `The effective field is empty: no input pixel changes this unit (channel ${channel}, the most active one here) on this image. With ${weights.startsWith('untrained') ? 'untrained weights' : 'these weights'} its activation is cut to zero${weights.startsWith('untrained') ? ' (a ReLU that is off, or saturated units)' : ''}; try another unit or image${weights.startsWith('untrained') ? ', or a trained run\u2019s weights' : ''}. The theoretical field (the frame) still holds.`,
  };
}

/**
 * The theoretical receptive field of one unit (from the analysis) and its effective field (input
 * gradient). Without a run: in an untrained, seeded model of the document, on an MNIST test image
 * (or seeded noise when the input is not 28×28×1). With a run: in the run's graph with its trained
 * weights, on a test image of its own dataset.
 */
export async function inspectReceptiveField(request: RequestOf<'inspect.receptiveField'>, runs?: RunStore): Promise<ResponseOf<'inspect.receptiveField'>> {
  const { nodeId, unit, sample, runId } = request;
  await readyForGradients();
  if (runId) {
    if (!runs) throw new ApiError('Runs are not available here.', 'failed');
    return withRun(runs, runId, async (run) => {
      const layer = run.layers.find((s) => s.path === nodeId);
      if (!layer) throw new ApiError(`Layer '${nodeId}' is not in this run's graph (run '${run.record.name}'); pick "untrained" or a run of this design.`, 'invalid-request');
      const shape = theoreticalField(run.record.document, nodeId, unit);
      const loaded = await loadSample(run, sample);
      const source = `test image ${sample} of ${run.record.datasetName ?? run.record.config.dataset.kind} (${loaded.sample.className})`;
      return answer(run.model, layer.name, request, shape, { pixels: loaded.pixels, source }, `trained: ${run.record.name} (${run.checkpoint} checkpoint)`);
    });
  }
  const shape = theoreticalField(request.document, nodeId, unit);
  const [h, w, c] = shape.inputShape;
  let input: FieldInput;
  if (h === 28 && w === 28 && c === 1) {
    const mnist = await loadMnist({ limit: 1, testLimit: sample + 1 });
    input = { pixels: mnist.test.x.slice(sample * 784, (sample + 1) * 784), source: `MNIST test image ${sample} (label ${mnist.test.y[sample]})` };
  } else {
    input = { pixels: tf.tidy(() => tf.randomUniform([h * w * c], 0, 1, 'float32', 1).dataSync() as Float32Array), source: 'seeded random image' };
  }
  const compiled = compileDocument(request.document, { seed: 1 });
  try {
    const layer = compiled.layers.find((l) => l.path === nodeId);
    if (!layer) throw new ApiError('Receptive fields are shown for single layers; expand the block first (Ctrl+Shift+G).', 'invalid-request');
    return answer(compiled.model, layer.name, request, shape, input, 'untrained (seed 1)');
  } finally {
    compiled.model.dispose();
  }
}
