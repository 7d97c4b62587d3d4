import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { formatSummary, summary } from '../../../src-shared/analysis/summary';
import type { GraphAnalysis } from '../../../src-shared/analysis/types';
import { GraphExportError } from '../../../src-shared/export/exportChecks';
import { exportKeras } from '../../../src-shared/export/keras';
import { exportKerasJson } from '../../../src-shared/export/kerasJson';
import { exportOnnx } from '../../../src-shared/export/onnx';
import { exportPyTorch } from '../../../src-shared/export/pytorch';
import { exportTfjs } from '../../../src-shared/export/tfjs';
import { parseDocument } from '../../../src-shared/graph/parse';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import { autoLayout } from '../../../src-shared/layout/autoLayout';
import { CASE_LIMIT_MS, mutate, prng, randomDocument, seedDocuments, timeCase } from './fuzz';

const SEED = 20_240_603;
const MUTATED = 10_000;
const RANDOM = 1500;

/** One exporter per case, in turn: each either exports or refuses with its own GraphExportError. */
const EXPORTERS: ((doc: GraphDocument) => unknown)[] = [exportKeras, exportPyTorch, exportTfjs, exportKerasJson, (doc) => exportOnnx(doc, new Map())];

/** Nodes upstream of `id` (through edges that exist). */
function ancestors(doc: GraphDocument, id: string): Set<string> {
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const e of doc.edges) {
      if (e.target === current && !seen.has(e.source)) {
        seen.add(e.source);
        stack.push(e.source);
      }
    }
  }
  return seen;
}

/** The invariants: nothing thrown, nothing silently missing, every number sane. */
function checkAnalysis(doc: GraphDocument, analysis: GraphAnalysis): void {
  expect(analysis.errors.filter((e) => e.kind === 'internal')).toEqual([]);
  expect(analysis.ok).toBe(analysis.errors.length === 0);
  expect(analysis.nodes.size).toBe(doc.nodes.length);
  expect(analysis.order).toHaveLength(doc.nodes.length);
  for (const node of analysis.nodes.values()) {
    for (const error of node.errors) expect(error.message.length).toBeGreaterThan(10);
    if (node.outputShapes === null) {
      // Every node without shapes is explained: its own error, or an error (or cycle) upstream.
      if (node.errors.length === 0) {
        expect(node.blocked).toBe(true);
        const upstream = [...ancestors(doc, node.id)].some((id) => (analysis.nodes.get(id)?.errors.length ?? 0) > 0);
        expect(upstream, `node '${node.id}' has no shapes and no explanation`).toBe(true);
      }
    } else {
      expect(node.errors).toEqual([]);
      for (const shape of node.outputShapes) for (const dim of shape) expect(Number.isInteger(dim) && dim >= 1).toBe(true);
    }
    for (const n of [node.params.trainable, node.params.nonTrainable, node.flops, node.activationBytes]) expect(Number.isFinite(n) && n >= 0).toBe(true);
  }
  if (analysis.ok) for (const node of analysis.nodes.values()) expect(node.outputShapes).not.toBeNull();
  expect(Number.isFinite(analysis.totals.params.total)).toBe(true);
}

/** Whatever the exporter does with the document: an export, a refusal that says why, never a crash. */
function checkExport(doc: GraphDocument, analysis: GraphAnalysis, exporter: (doc: GraphDocument) => unknown): void {
  try {
    exporter(doc);
    expect(analysis.ok, 'an exporter accepted a graph with errors').toBe(true);
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(GraphExportError);
    expect((error as GraphExportError).problems.length).toBeGreaterThan(0);
  }
}

describe('fuzz: randomly mutated documents', () => {
  it(`never throw and report every problem, each within ${CASE_LIMIT_MS} ms (seed ${SEED})`, () => {
    const r = prng(SEED);
    const seeds = seedDocuments();
    let accepted = 0;
    let withErrors = 0;
    const slow: string[] = [];
    for (let i = 0; i < MUTATED + RANDOM; i++) {
      const input = i < MUTATED ? mutate(seeds[i % seeds.length] as GraphDocument, r) : randomDocument(r);
      const ms = timeCase(() => {
        const parsed = parseDocument(input);
        if (!parsed.ok) {
          expect(parsed.error.length).toBeGreaterThan(10);
          return;
        }
        accepted++;
        const doc = parsed.document;
        const analysis = analyze(doc);
        checkAnalysis(doc, analysis);
        if (!analysis.ok) withErrors++;
        const positions = autoLayout(doc);
        expect(positions.size).toBe(new Set(doc.nodes.map((n) => n.id)).size);
        for (const p of positions.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
        expect(formatSummary(summary(doc, { expandBlocks: true }, analysis)).length).toBeGreaterThan(0);
        checkExport(doc, analysis, EXPORTERS[i % EXPORTERS.length] as (doc: GraphDocument) => unknown);
      });
      if (ms > CASE_LIMIT_MS) slow.push(`case ${i}: ${Math.round(ms)} ms`);
    }
    expect(slow).toEqual([]);
    // The fuzzer must exercise both sides: documents the schema accepts with and without model errors.
    expect(accepted).toBeGreaterThan((MUTATED + RANDOM) / 3);
    expect(withErrors).toBeGreaterThan(accepted / 4);
    expect(accepted - withErrors).toBeGreaterThan(50);
  });

  it('survives inputs that are not documents at all', () => {
    const r = prng(SEED + 1);
    for (let i = 0; i < 200; i++) {
      const junk = [undefined, null, 0, 'x', [], [{}], { format: 'netwright', version: 1, nodes: r() } as unknown][i % 7];
      expect(parseDocument(junk).ok).toBe(false);
    }
  });
});
