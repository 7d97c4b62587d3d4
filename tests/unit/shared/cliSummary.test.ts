import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../../src-main/cli/command';
import { summaryCommand } from '../../../src-main/cli/summary';
import { templatesCommand } from '../../../src-main/cli/templates';
import type { ModelSummary } from '../../../src-shared/analysis/summary';
import { serializeDocument } from '../../../src-shared/graph/parse';
import { templates } from '../../../src-shared/templates/index';
import { chainDocument } from './helpers';

function capture(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

describe('netwright summary --template <each> --json', () => {
  it.each(templates.map((t) => [t.name, t] as const))('%s', async (name, template) => {
    const io = capture();
    expect(await summaryCommand.run(['--template', name, '--json'], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    const result = JSON.parse(io.stdout.join('\n')) as ModelSummary;
    expect(result.errors).toEqual([]);
    expect(result.rows.length).toBe(template.build().nodes.length);
    for (const row of result.rows) {
      expect(row.outputShapes).not.toBeNull();
      expect(typeof row.flops).toBe('number');
      expect(row).toHaveProperty('receptiveField');
    }
    expect(result.totals.params).toBe(result.rows.reduce((sum, r) => sum + r.params, 0));
    if (template.reference) expect(result.totals.trainable).toBe(template.reference.params);
  });
});

describe('netwright summary', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netwright-summary-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the table of a .netwright file', async () => {
    const file = join(dir, 'mlp.netwright');
    await writeFile(file, serializeDocument(chainDocument([['input', 'VectorInput'], ['hidden', 'Dense', { units: 32, activation: 'relu' }], ['out', 'Dense']])));
    const io = capture();
    expect(await summaryCommand.run([file], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/hidden \(Dense\)\s+\(None, 32\)\s+25,120/);
    expect(text).toContain('Total params: 25,450');
  });

  it('expands blocks with --expand', async () => {
    const io = capture();
    await summaryCommand.run(['--template=resnet18', '--expand'], io);
    expect(io.stdout.join('\n')).toContain('layer1_0/conv1 (Conv2D)');
  });

  it('exits 1 and still prints when the model has errors', async () => {
    const file = join(dir, 'broken.netwright');
    await writeFile(file, serializeDocument(chainDocument([['input', 'ImageInput', { height: 4, width: 4 }], ['conv', 'Conv2D', { kernelSize: [5] }]])));
    const io = capture();
    expect(await summaryCommand.run([file, '--json'], io)).toBe(1);
    const result = JSON.parse(io.stdout.join('\n')) as ModelSummary;
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'non-positive-size', nodeId: 'conv' })]);
  });

  it('explains a file it cannot open or parse', async () => {
    const bad = join(dir, 'bad.netwright');
    await writeFile(bad, '{"format": "netwright", "version": 99}');
    const io = capture();
    expect(await summaryCommand.run([bad], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('saved by a newer Netwright');
    await expect(summaryCommand.run([join(dir, 'nope.netwright')], capture())).rejects.toThrow(new UsageError(`no such file: ${join(dir, 'nope.netwright')}`));
  });

  it.each([
    [[], 'either a .netwright file or --template'],
    [['a', 'b'], 'one file at a time'],
    [['--template'], '--template needs a value'],
    [['--template', 'nope'], "unknown template 'nope'; choose one of: lenet5"],
    [['--verbose', 'x'], "unknown option '--verbose'"],
  ])('refuses %j', async (args, message) => {
    await expect(summaryCommand.run(args, capture())).rejects.toThrow(UsageError);
    await expect(summaryCommand.run(args, capture())).rejects.toThrow(message);
  });
});

describe('netwright templates', () => {
  it('lists every template as text', async () => {
    const io = capture();
    expect(await templatesCommand.run([], io)).toBe(0);
    const text = io.stdout.join('\n');
    for (const t of templates) expect(text).toContain(t.name);
    expect(text).toMatch(/resnet18\s+ResNet-18 \(ImageNet\)\s+11,699,112\s+224×224×3/);
  });

  it('lists every template as JSON', async () => {
    const io = capture();
    expect(await templatesCommand.run(['--json'], io)).toBe(0);
    const rows = JSON.parse(io.stdout.join('\n')) as { name: string; params: { trainable: number }; inputShapes: number[][]; reference: { params: number } | null }[];
    expect(rows.map((r) => r.name)).toEqual(templates.map((t) => t.name));
    const lenet = rows.find((r) => r.name === 'lenet5');
    expect(lenet).toMatchObject({ params: { trainable: 61_706 }, inputShapes: [[28, 28, 1]], reference: null });
  });

  it('refuses unknown arguments', async () => {
    await expect(templatesCommand.run(['--yaml'], capture())).rejects.toThrow(UsageError);
  });
});
