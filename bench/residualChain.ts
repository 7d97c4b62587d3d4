import { DocumentBuilder } from '../src-shared/graph/builder';
import type { GraphDocument } from '../src-shared/graph/schema';

/** A CNN of `layers` layers for the benchmarks: conv → BN → ReLU units with residual adds, then a head. */
export function residualChain(layers: number): GraphDocument {
  const b = new DocumentBuilder(`${layers}-layer network`);
  let x = b.add('ImageInput', { height: 32, width: 32, channels: 16 });
  let count = 1;
  while (count + 4 + 2 <= layers) {
    const conv = b.add('Conv2D', { filters: 16, kernelSize: [3, 3], padding: 'same' }, [x]);
    const bn = b.add('BatchNormalization', {}, [conv]);
    const relu = b.add('Activation', { activation: 'relu' }, [bn]);
    x = b.add('Add', {}, [relu, x]);
    count += 4;
  }
  while (count + 2 < layers) {
    x = b.add('Activation', { activation: 'relu' }, [x]);
    count++;
  }
  b.add('Dense', { units: 10 }, [b.add('GlobalAvgPool2D', {}, [x])]);
  return b.build();
}
