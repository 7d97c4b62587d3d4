/**
 * Editor speed in Chromium, on graphs of several sizes: how long from the click until a document is
 * drawn (target under 1 s at 500 layers, 1.5 s at 5,000), then the frame rate while a node is dragged
 * and while the canvas is panned, two seconds each (target 50 fps or better). The graphs: a residual
 * CNN of BENCH_LAYERS layers (500 by default) and of 5,000, an expanded DenseNet-121 (427 layers),
 * and MobileNetV2 imported through File › Import (156 layers, opened folded into blocks).
 * Run with `npm run bench:editor` (it builds first); BENCH_ONLY=chain,5000,densenet,mobilenet picks cases.
 */
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../src-shared/analysis/analyze';
import { expandComposite } from '../src-shared/editing/expand';
import type { GraphDocument } from '../src-shared/graph/schema';
import { getLayerDef } from '../src-shared/layers/registry';
import { autoLayout } from '../src-shared/layout/autoLayout';
import { moveNodes } from '../src-shared/graph/ops';
import { getTemplate } from '../src-shared/templates';
import { mobileNetV2ModelJson } from '../tests/e2e/support/mobileNetV2';
import { startApp } from '../tests/e2e/support/server';
import { residualChain } from './residualChain';

const LAYERS = Number(process.env.BENCH_LAYERS ?? 500);
const ONLY = (process.env.BENCH_ONLY ?? 'chain,5000,densenet,mobilenet').split(',');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function expandedDenseNet(): GraphDocument {
  let doc = getTemplate('densenet121')?.build();
  if (!doc) throw new Error('no DenseNet-121 template');
  for (const n of [...doc.nodes]) if (getLayerDef(n.type)?.kind === 'block') doc = expandComposite(doc, n.id);
  const positions = autoLayout(doc);
  return moveNodes(doc, doc.nodes.map((n) => ({ id: n.id, position: positions.get(n.id) ?? n.position })));
}

function checked(doc: GraphDocument, layers: number): GraphDocument {
  const check = analyze(doc);
  if (doc.nodes.length !== layers || !check.ok) throw new Error(`benchmark document is wrong: ${doc.nodes.length} layers, ${check.errors.length} errors`);
  return doc;
}

/** The page's time once the next frame after the current one is painted. */
const painted = (page: Page) => page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))))') as Promise<number>;

async function newEmpty(page: Page): Promise<void> {
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  const discard = page.getByTestId('discard-changes');
  if (await discard.isVisible().catch(() => false)) await discard.click();
}

/** Click → analysed, projected and painted, for a document in the workspace. */
async function openTimes(page: Page, file: string, layers: number, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    await newEmpty(page);
    await page.getByTestId('menu-file').click();
    await page.getByTestId('menu-open').click();
    const entry = page.getByTestId('file-entry').filter({ hasText: file });
    await entry.waitFor();
    const started = await page.evaluate(() => performance.now());
    await entry.click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=status-model]')?.textContent?.includes(`${n} layers`), layers);
    await page.locator('.svelte-flow__node').first().waitFor();
    times.push((await painted(page)) - started);
  }
  return times;
}

/** File chosen → imported, folded, laid out and painted. */
async function importTimes(page: Page, file: string, layers: number, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    await newEmpty(page);
    await page.getByTestId('menu-file').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('menu-import-keras').click();
    const started = await page.evaluate(() => performance.now());
    await (await chooser).setFiles(file);
    await page.waitForFunction((n) => document.querySelector('[data-testid=status-model]')?.textContent?.includes(`${n} layers`), layers);
    await page.locator('.svelte-flow__node').first().waitFor();
    times.push((await painted(page)) - started);
  }
  return times;
}

