import { SubGraphBuilder } from './subgraph';
import type { PortRef, SubGraph } from './types';
import { defineBlock } from './types';

/**
 * Composite blocks from *Dive into Deep Learning*, with the options torchvision's versions need
 * (no conv bias before batch norm, batch norm on the projection, Inception's 3×3 third path).
 * Each expands into primitive layers; the analysis computes everything from the expansion.
 */

const bias = (defaultValue: boolean) =>
  ({ kind: 'boolean', default: defaultValue, doc: 'Give convolutions a bias (torchvision omits it before batch norm).' }) as const;
const size = (defaultValue: number, doc: string) => ({ kind: 'int', default: defaultValue, min: 1, max: 64, doc }) as const;
const channels = (defaultValue: number, doc = 'Output channels.') => ({ kind: 'int', default: defaultValue, min: 1, max: 65536, doc }) as const;

interface ConvUnit {
  filters: number;
  kernel: number;
  strides?: number;
  padding?: 'valid' | 'same';
  batchNorm: boolean;
  useBias: boolean;
  /** Omit the final ReLU (before a residual Add). */
  linear?: boolean;
  id?: string;
}

/** Conv → [BatchNorm] → ReLU, fused into the conv's activation when there is no batch norm. */
function convUnit(g: SubGraphBuilder, input: PortRef, u: ConvUnit): PortRef {
  const fuseRelu = !u.batchNorm && !u.linear;
  const strides = [u.strides ?? 1, u.strides ?? 1];
  const params = { filters: u.filters, kernelSize: [u.kernel, u.kernel], strides, padding: u.padding ?? 'same', activation: fuseRelu ? 'relu' : 'linear', useBias: u.useBias };
  const conv = g.add('Conv2D', params, [input], u.id);
  if (!u.batchNorm) return conv;
  const bn = g.add('BatchNormalization', {}, [conv], u.id && `${u.id}_bn`);
  return u.linear ? bn : g.add('Activation', { activation: 'relu' }, [bn], u.id && `${u.id}_relu`);
}

/** A residual block's sub-graph: ReLU(body + shortcut), both made by `paths` from the block's input. */
function residualGraph(paths: (g: SubGraphBuilder, x: PortRef) => { body: PortRef; shortcut: PortRef }): SubGraph {
  const g = new SubGraphBuilder(1);
  const { body, shortcut } = paths(g, g.input());
  g.output(g.add('Activation', { activation: 'relu' }, [g.add('Add', {}, [body, shortcut], 'add')], 'relu'));
  return g.build();
}

export const residual = defineBlock({
  type: 'Residual',
  label: 'Residual block',
  doc: "ResNet's basic block (d2l): two 3×3 conv + batch norm with ReLU, plus the input (optionally through a 1×1 projection).",
  params: {
    filters: channels(64),
    strides: size(1, 'Stride of the first conv and the projection (2 halves the size).'),
    useProjection: { kind: 'boolean', default: false, doc: 'Pass the input through a 1×1 conv (needed when size or channels change).' },
    projectionBatchNorm: { kind: 'boolean', default: false, doc: 'Batch norm after the projection (torchvision: yes; d2l: no).' },
    useBias: bias(true),
  },
  exampleInputs: [[56, 56, 64]],
  expand: (p) =>
    residualGraph((g, x) => {
      const a = convUnit(g, x, { filters: p.filters, kernel: 3, strides: p.strides, batchNorm: true, useBias: p.useBias, id: 'conv1' });
      const body = convUnit(g, a, { filters: p.filters, kernel: 3, batchNorm: true, useBias: p.useBias, linear: true, id: 'conv2' });
      const projection = { filters: p.filters, kernel: 1, strides: p.strides, padding: 'valid', batchNorm: p.projectionBatchNorm, useBias: p.useBias, linear: true, id: 'projection' } as const;
      return { body, shortcut: p.useProjection ? convUnit(g, x, projection) : x };
    }),
  describe: (p) => `Residual ${p.filters}, s${p.strides}${p.useProjection ? ', 1×1 proj' : ''}`,
});

