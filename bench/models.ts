/**
 * The models the training benchmarks run (bench:train's TF.js and PyTorch parts, the GPU kit), as
 * Netwright documents, with their input shape and the number of samples each timed epoch uses per
 * backend (slow backends get fewer so the bench ends).
 */
import { DocumentBuilder } from '../src-shared/graph/builder';
import type { GraphDocument } from '../src-shared/graph/schema';
import { getTemplate } from '../src-shared/templates';

export interface BenchModel {
  /** Short id used in tables and by the PyTorch reference script. */
  name: string;
  doc: GraphDocument;
  /** One sample, no batch dimension. */
  shape: number[];
  /** Samples per timed epoch: on the pure-JS cpu backend (0: skipped there), and everywhere else. */
  samples: { default: number; cpu: number };
}

function benchmarkCnn(): GraphDocument {
  const b = new DocumentBuilder('benchmark CNN');
  let x = b.add('ImageInput', { height: 28, width: 28, channels: 1 });
  x = b.add('Conv2D', { filters: 16, kernelSize: [3], padding: 'same', activation: 'relu' }, [x]);
  x = b.add('BatchNormalization', {}, [x]);
  x = b.add('MaxPool2D', { poolSize: [2] }, [x]);
  x = b.add('Conv2D', { filters: 32, kernelSize: [3], padding: 'same', activation: 'relu' }, [x]);
  x = b.add('MaxPool2D', { poolSize: [2] }, [x]);
  x = b.add('Flatten', {}, [x]);
  b.add('Dense', { units: 10, activation: 'softmax' }, [x]);
  return b.build();
}

function benchmarkLstm(): GraphDocument {
  const b = new DocumentBuilder('benchmark LSTM');
  const x = b.add('SequenceInput', { steps: 20, features: 8 });
  b.add('Dense', { units: 10, activation: 'softmax' }, [b.add('LSTM', { units: 32 }, [x])]);
  return b.build();
}

function template(name: string): GraphDocument {
  const info = getTemplate(name);
  if (!info) throw new Error(`No template '${name}'.`);
  return info.build();
}

/** Every benchmark model, in table order. */
export function benchModels(): BenchModel[] {
  return [
    { name: 'cnn', doc: benchmarkCnn(), shape: [28, 28, 1], samples: { default: 1024, cpu: 128 } },
    { name: 'lstm', doc: benchmarkLstm(), shape: [20, 8], samples: { default: 1024, cpu: 128 } },
    // 11 M parameters at 96×96: 256 samples are tens of seconds on wasm; the JS cpu backend would take hours.
    { name: 'resnet18-course', doc: template('resnet18-course'), shape: [96, 96, 1], samples: { default: 256, cpu: 0 } },
  ];
}

export function benchModel(name: string): BenchModel {
  const model = benchModels().find((m) => m.name === name);
  if (!model) throw new Error(`Unknown bench model '${name}'; one of ${benchModels().map((m) => m.name).join(', ')}.`);
  return model;
}