/** Frames per second (and the 95th percentile frame) while the pointer drags from (x, y) in circles. */
async function dragFps(page: Page, x: number, y: number): Promise<{ fps: number; p95: number }> {
  // Passed as source text: the page must not see helpers the TypeScript loader adds to functions.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__counting = true;
    const tick = (t) => { window.__frames.push(t); if (window.__counting) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(x, y);
  await page.mouse.down();
  const start = Date.now();
  for (let step = 1; Date.now() - start < 2000; step++) await page.mouse.move(x + 120 * Math.cos(step / 10), y + 80 * Math.sin(step / 10));
  await page.mouse.up();
  const frames = (await page.evaluate('window.__counting = false, window.__frames')) as number[];
  const intervals = frames.slice(1).map((t, i) => t - (frames[i] as number));
  return {
    fps: (frames.length - 1) / (((frames.at(-1) as number) - (frames[0] as number)) / 1000),
    p95: [...intervals].sort((a, b) => a - b)[Math.floor(intervals.length * 0.95)] as number,
  };
}

async function measureGestures(page: Page): Promise<{ drag: { fps: number; p95: number }; pan: { fps: number; p95: number } }> {
  // The node nearest the middle of the canvas, so the drag never reaches an edge and pans the view.
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  const boxes = await page.locator('.svelte-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON() as DOMRect));
  const middle = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
  const box = boxes.sort((a, b) => Math.hypot(a.x - middle.x, a.y - middle.y) - Math.hypot(b.x - middle.x, b.y - middle.y))[0];
  if (!box) throw new Error('no node to drag');
  const drag = await dragFps(page, box.x + Math.min(box.width / 2, 20), box.y + Math.min(box.height / 2, 12));
  // Pan: drag the empty canvas beside the graph.
  const pan = await dragFps(page, canvas.x + 150, canvas.y + canvas.height / 2);
  return { drag, pan };
}

const workspace = mkdtempSync(path.join(os.tmpdir(), 'netwright-bench-'));
const cases: { key: string; name: string; file: string; layers: number; runs: number; imported?: boolean }[] = [];
if (ONLY.includes('chain')) cases.push({ key: 'chain', name: `${LAYERS}-layer residual CNN`, file: 'chain.netwright', layers: LAYERS, runs: 5 });
if (ONLY.includes('5000')) cases.push({ key: '5000', name: '5,000-layer residual CNN', file: 'chain5000.netwright', layers: 5000, runs: 3 });
if (ONLY.includes('densenet')) cases.push({ key: 'densenet', name: 'DenseNet-121, expanded', file: 'densenet.netwright', layers: 427, runs: 3 });
if (ONLY.includes('mobilenet')) cases.push({ key: 'mobilenet', name: 'MobileNetV2, imported (opens folded into 17 blocks)', file: path.join(workspace, 'mobilenet_v2.json'), layers: 156, runs: 3, imported: true });
for (const c of cases) {
  if (c.key === 'chain') writeFileSync(path.join(workspace, c.file), JSON.stringify(checked(residualChain(LAYERS), LAYERS)));
  if (c.key === '5000') writeFileSync(path.join(workspace, c.file), JSON.stringify(checked(residualChain(5000), 5000)));
  if (c.key === 'densenet') writeFileSync(path.join(workspace, c.file), JSON.stringify(checked(expandedDenseNet(), 427)));
  if (c.key === 'mobilenet') writeFileSync(c.file, JSON.stringify(mobileNetV2ModelJson()));
}

const app = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0'], { ...process.env, NETWRIGHT_WORKSPACE: workspace });
const browser = await chromium.launch({
  executablePath: process.env.NETWRIGHT_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(app.url);
  await page.getByTestId('app-shell').waitFor();
  console.log(`Netwright editor benchmark: Chromium ${browser.version()}, 1440×900, ${os.cpus().length} cores`);
  for (const c of cases) {
    const times = c.imported ? await importTimes(page, c.file, c.layers, c.runs) : await openTimes(page, c.file, c.layers, c.runs);
    const target = c.layers > 1000 ? 1500 : 1000;
    const { drag, pan } = await measureGestures(page);
    const verdict = (fps: number) => (fps >= 50 ? 'OK' : 'TOO SLOW');
    console.log(`\n${c.name} (${c.layers} layers)`);
    console.log(`  ${c.imported ? 'import' : 'open'} (click → drawn): median ${median(times).toFixed(0)} ms over ${c.runs} runs (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); target < ${target} ms: ${median(times) < target ? 'OK' : 'TOO SLOW'}`);
    console.log(`  drag a node: ${drag.fps.toFixed(1)} fps (95th percentile frame ${drag.p95.toFixed(1)} ms): ${verdict(drag.fps)}`);
    console.log(`  pan the canvas: ${pan.fps.toFixed(1)} fps (95th percentile frame ${pan.p95.toFixed(1)} ms): ${verdict(pan.fps)}`);
  }
} finally {
  await browser.close();
  await app.stop();
}
