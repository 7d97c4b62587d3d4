import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src-shared/analysis/analyze';
import { importKerasJson } from '../../../src-shared/export/kerasImport';
import { parseDocument } from '../../../src-shared/graph/parse';
import { CASE_LIMIT_MS, prng, timeCase } from './fuzz';
import { mutateModel, seedModels } from './kerasFuzz';

const SEED = 20_261_204;
const MUTATED = 10_000;

describe('fuzz: randomly mutated Keras model.json files', () => {
  it(`import cleanly or refuse with a clear error, each within ${CASE_LIMIT_MS} ms (seed ${SEED})`, () => {
    const r = prng(SEED);
    const seeds = seedModels();
    const slow: string[] = [];
    let imported = 0;
    const refusals = new Set<string>();
    for (let i = 0; i < MUTATED; i++) {
      const text = mutateModel(seeds[i % seeds.length] as string, r);
      const ms = timeCase(() => {
        const result = importKerasJson(text, `fuzz-${i}`);
        if (result.ok) {
          imported++;
          // What the importer hands over is a valid document that analyses cleanly, laid out.
          const parsed = parseDocument(JSON.parse(JSON.stringify(result.document)));
          expect(parsed.ok, parsed.ok ? '' : parsed.error).toBe(true);
          expect(analyze(result.document).errors).toEqual([]);
          for (const node of result.document.nodes) expect(Number.isFinite(node.position.x) && Number.isFinite(node.position.y)).toBe(true);
        } else {
          expect(result.error.length).toBeGreaterThan(10);
          // "Please report this" marks an importer bug, not a problem of the file.
          expect(result.error, `case ${i}`).not.toContain('Please report this');
          refusals.add(result.error.split(/[:\n]/)[0] as string);
        }
      });
      if (ms > CASE_LIMIT_MS) slow.push(`case ${i}: ${Math.round(ms)} ms`);
    }
    expect(slow).toEqual([]);
    // Both sides exercised: models that import, and many different reasons to refuse.
    expect(imported).toBeGreaterThan(MUTATED / 10);
    expect(refusals.size).toBeGreaterThan(5);
  });
});
