import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatMagnitude, formatSummary, kerasShape, summary } from '../../../src-shared/analysis/summary';
import { getTemplate } from '../../../src-shared/templates/index';
import { chainDocument } from './helpers';

const lenet = () => {
  const template = getTemplate('lenet5');
  if (!template) throw new Error('lenet5 missing');
  return template.build();
};

describe('summary', () => {
  it('lists every layer in order with Keras shapes, params and FLOPs', () => {
    const s = summary(lenet());
    expect(s.rows.map((r) => [r.name, r.type, r.outputShape, r.params])).toEqual([
      ['input', 'ImageInput', '(None, 28, 28, 1)', 0],
      ['conv1', 'Conv2D', '(None, 28, 28, 6)', 156],
      ['pool1', 'AvgPool2D', '(None, 14, 14, 6)', 0],
      ['conv2', 'Conv2D', '(None, 10, 10, 16)', 2416],
      ['pool2', 'AvgPool2D', '(None, 5, 5, 16)', 0],
      ['flatten', 'Flatten', '(None, 400)', 0],
      ['fc1', 'Dense', '(None, 120)', 48_120],
      ['fc2', 'Dense', '(None, 84)', 10_164],
      ['logits', 'Dense', '(None, 10)', 850],
    ]);
    expect(s.totals).toEqual({ params: 61_706, trainable: 61_706, nonTrainable: 0, flops: 416_520, activationBytes: 37_112 });
    expect(s.rows[1]).toMatchObject({ caption: 'Conv2D 5×5, 6, s1, same, sigmoid', inputs: ['input'], receptiveField: { size: [5, 5] }, depth: 0 });
    expect(s.errors).toEqual([]);
  });

  it('renders a plain-text table like Keras', () => {
    const text = formatSummary(summary(lenet()));
    expect(text).toContain('Model: "LeNet-5"');
    expect(text).toMatch(/ Layer \(type\)\s+Output Shape\s+Param #\s+FLOPs \(MACs\)/);
    expect(text).toMatch(/ conv2 \(Conv2D\)\s+\(None, 10, 10, 16\)\s+2,416\s+240,000/);
    expect(text).toContain('Total params: 61,706 (241.04 KB)');
    expect(text).toContain('Non-trainable params: 0 (0.00 B)');
    expect(text).toContain('FLOPs (multiply-adds): 416,520 (416.52 K)');
    expect(text).not.toContain('Errors');
  });

  it('shows errors under their layer and at the end', () => {
    const s = summary(chainDocument([['input', 'ImageInput', { height: 4, width: 4 }], ['conv3', 'Conv2D', { kernelSize: [5] }], ['out', 'Dense']]));
    expect(s.rows.find((r) => r.id === 'conv3')).toMatchObject({ outputShape: '?', errors: [expect.stringContaining("Conv2D 'conv3': kernel 5")] });
    const text = formatSummary(s);
    expect(text).toContain("     ! Conv2D 'conv3': kernel 5");
    expect(text).toContain('Errors (1):');
  });

  it('expands blocks on request, with indented inner rows', () => {
    const template = getTemplate('resnet18');
    if (!template) throw new Error('resnet18 missing');
    const doc = template.build();
    const flat = summary(doc);
    const expanded = summary(doc, { expandBlocks: true });
    expect(expanded.totals).toEqual(flat.totals);
    const inner = expanded.rows.filter((r) => r.depth === 1);
    expect(inner.map((r) => r.id)).toContain('layer2_0/projection');
    const blockRows = flat.rows.filter((r) => r.type === 'Residual');
    const innerSum = inner.reduce((sum, r) => sum + r.params, 0);
    expect(innerSum).toBe(blockRows.reduce((sum, r) => sum + r.params, 0));
  });
});

describe('number formats', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [61_706, '61,706'],
    [11_689_512, '11,689,512'],
  ])('formatCount(%i) = %s', (n, text) => expect(formatCount(n)).toBe(text));

  it.each([
    [0, '0.00 B'],
    [246_824, '241.04 KB'],
    [46_758_048, '44.59 MB'],
  ])('formatBytes(%i) = %s', (n, text) => expect(formatBytes(n)).toBe(text));

  it.each([
    [840, '840'],
    [416_520, '416.52 K'],
    [1_817_000_000, '1.82 G'],
  ])('formatMagnitude(%i) = %s', (n, text) => expect(formatMagnitude(n)).toBe(text));

  it('writes shapes with the batch axis first', () => {
    expect(kerasShape([28, 28, 1])).toBe('(None, 28, 28, 1)');
    expect(kerasShape([])).toBe('(None,)');
  });
});
