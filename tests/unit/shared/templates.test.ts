import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { parseDocument } from '../../../src-shared/graph/parse';
import { getTemplate, templateNames, templates } from '../../../src-shared/templates/index';

function build(name: string) {
  const template = getTemplate(name);
  if (!template) throw new Error(`no template '${name}'`);
  return template.build();
}

/**
 * torchvision 0.14's counts: trainable = sum of parameters(); non-trainable = BatchNorm running
 * means and variances (its buffers), which Keras lists as non-trainable params.
 */
const TORCHVISION: Record<string, { trainable: number; nonTrainable: number }> = {
  alexnet: { trainable: 61_100_840, nonTrainable: 0 },
  vgg11: { trainable: 132_863_336, nonTrainable: 0 },
  vgg16: { trainable: 138_357_544, nonTrainable: 0 },
  googlenet: { trainable: 6_624_904, nonTrainable: 14_560 },
  resnet18: { trainable: 11_689_512, nonTrainable: 9_600 },
  resnet50: { trainable: 25_557_032, nonTrainable: 53_120 },
  densenet121: { trainable: 7_978_856, nonTrainable: 83_648 },
};

describe('canonical ImageNet templates equal torchvision exactly', () => {
  it.each(Object.entries(TORCHVISION))('%s', (name, expected) => {
    const template = getTemplate(name);
    const analysis = analyze(build(name));
    expect(analysis.errors).toEqual([]);
    expect(analysis.totals.params.trainable).toBe(expected.trainable);
    expect(analysis.totals.params.nonTrainable).toBe(expected.nonTrainable);
    expect(template?.reference?.params).toBe(expected.trainable);
    const input = analysis.nodes.get(analysis.inputs[0] ?? '');
    expect(input?.outputShapes).toEqual([[224, 224, 3]]);
    expect(analysis.outputs.map((id) => analysis.nodes.get(id)?.outputShapes)).toEqual([[[1000]]]);
  });
});

/** Multiply-adds torchvision's model docs quote (GFLOPS, rounded); ours add batch norm, so allow 1%. */
const TORCHVISION_GFLOPS: Record<string, number> = { alexnet: 0.71, vgg16: 15.47, resnet18: 1.81, resnet50: 4.09, googlenet: 1.5, densenet121: 2.83 };

describe('FLOPs are in line with torchvision', () => {
  it.each(Object.entries(TORCHVISION_GFLOPS))('%s ≈ %f G', (name, gflops) => {
    const flops = analyze(build(name)).totals.flops;
    expect(Math.abs(flops / 1e9 - gflops) / gflops).toBeLessThan(0.01);
  });
});

/** Other reference counts, computed by hand from d2l's code. */
const OTHER_COUNTS: Record<string, number> = {
  lenet5: 61_706,
  'tiny-ssd': 1_010_376,
  // torchvision ResNet-18 without fc (11,176,512) + 1×1 conv (10,773) + 64×64 transposed conv (1,806,357).
  'fcn-resnet18': 12_993_642,
  // 3×3 convs 3→16, 16→32, 32→32 (448 + 4,640 + 9,248), 1×1 conv 32→4 (132), 8×8 transposed conv 4→4 (1,028).
  'fcn-mini': 15_496,
  'lstm-classifier': 4 * (128 * (28 + 128) + 128) + 128 * 10 + 10,
};

describe('templates', () => {
  it('have unique names', () => {
    expect(new Set(templateNames).size).toBe(templates.length);
    expect(getTemplate('nope')).toBeUndefined();
  });

  it.each(templates.map((t) => [t.name, t] as const))('%s builds a valid, error-free, readable document', (name, template) => {
    const doc = template.build();
    expect(parseDocument(JSON.parse(JSON.stringify(doc)))).toEqual({ ok: true, document: doc });
    expect(doc.metadata.template).toBe(name);
    const analysis = analyze(doc);
    expect(analysis.errors).toEqual([]);
    // One input, but for an encoder–decoder's source and decoder input.
    expect(analysis.inputs).toHaveLength(name.startsWith('seq2seq') ? 2 : 1);
    // Readable: the graph flows downwards and no two nodes share a place.
    const position = new Map(doc.nodes.map((n) => [n.id, n.position]));
    for (const e of doc.edges) expect(position.get(e.target)?.y).toBeGreaterThan(position.get(e.source)?.y ?? Infinity);
    expect(new Set(doc.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(doc.nodes.length);
    if (OTHER_COUNTS[name] !== undefined) expect(analysis.totals.params.trainable).toBe(OTHER_COUNTS[name]);
  });

  it.each(templates.filter((t) => t.group === 'course').map((t) => [t.name] as const))('%s is sized for one-channel course data and 10 classes', (name) => {
    const analysis = analyze(build(name));
    const input = analysis.nodes.get(analysis.inputs[0] ?? '')?.outputShapes?.[0];
    expect([[96, 96, 1], [28, 28, 1]]).toContainEqual(input);
    expect(analysis.outputs.map((id) => analysis.nodes.get(id)?.outputShapes)).toEqual([[[10]]]);
  });

  it('builds a fresh document each time', () => {
    const a = build('lenet5');
    const b = build('lenet5');
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });

  it('tiny SSD predicts 5,444 anchors (4 per pixel over 32², 16², 8², 4², 1²) and keeps its anchors in metadata', () => {
    const doc = build('tiny-ssd');
    const analysis = analyze(doc);
    expect(analysis.nodes.get('cls_preds')?.outputShapes).toEqual([[5444, 2]]);
    expect(analysis.nodes.get('bbox_preds')?.outputShapes).toEqual([[5444 * 4]]);
    expect(doc.metadata.anchors).toMatchObject({ ratios: [1, 2, 0.5] });
  });

  it('FCN upsamples back to the input size', () => {
    const analysis = analyze(build('fcn-resnet18'));
    expect(analysis.nodes.get('layer4_1')?.outputShapes).toEqual([[10, 15, 512]]);
    expect(analysis.nodes.get('transpose_conv')?.outputShapes).toEqual([[320, 480, 21]]);
    expect(analyze(build('fcn-mini')).nodes.get('transpose_conv')?.outputShapes).toEqual([[64, 64, 4]]);
  });
});
