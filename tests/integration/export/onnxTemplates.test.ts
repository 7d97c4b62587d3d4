import type * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../../src-main/runs/checkpoint';
import { analyze } from '../../../src-shared/analysis/analyze';
import { DocumentBuilder } from '../../../src-shared/graph/builder';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { getTemplate } from '../../../src-shared/templates/index';
import { useCpuBackend } from '../compiler/helpers';
import { compareWithOnnxRuntime, type OnnxComparison } from './onnxCheck';
import { layerZoo, sequenceZoo } from './zoo';

/**
 * Whole networks with trained weights in ONNX Runtime: the small templates (LeNet-5, the LSTM and
 * bidirectional GRU classifiers), the layer zoos (asymmetric padding, a user block with a residual
 * Add, batch and layer norm, every recurrent merge mode) and every composite block with batch norm
 * (residual, bottleneck, inception, dense block, transition, VGG, NiN), expanded as the compiler does.
 */

/** Every composite block on a small image, batch norm where the block has it. */
function blocksDocument(): GraphDocument {
  const b = new DocumentBuilder('Composite blocks');
  let x = b.add('ImageInput', { height: 19, width: 17, channels: 3 }, [], 'input');
  x = b.add('NiNBlock', { filters: 8, kernelSize: 3, strides: 1, padding: 'same' }, [x], 'nin');
  x = b.add('Residual', { filters: 8, strides: 2, useProjection: true, projectionBatchNorm: true }, [x], 'res-down');
  x = b.add('Residual', { filters: 8 }, [x], 'res');
  x = b.add('BottleneckResidual', { filters: 4, expansion: 2 }, [x], 'bottleneck');
  x = b.add('Inception', { c1: 4, c2: [4, 6], c3: [2, 4], c4: 4, batchNorm: true }, [x], 'inception');
  x = b.add('DenseBlock', { numConvs: 2, growthRate: 4, bottleneck: 2 }, [x], 'dense-block');
  x = b.add('Transition', { filters: 8 }, [x], 'transition');
  x = b.add('VGGBlock', { numConvs: 2, filters: 8, batchNorm: true }, [x], 'vgg');
  b.add('Dense', { units: 5, activation: 'softmax' }, [b.add('GlobalAvgPool2D', {}, [x], 'gap')], 'out');
  return b.build();
}

const template = (name: string) => () => {
  const info = getTemplate(name);
  if (!info) throw new Error(`no template '${name}'`);
  return info.build();
};

const documents: { name: string; build: () => GraphDocument }[] = [
  { name: 'lenet5', build: template('lenet5') },
  { name: 'lstm-classifier', build: template('lstm-classifier') },
  { name: 'bigru-classifier', build: template('bigru-classifier') },
  layerZoo,
  sequenceZoo,
  { name: 'composite blocks', build: blocksDocument },
];

const FROM_CHECKPOINT = 'composite blocks, weights from a saved run checkpoint';
const results = new Map<string, OnnxComparison | string>();
let folder = '';

beforeAll(async () => {
  await useCpuBackend();
  folder = mkdtempSync(join(tmpdir(), 'netwright-onnx-templates-'));
  for (const [i, doc] of documents.entries()) {
    try {
      results.set(doc.name, await compareWithOnnxRuntime(doc.build(), folder, `model_${i}.onnx`, { seed: 7 + i, steps: 2 }));
    } catch (error) {
      results.set(doc.name, error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  }
  const checkpoint = join(folder, 'checkpoint');
  const reload = async (trained: tf.LayersModel) => {
    await saveCheckpoint(trained, checkpoint);
    return loadCheckpoint(checkpoint);
  };
  try {
    results.set(FROM_CHECKPOINT, await compareWithOnnxRuntime(blocksDocument(), folder, 'from_checkpoint.onnx', { seed: 99, steps: 2, reload }));
  } catch (error) {
    results.set(FROM_CHECKPOINT, error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}, 90_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('ONNX export of trained networks computes what TF.js computes (ONNX Runtime)', () => {
  it('the composite-block document is valid and uses every block', () => {
    const doc = blocksDocument();
    expect(analyze(doc).ok).toBe(true);
    expect(new Set(doc.nodes.map((n) => n.type))).toEqual(
      new Set(['ImageInput', 'NiNBlock', 'Residual', 'BottleneckResidual', 'Inception', 'DenseBlock', 'Transition', 'VGGBlock', 'GlobalAvgPool2D', 'Dense']),
    );
  });

  it.each([...documents.map((d) => d.name), FROM_CHECKPOINT])('%s', (name) => {
    const result = results.get(name);
    if (typeof result !== 'object') throw new Error(result ?? 'no result');
    expect(result.scale).toBeGreaterThan(0.01);
    expect(result.difference).toBeLessThan(1e-4);
    expect(result.moved.changed).toBe(result.moved.total);
  });
});