export const bottleneckResidual = defineBlock({
  type: 'BottleneckResidual',
  label: 'Bottleneck residual',
  doc: 'ResNet-50 block: 1×1 reduce, 3×3 (with the stride), 1×1 expand, each with batch norm, plus the input.',
  params: {
    filters: channels(64, 'Width of the 1×1 and 3×3 convs; the block outputs filters × expansion channels.'),
    expansion: size(4, 'Output channels per bottleneck channel.'),
    strides: size(1, 'Stride of the 3×3 conv and the projection.'),
    useProjection: { kind: 'boolean', default: false, doc: 'Pass the input through a 1×1 conv + batch norm.' },
    useBias: bias(false),
  },
  exampleInputs: [[56, 56, 256]],
  expand: (p) =>
    residualGraph((g, x) => {
      const out = p.filters * p.expansion;
      const a = convUnit(g, x, { filters: p.filters, kernel: 1, padding: 'valid', batchNorm: true, useBias: p.useBias, id: 'conv1' });
      const b = convUnit(g, a, { filters: p.filters, kernel: 3, strides: p.strides, batchNorm: true, useBias: p.useBias, id: 'conv2' });
      const body = convUnit(g, b, { filters: out, kernel: 1, padding: 'valid', batchNorm: true, useBias: p.useBias, linear: true, id: 'conv3' });
      const projection = { filters: out, kernel: 1, strides: p.strides, padding: 'valid', batchNorm: true, useBias: p.useBias, linear: true, id: 'projection' } as const;
      return { body, shortcut: p.useProjection ? convUnit(g, x, projection) : x };
    }),
  describe: (p) => `Bottleneck ${p.filters}→${p.filters * p.expansion}, s${p.strides}${p.useProjection ? ', proj' : ''}`,
});

const pairOfChannels = (defaultValue: [number, number], doc: string) =>
  ({ kind: 'intList', default: defaultValue, minLength: 2, maxLength: 2, min: 1, max: 65536, doc }) as const;

export const inception = defineBlock({
  type: 'Inception',
  label: 'Inception block',
  doc: "GoogLeNet's block (d2l): 1×1, 1×1→3×3, 1×1→5×5 and 3×3 max-pool→1×1 paths, concatenated on channels.",
  params: {
    c1: channels(64, 'Path 1: 1×1 conv channels.'),
    c2: pairOfChannels([96, 128], 'Path 2: 1×1 reduce, then 3×3 conv channels.'),
    c3: pairOfChannels([16, 32], 'Path 3: 1×1 reduce, then k×k conv channels.'),
    c4: channels(32, 'Path 4: 1×1 conv channels after the max-pool.'),
    path3Kernel: { kind: 'int', default: 5, min: 1, max: 11, doc: "Kernel of path 3's second conv: 5 in the paper and d2l, 3 in torchvision." },
    batchNorm: { kind: 'boolean', default: false, doc: 'Batch norm after every conv (torchvision: yes).' },
    useBias: bias(true),
  },
  exampleInputs: [[28, 28, 192]],
  expand: (p) => {
    const g = new SubGraphBuilder(1);
    const x = g.input();
    const unit = { batchNorm: p.batchNorm, useBias: p.useBias };
    const p1 = convUnit(g, x, { ...unit, filters: p.c1, kernel: 1, id: 'p1_1x1' });
    const p2a = convUnit(g, x, { ...unit, filters: p.c2[0] ?? 1, kernel: 1, id: 'p2_1x1' });
    const p2 = convUnit(g, p2a, { ...unit, filters: p.c2[1] ?? 1, kernel: 3, id: 'p2_3x3' });
    const p3a = convUnit(g, x, { ...unit, filters: p.c3[0] ?? 1, kernel: 1, id: 'p3_1x1' });
    const p3 = convUnit(g, p3a, { ...unit, filters: p.c3[1] ?? 1, kernel: p.path3Kernel, id: `p3_${p.path3Kernel}x${p.path3Kernel}` });
    const pool = g.add('MaxPool2D', { poolSize: [3, 3], strides: [1, 1], padding: 'same' }, [x], 'p4_pool');
    const p4 = convUnit(g, pool, { ...unit, filters: p.c4, kernel: 1, id: 'p4_1x1' });
    g.output(g.add('Concatenate', {}, [p1, p2, p3, p4], 'concat'));
    return g.build();
  },
  describe: (p) => `Inception ${p.c1 + (p.c2[1] ?? 0) + (p.c3[1] ?? 0) + p.c4}`,
});

