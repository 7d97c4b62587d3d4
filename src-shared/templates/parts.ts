import { DocumentBuilder } from '../graph/builder';
import type { Metadata } from '../graph/schema';
import type { TemplateInfo } from './types';

/** Building pieces shared by several templates. */

/**
 * A template: its document is named `documentName`, built by `body`, and its metadata names the
 * template and repeats its description (plus `metadata`, e.g. a detector's anchors).
 *
 * @example
 * export const mlp = defineTemplate({ name: 'mlp', title: 'MLP', group: 'classic', description: '…' }, 'MLP', (b) => {
 *   b.add('Dense', { units: 10 }, [b.add('VectorInput', { features: 784 }, [], 'input')], 'logits');
 * });
 */
export function defineTemplate(info: Omit<TemplateInfo, 'build'>, documentName: string, body: (b: DocumentBuilder) => void, metadata: Metadata = {}): TemplateInfo {
  return {
    ...info,
    build() {
      const b = new DocumentBuilder(documentName, { template: info.name, description: info.description, ...metadata });
      body(b);
      return b.build();
    },
  };
}

export interface ConvOptions {
  filters: number;
  kernel: number;
  strides?: number;
  padding?: 'valid' | 'same';
  /** torchvision convs before a batch norm have no bias. */
  bias?: boolean;
  batchNorm?: boolean;
  activation?: 'relu' | 'sigmoid' | 'linear';
}

/**
 * A convolution, optionally followed by batch norm and an activation (fused into the conv without BN).
 * Returns the id of the last node. Ids are `${id}`, `${id}_bn`, `${id}_relu`.
 */
export function conv(b: DocumentBuilder, input: string, id: string, o: ConvOptions): string {
  const activation = o.activation ?? 'relu';
  const fused = !o.batchNorm;
  const strides = [o.strides ?? 1, o.strides ?? 1];
  const params = { filters: o.filters, kernelSize: [o.kernel, o.kernel], strides, padding: o.padding ?? 'same', activation: fused ? activation : 'linear', useBias: o.bias ?? true };
  const node = b.add('Conv2D', params, [input], id);
  if (fused) return node;
  const bn = b.add('BatchNormalization', {}, [node], `${id}_bn`);
  return activation === 'linear' ? bn : b.add('Activation', { activation }, [bn], `${id}_${activation}`);
}

export function maxPool(b: DocumentBuilder, input: string, id: string, size: number, strides: number, padding: 'valid' | 'same' = 'valid'): string {
  return b.add('MaxPool2D', { poolSize: [size, size], strides: [strides, strides], padding }, [input], id);
}

/** Dense layers with dropout in between, as AlexNet and VGG end. Returns the logits node. */
export function classifierHead(b: DocumentBuilder, input: string, hidden: readonly number[], classes: number, dropout = 0.5, dropoutFirst = false): string {
  let x = b.add('Flatten', {}, [input], 'flatten');
  if (dropoutFirst) x = b.add('Dropout', { rate: dropout }, [x], 'dropout0');
  hidden.forEach((units, i) => {
    x = b.add('Dense', { units, activation: 'relu' }, [x], `fc${i + 1}`);
    if (!dropoutFirst) x = b.add('Dropout', { rate: dropout }, [x], `dropout${i + 1}`);
    else if (i < hidden.length - 1) x = b.add('Dropout', { rate: dropout }, [x], `dropout${i + 1}`);
  });
  return b.add('Dense', { units: classes }, [x], 'logits');
}

export const imagenetInput = { height: 224, width: 224, channels: 3 } as const;
export const courseInput = (size: number) => ({ height: size, width: size, channels: 1 }) as const;
