/** The models bench:train measures, shared by its TF.js, PyTorch-engine and GPU-kit parts. */
import { DocumentBuilder } from '../src-shared/graph/builder';
import type { GraphDocument } from '../src-shared/graph/schema';

export interface BenchModel {
  doc: GraphDocument;
  /** One sample's shape (NHWC images, [T, F] sequences). */
  shape: number[];
}

/** 28×28×1 → Conv2D 16 → BatchNorm → MaxPool → Conv2D 32 → MaxPool → Dense 10. */
export function benchmarkCnn(): BenchModel {
  const b = new DocumentBuilder('benchmark CNN');
  let x = b.add('ImageInput', { height: 28, width: 28, channels: 1 });
  x = b.add('Conv2D', { filters: 16, kernelSize: [3], padding: 'same', activation: 'relu' }, [x]);
  x = b.add('BatchNormalization', {}, [x]);
  x = b.add('MaxPool2D', { poolSize: [2] }, [x]);
  x = b.add('Conv2D', { filters: 32, kernelSize: [3], padding: 'same', activation: 'relu' }, [x]);
  x = b.add('MaxPool2D', { poolSize: [2] }, [x]);
  x = b.add('Flatten', {}, [x]);
  b.add('Dense', { units: 10, activation: 'softmax' }, [x]);
  return { doc: b.build(), shape: [28, 28, 1] };
}

/** LSTM(32) over 20×8 sequences → Dense 10. */
export function benchmarkLstm(): BenchModel {
  const b = new DocumentBuilder('benchmark LSTM');
  const x = b.add('SequenceInput', { steps: 20, features: 8 });
  b.add('Dense', { units: 10, activation: 'softmax' }, [b.add('LSTM', { units: 32 }, [x])]);
  return { doc: b.build(), shape: [20, 8] };
}
