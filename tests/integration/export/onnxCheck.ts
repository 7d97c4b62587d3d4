import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { compileDocument } from '../../../src-main/compiler/compile';
import { writeOnnxModel } from '../../../src-main/export/onnxWrite';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { moveWeights, randomInputs } from './trainedExport';

/**
 * Trained weights, checked by value in ONNX Runtime: a document compiled with TF.js, trained a few
 * real steps on random data (so weights and batch-norm statistics move), written as .onnx by
 * writeOnnxModel; ONNX Runtime, fed the very arrays TF.js predicted from, must give the same outputs.
 */

export interface OnnxComparison {
  /** Largest absolute difference between TF.js' and ONNX Runtime's outputs. */
  difference: number;
  /** Largest absolute TF.js output (a check that the outputs are not all zero). */
  scale: number;
  /** Weight variables the training steps changed, out of all. */
  moved: { changed: number; total: number };
}

export async function compareWithOnnxRuntime(document: GraphDocument, folder: string, file: string, options: { seed: number; steps?: number; batch?: number; train?: boolean; spread?: number; reload?: (trained: tf.LayersModel) => Promise<tf.LayersModel> }): Promise<OnnxComparison> {
  const compiled = compileDocument(document, { seed: options.seed });
  const { inputs } = compiled;
  let model = compiled.model;
  try {
    const moved = await moveWeights(compiled, options);
    if (options.reload) {
      // The model a run's checkpoint loads as (what `export --weights RUN` will hand the writer).
      const reloaded = await options.reload(model);
      model.dispose();
      model = reloaded;
    }
    const path = join(folder, file);
    await writeOnnxModel(document, model, path);

    const xs = randomInputs(inputs, options.batch ?? 2, options.seed + 1000, options.spread);
    const predicted = model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs);
    const expected = (Array.isArray(predicted) ? predicted : [predicted]).map((y) => y.dataSync() as Float32Array);
    const session = await ort.InferenceSession.create(path);
    try {
      const feeds: Record<string, ort.Tensor> = {};
      session.inputNames.forEach((name, i) => {
        const x = xs[i] as tf.Tensor;
        const data = x.dtype === 'int32' ? Int32Array.from(x.dataSync()) : Float32Array.from(x.dataSync());
        feeds[name] = new ort.Tensor(x.dtype === 'int32' ? 'int32' : 'float32', data, x.shape);
      });
      const results = await session.run(feeds);
      let difference = 0;
      let scale = 0;
      if (session.outputNames.length !== expected.length) throw new Error(`ONNX has ${session.outputNames.length} outputs, TF.js ${expected.length}`);
      session.outputNames.forEach((name, i) => {
        const got = results[name]?.data as Float32Array;
        const want = expected[i] as Float32Array;
        if (got.length !== want.length) throw new Error(`output '${name}': ${got.length} values, TF.js has ${want.length}`);
        for (let j = 0; j < want.length; j++) {
          const gap = Math.abs((got[j] ?? NaN) - (want[j] ?? NaN));
          difference = Number.isNaN(gap) ? Infinity : Math.max(difference, gap);
          scale = Math.max(scale, Math.abs(want[j] ?? 0));
        }
      });
      tf.dispose([...xs, ...(Array.isArray(predicted) ? predicted : [predicted])]);
      return { difference, scale, moved };
    } finally {
      await session.release();
    }
  } finally {
    model.dispose();
  }
}
