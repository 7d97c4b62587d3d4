import * as tf from '@tensorflow/tfjs';
import { ApiError, type RequestOf, type ResponseOf } from '../../src-shared/api/contract';
import { gradCamWeights, heatColour, normalise, topK, upsampleBilinear, weightedSum } from '../../src-shared/inspect/mapMath';
import { gradCamNote } from '../../src-shared/inspect/gradCamNote';
import { getLayerDef } from '../../src-shared/layers/registry';
import type { PlanStep } from '../compiler/plan';
import { outputKind } from '../training/losses';
import type { RunStore } from '../runs/runStore';
import { describeLayer, findLayer, isImageShaped, loadSample, pngDataUrl, withRun, type InspectableRun } from './trainedRun';

type LayerCall = tf.layers.Layer['call'];

/** What Grad-CAM computes for one input: the map at the layer's size, and the class probabilities. */
export interface GradCamResult {
  /** ReLU(Σ_k α_k A_k), unscaled, [H, W] row-major. */
  cam: Float32Array;
  /** Σ_k α_k A_k before the ReLU (negative where the layer speaks against the class). */
  raw: Float32Array;
  mapSize: [number, number];
  probabilities: Float32Array;
  /** The class explained: the one asked for, or the predicted one. */
  classId: number;
}

/**
 * Grad-CAM (Selvaraju et al., 2017) of `classId` at layer `layerName`: the class score's gradient
 * w.r.t. the layer's output, averaged per channel, weights the channels; their sum through a ReLU is
 * the map. The score is the class logit; a model ending in softmax gives log-probabilities, whose
 * gradient minus their mean is the logit's minus the mean logit's (so it does not saturate).
 *
 * The gradient at the layer is taken by adding a zero tensor δ to its output (patching this model
 * instance's `call`) and differentiating w.r.t. δ, which works for any graph, skips included.
 */
export function gradCam(model: tf.LayersModel, layerName: string, image: tf.Tensor, asked: number | null = null): GradCamResult {
  const layer = model.getLayer(layerName);
  const probe = tf.model({ inputs: model.inputs, outputs: [layer.output as tf.SymbolicTensor, model.outputs[0] as tf.SymbolicTensor] });
  const kind = outputKind(model);
  const batch = tf.tidy(() => tf.expandDims(image, 0));
  const [activation, output] = probe.predict(batch) as [tf.Tensor4D, tf.Tensor2D];
  const probabilities = tf.tidy(() => Float32Array.from((kind === 'logits' ? tf.softmax(output) : output).dataSync()));
  const classId = asked ?? topK(probabilities, 1)[0] ?? 0;
  const original: LayerCall = layer.call.bind(layer);
  let delta: tf.Tensor | null = null;
  layer.call = (inputs, kwargs) => {
    const out = original(inputs, kwargs) as tf.Tensor;
    return delta ? tf.add(out, delta) : out;
  };
  try {
    const gradient = tf.tidy(() =>
      tf.grad((d: tf.Tensor) => {
        delta = d;
        const outputs = model.apply(batch) as tf.Tensor2D;
        delta = null;
        if (kind === 'logits') return tf.squeeze(tf.slice(outputs, [0, classId], [1, 1]));
        const logs = kind === 'softmax' ? tf.log(tf.maximum(outputs, 1e-30)) : tf.sub(tf.log(tf.maximum(outputs, 1e-30)), tf.log(tf.maximum(tf.sub(1, outputs), 1e-30)));
        const centred = kind === 'softmax' ? tf.sub(logs, tf.mean(logs, -1, true)) : logs;
        return tf.squeeze(tf.slice(centred, [0, classId], [1, 1]));
      })(tf.zerosLike(activation)),
    );
    const [, h, w, c] = activation.shape;
    const weights = gradCamWeights(gradient.dataSync(), h, w, c);
    const raw = weightedSum(activation.dataSync(), weights, h, w);
    gradient.dispose();
    return { cam: raw.map((v) => Math.max(0, v)), raw, mapSize: [h, w], probabilities, classId };
  } finally {
    layer.call = original;
    tf.dispose([batch, activation, output]);
  }
}

