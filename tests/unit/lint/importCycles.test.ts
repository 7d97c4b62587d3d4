import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, importSpecifiers } from '../../support/importGraph';

const root = path.resolve(import.meta.dirname, '../../..');

describe('the source has no import cycles', () => {
  it('src-shared, src-main and src-renderer import without a cycle', () => {
    const graph = importGraph(root, ['src-shared', 'src-main', 'src-renderer']);
    expect(graph.size).toBeGreaterThan(200);
    const cycles = importCycles(graph).map((cycle) => cycle.map((file) => path.relative(root, file)).join(' → '));
    expect(cycles).toEqual([]);
  });

  it("the renderer's state depends on no view: no component, nothing from the canvas or the panels", () => {
    const graph = importGraph(root, ['src-renderer/state']);
    const views = /^src-renderer\/(canvas|components|layerInspector|inspect|palette|runs|training|templates)\/|\.svelte$/;
    const offending = [...graph].flatMap(([file, targets]) =>
      targets.map((target) => path.relative(root, target)).filter((target) => views.test(target)).map((target) => `${path.relative(root, file)} → ${target}`),
    );
    expect(graph.size).toBeGreaterThan(5);
    expect(offending).toEqual([]);
  });
});

describe('the cycle finder', () => {
  it.each([
    ['a chain', { a: ['b'], b: ['c'], c: [] }, []],
    ['two files importing each other', { a: ['b'], b: ['a'] }, [['a', 'b', 'a']]],
    ['a file importing itself', { a: ['a'] }, [['a', 'a']]],
    ['a long way round, beside a tree', { a: ['b', 'x'], b: ['c'], c: ['d'], d: ['a'], x: ['y'], y: [] }, [['a', 'b', 'c', 'd', 'a']]],
    ['two separate cycles', { a: ['b'], b: ['a'], c: ['d'], d: ['c'] }, [['a', 'b', 'a'], ['c', 'd', 'c']]],
  ])('finds %s', (_label, edges, expected) => {
    const graph = new Map(Object.entries(edges));
    expect(importCycles(graph).sort()).toEqual(expected);
  });

  it('reads static, type-only, re-exported and dynamic imports, and Svelte scripts', () => {
    const ts = "import { a } from './a';\nimport type { B } from './b';\nexport { c } from './c';\nconst d = () => import('./d');\ntype E = import('./e').E;\n";
    expect(importSpecifiers('x.ts', ts)).toEqual(['./a', './b', './c', './d', './e']);
    const svelte = "<script module lang=\"ts\">\nimport { f } from './f';\n</script>\n<script lang=\"ts\">\n  import G from './G.svelte';\n</script>\n<p>import nothing from './not-code';</p>\n";
    expect(importSpecifiers('x.svelte', svelte)).toEqual(['./f', './G.svelte']);
  });
});