export const denseBlock = defineBlock({
  type: 'DenseBlock',
  label: 'Dense block',
  doc: 'DenseNet block: each conv sees the concatenation of all earlier outputs and adds growthRate channels.',
  params: {
    numConvs: { kind: 'int', default: 4, min: 1, max: 256, doc: 'Number of conv layers.' },
    growthRate: channels(32, 'Channels each conv layer adds.'),
    bottleneck: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 64,
      doc: 'Before each 3×3 conv, a BN-ReLU-1×1 conv of bottleneck × growthRate channels (torchvision: 4; d2l: 0 = none).',
    },
    useBias: bias(true),
  },
  exampleInputs: [[56, 56, 64]],
  expand: (p) => {
    const g = new SubGraphBuilder(1);
    let features = g.input();
    for (let i = 1; i <= p.numConvs; i++) {
      let y = g.add('Activation', { activation: 'relu' }, [g.add('BatchNormalization', {}, [features], `bn${i}`)], `relu${i}`);
      if (p.bottleneck > 0) {
        const reduce = g.add('Conv2D', { filters: p.bottleneck * p.growthRate, kernelSize: [1, 1], useBias: p.useBias }, [y], `conv${i}_1x1`);
        y = g.add('Activation', { activation: 'relu' }, [g.add('BatchNormalization', {}, [reduce], `bn${i}_2`)], `relu${i}_2`);
      }
      const conv = g.add('Conv2D', { filters: p.growthRate, kernelSize: [3, 3], padding: 'same', useBias: p.useBias }, [y], `conv${i}`);
      features = g.add('Concatenate', {}, [features, conv], `concat${i}`);
    }
    g.output(features);
    return g.build();
  },
  describe: (p) => `DenseBlock ${p.numConvs}×${p.growthRate}${p.bottleneck > 0 ? ', bottleneck' : ''}`,
});

export const transition = defineBlock({
  type: 'Transition',
  label: 'Transition block',
  doc: 'DenseNet transition: batch norm, ReLU, 1×1 conv to fewer channels, 2×2 average pool.',
  params: { filters: channels(128), useBias: bias(true) },
  exampleInputs: [[56, 56, 256]],
  expand: (p) => {
    const g = new SubGraphBuilder(1);
    const bn = g.add('BatchNormalization', {}, [g.input()], 'bn');
    const relu = g.add('Activation', { activation: 'relu' }, [bn], 'relu');
    const conv = g.add('Conv2D', { filters: p.filters, kernelSize: [1, 1], useBias: p.useBias }, [relu], 'conv');
    g.output(g.add('AvgPool2D', { poolSize: [2, 2] }, [conv], 'pool'));
    return g.build();
  },
  describe: (p) => `Transition ${p.filters}`,
});

export const vggBlock = defineBlock({
  type: 'VGGBlock',
  label: 'VGG block',
  doc: 'VGG block: numConvs 3×3 same-padded convs with ReLU, then a 2×2 max-pool that halves the size.',
  params: {
    numConvs: size(2, 'Number of 3×3 convs.'),
    filters: channels(64),
    batchNorm: { kind: 'boolean', default: false, doc: 'Batch norm after every conv (VGG-BN variants).' },
    useBias: bias(true),
  },
  exampleInputs: [[224, 224, 3]],
  expand: (p) => {
    const g = new SubGraphBuilder(1);
    let x = g.input();
    for (let i = 1; i <= p.numConvs; i++) {
      x = convUnit(g, x, { filters: p.filters, kernel: 3, batchNorm: p.batchNorm, useBias: p.useBias, id: `conv${i}` });
    }
    g.output(g.add('MaxPool2D', { poolSize: [2, 2] }, [x], 'pool'));
    return g.build();
  },
  describe: (p) => `VGG ${p.numConvs}×conv ${p.filters}`,
});

export const ninBlock = defineBlock({
  type: 'NiNBlock',
  label: 'NiN block',
  doc: 'Network-in-Network block: a k×k conv followed by two 1×1 convs, each with ReLU.',
  params: { filters: channels(96), kernelSize: size(11, 'Kernel of the first conv.'), strides: size(4, 'Stride of the first conv.'), padding: { kind: 'enum', default: 'valid', values: ['valid', 'same'], doc: 'Padding of the first conv.' } },
  exampleInputs: [[224, 224, 1]],
  expand: (p) => {
    const g = new SubGraphBuilder(1);
    const relu = { activation: 'relu' };
    const a = g.add('Conv2D', { ...relu, filters: p.filters, kernelSize: [p.kernelSize, p.kernelSize], strides: [p.strides, p.strides], padding: p.padding }, [g.input()], 'conv');
    const b = g.add('Conv2D', { ...relu, filters: p.filters, kernelSize: [1, 1] }, [a], 'mlp1');
    g.output(g.add('Conv2D', { ...relu, filters: p.filters, kernelSize: [1, 1] }, [b], 'mlp2'));
    return g.build();
  },
  describe: (p) => `NiN ${p.kernelSize}×${p.kernelSize}, ${p.filters}, s${p.strides}`,
});