/** The layer Grad-CAM looks at: the one asked for, else the last convolution. */
export function gradCamLayer(run: InspectableRun, path: string | undefined): PlanStep {
  const units = run.outputShape.length === 1 ? (run.outputShape[0] ?? 0) : 0;
  if (units < 2 || !isImageShaped(run.inputShape)) {
    throw new ApiError(`Grad-CAM needs a classifier of images (an image input and a class vector output); this run's model maps ${run.inputShape.join('×')} to ${run.outputShape.join('×')}.`, 'invalid-request');
  }
  const step = path !== undefined ? findLayer(run, path) : run.layers.findLast((s) => getLayerDef(s.type)?.category === 'convolution' && isImageShaped(s.outputShape));
  if (!step || !isImageShaped(step.outputShape)) {
    throw new ApiError(path !== undefined ? `Grad-CAM needs an image-shaped layer; '${path}' outputs ${step?.outputShape.join('×') ?? '?'}.` : 'Grad-CAM needs a classifier with a conv layer before its head; this run\u2019s graph has none.', 'invalid-request');
  }
  return step;
}

/** The heat as a colour overlay: the heat colormap, transparent where there is no evidence, so the image shows through. */
export function heatOverlay(heat: Float32Array, width: number, height: number): string {
  const rgba = new Uint8Array(width * height * 4);
  heat.forEach((v, i) => {
    rgba.set(heatColour(v), i * 4);
    rgba[i * 4 + 3] = Math.round(255 * 0.8 * Math.min(1, Math.max(0, v)));
  });
  return pngDataUrl(rgba, width, height, 4);
}

export function gradCamView(runs: RunStore, request: RequestOf<'inspect.gradCam'>): Promise<ResponseOf<'inspect.gradCam'>> {
  return withRun(runs, request.runId, async (run) => {
    const step = gradCamLayer(run, request.layer);
    const loaded = await loadSample(run, request.sample);
    const [ih, iw] = run.inputShape as [number, number, number];
    const classes = run.outputShape[0] as number;
    if (request.classId != null && request.classId >= classes) throw new ApiError(`Class ${request.classId} is not one of this model's ${classes} classes (0–${classes - 1}).`, 'invalid-request');
    const image = tf.tensor(loaded.pixels, [...run.inputShape]);
    try {
      const result = gradCam(run.model, step.name, image, request.classId ?? null);
      const { classId } = result;
      const predicted = topK(result.probabilities, 1)[0] ?? 0;
      const [mh, mw] = result.mapSize;
      // Min–max scaled, as Grad-CAM is usually shown: a map that is high everywhere would otherwise hide its peaks.
      const beforeRelu = request.beforeRelu === true;
      const heat = normalise(beforeRelu ? result.raw : result.cam);
      const name = (id: number) => loaded.classNames[id] ?? String(id);
      const empty = !result.cam.some((v) => v > 0);
      return {
        layer: describeLayer(step),
        classId,
        className: name(classId),
        predicted,
        top: topK(result.probabilities, 3).map((id) => ({ classId: id, className: name(id), probability: result.probabilities[id] ?? 0 })),
        classNames: Array.from({ length: classes }, (_, id) => name(id)),
        heat: Array.from(heat, (v) => Math.round(v * 1000) / 1000),
        mapSize: [mh, mw],
        overlay: heatOverlay(normalise(upsampleBilinear(heat, mh, mw, ih, iw)), iw, ih),
        inputSize: [ih, iw],
        sample: loaded.sample,
        checkpoint: run.checkpoint,
        beforeRelu,
        empty,
        note: gradCamNote({ empty, beforeRelu, raw: result.raw, layer: step.displayPath, className: name(classId) }),
      };
    } finally {
      image.dispose();
    }
  });
}
