/**
 * How long analysis takes on a 1,000-layer document (target: under 20 ms), printed as medians of
 * several runs after a warm-up. Run with `npx tsx bench/analysis.ts`.
 */
import { analyze } from '../src-shared/analysis/analyze';
import { summary } from '../src-shared/analysis/summary';
import { DocumentBuilder } from '../src-shared/graph/builder';
import { parseDocument } from '../src-shared/graph/parse';
import type { GraphDocument } from '../src-shared/graph/schema';
import { getTemplate } from '../src-shared/templates/index';

const RUNS = 30;
const TARGET_MS = 20;

/** A residual CNN of exactly `layers` layers: input, then conv → BN → ReLU → Add(skip) units, then a head. */
function residualNetwork(layers: number): GraphDocument {
  const b = new DocumentBuilder(`${layers}-layer residual CNN`);
  let x = b.add('ImageInput', { height: 64, width: 64, channels: 32 });
  const head = 3; // global pool, dense, and the input itself
  let count = 1;
  while (count + 4 + head - 1 <= layers) {
    const conv = b.add('Conv2D', { filters: 32, kernelSize: [3, 3], padding: 'same', useBias: false }, [x]);
    const bn = b.add('BatchNormalization', {}, [conv]);
    const relu = b.add('Activation', { activation: 'relu' }, [bn]);
    x = b.add('Add', {}, [relu, x]);
    count += 4;
  }
  while (count + head - 1 < layers) {
    x = b.add('Activation', { activation: 'relu' }, [x]);
    count++;
  }
  b.add('Dense', { units: 10 }, [b.add('GlobalAvgPool2D', {}, [x])]);
  return b.build();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function time(label: string, run: () => unknown): number {
  for (let i = 0; i < 5; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  const med = median(samples);
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  console.log(`${label.padEnd(52)} median ${med.toFixed(2).padStart(7)} ms   min ${min.toFixed(2).padStart(7)} ms   max ${max.toFixed(2).padStart(7)} ms`);
  return med;
}

const doc = residualNetwork(1000);
const check = analyze(doc);
if (!check.ok || doc.nodes.length !== 1000) throw new Error(`benchmark document is wrong: ${doc.nodes.length} layers, ${check.errors.length} errors`);
const densenet = getTemplate('densenet121')?.build();
if (!densenet) throw new Error('densenet121 template missing');
const densenetLayers = analyze(densenet);
let expanded = 0;
for (const node of densenetLayers.nodes.values()) expanded += node.inner ? node.inner.nodes.size : 1;

console.log(`Netwright analysis benchmark (${RUNS} runs each after 5 warm-up runs, Node ${process.version})`);
console.log(`document: ${doc.nodes.length} layers, ${doc.edges.length} connections, ${check.totals.params.total.toLocaleString('en-US')} params`);
console.log('');
const analyzeMs = time('analyze(1,000-layer document)', () => analyze(doc));
time('parseDocument (schema validation, same doc)', () => parseDocument(doc));
time('summary (analysis + table rows, same doc)', () => summary(doc));
time(`analyze(DenseNet-121: ${expanded} layers inside blocks)`, () => analyze(densenet));
console.log('');
console.log(`analyze 1,000 layers: ${analyzeMs.toFixed(2)} ms (target < ${TARGET_MS} ms): ${analyzeMs < TARGET_MS ? 'OK' : 'TOO SLOW'}`);
