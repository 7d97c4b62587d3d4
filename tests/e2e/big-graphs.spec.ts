import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mobileNetV2ModelJson } from './support/mobileNetV2';
import { screenshotDir, startApp, type RunningApp } from './support/server';

let app: RunningApp;
let modelFile: string;
test.beforeAll(() => {
  modelFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'netwright-mobilenet-')), 'mobilenet_v2.json');
  writeFileSync(modelFile, JSON.stringify(mobileNetV2ModelJson()));
});
// One app (and workspace) per test: an unsaved import would otherwise be offered back as recovered work.
test.beforeEach(async () => {
  app = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0']);
});
test.afterEach(async () => {
  await app.stop();
});

async function importModel(page: Page): Promise<void> {
  await page.getByTestId('menu-file').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('menu-import-keras').click();
  await (await chooser).setFiles(modelFile);
}

async function toggleTheme(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Toggle theme' }).click();
}

/** Every node of the graph lies inside the canvas (what "fit" promises). */
async function expectAllNodesInView(page: Page): Promise<void> {
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  const spans = await page.locator('.svelte-flow__node').evaluateAll((nodes) =>
    nodes.map((n) => n.getBoundingClientRect()).reduce((s, r) => ({ top: Math.min(s.top, r.top), bottom: Math.max(s.bottom, r.bottom), left: Math.min(s.left, r.left), right: Math.max(s.right, r.right) }), { top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity }),
  );
  expect(spans.top).toBeGreaterThanOrEqual(canvas.y);
  expect(spans.bottom).toBeLessThanOrEqual(canvas.y + canvas.height);
  expect(spans.left).toBeGreaterThanOrEqual(canvas.x);
  expect(spans.right).toBeLessThanOrEqual(canvas.x + canvas.width);
}

/** Visible edge labels whose boxes overlap another's. */
async function overlappingEdgeLabels(page: Page): Promise<string[]> {
  return page.locator('[data-testid=edge-label]').evaluateAll((labels) => {
    const boxes = labels.map((l) => ({ id: l.getAttribute('data-edge-id') ?? '', r: l.getBoundingClientRect() })).filter((b) => b.r.width > 0 && b.r.bottom > 0 && b.r.top < window.innerHeight);
    const clashes: string[] = [];
    boxes.forEach((a, i) => {
      for (const b of boxes.slice(i + 1)) {
        if (a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom) clashes.push(`${a.id}×${b.id}`);
      }
    });
    return clashes;
  });
}

/** Pixels of the overview (minimap) that something is drawn on. */
async function overviewInk(page: Page): Promise<number> {
  return page.getByTestId('minimap').locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) inked++;
    return inked / (canvas.width * canvas.height);
  });
}

test('an imported MobileNetV2 opens as readable blocks named by its layers; a block opens in place', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await importModel(page);

  // 156 layers folded into 17 blocks by their names: 26 nodes, each labelled by name and type at this zoom.
  await expect(page.getByTestId('toast').filter({ hasText: '156 layers, in 17 blocks' })).toBeVisible();
  await expect(page.locator('[data-testid=layer-node]')).toHaveCount(26);
  await expect(page.getByTestId('status-model')).toContainText('156 layers in 26 nodes');
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-detail', 'names');
  const block7 = page.locator('.svelte-flow__node[data-id="block_7"]');
  await expect(block7.getByTestId('node-label')).toHaveText('block_7 · Block · 9 layers');
  await expect(page.getByTestId('node-label').filter({ hasText: 'expanded_conv' })).toBeVisible();
  await page.getByTestId('toast').locator('button').click();

  // Fit view fits, and the overview shows the graph.
  await page.keyboard.press('Shift+F');
  await page.waitForTimeout(400);
  await expectAllNodesInView(page);
  expect(await overviewInk(page)).toBeGreaterThan(0.15);
  await page.screenshot({ path: path.join(screenshotDir, 'big-mobilenet-fit.png') });
  await toggleTheme(page);
  await page.screenshot({ path: path.join(screenshotDir, 'big-mobilenet-fit-dark.png') });
  await toggleTheme(page);

  // block_7 opens in place: its layers by their full Keras names, what followed it moved down below them.
  await block7.click();
  await page.keyboard.press('Control+Shift+G');
  await expect(page.locator('[data-testid=layer-node]')).toHaveCount(34);
  const add = page.locator('.svelte-flow__node[data-id="block_7_add"]');
  await expect(add.getByTestId('layer-node')).toHaveAttribute('data-node-name', 'block_7_add');
  const addBox = await add.boundingBox();
  const nextBox = await page.locator('.svelte-flow__node[data-id="block_8"]').boundingBox();
  expect(nextBox!.y).toBeGreaterThan(addBox!.y + addBox!.height);

  // At 100 %: every detail, the skip connection beside the block's layers, labels apart.
  await page.locator('.svelte-flow__node[data-id="block_7_depthwise"]').click();
  await page.keyboard.press('Shift+A');
  await page.waitForTimeout(400);
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-detail', 'full');
  await expect(page.locator('.svelte-flow__node[data-id="block_7_depthwise"] [data-testid=node-shape]')).toHaveText('14×14×384');
  await expect(page.locator('.svelte-flow__edge-path.lane')).not.toHaveCount(0);
  expect(await overlappingEdgeLabels(page)).toEqual([]);
  await page.screenshot({ path: path.join(screenshotDir, 'big-mobilenet-100.png') });
  await toggleTheme(page);
  await page.screenshot({ path: path.join(screenshotDir, 'big-mobilenet-100-dark.png') });
  await toggleTheme(page);

  // Grouped again by its names, it closes back into one block_7.
  await page.getByTestId('menu-edit').click();
  await page.getByTestId('menu-group-names').click();
  await expect(page.locator('[data-testid=layer-node]')).toHaveCount(26);
  await expect(block7.getByTestId('layer-node')).toHaveAttribute('data-node-name', 'block_7');
});

test('an expanded DenseNet-121 lays out with its concat connections beside the layers, and fits', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.keyboard.press('Control+n');
  await page.getByTestId('template-gallery').locator('[data-template=densenet121]').click();
  await expect(page.getByTestId('document-title')).toContainText('DenseNet-121');
  await expect(page.getByTestId('template-gallery')).toBeHidden();

  // Every dense block and transition opened in place, then laid out again: 427 layers.
  await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+Shift+G');
  await expect(page.getByTestId('status-model')).toContainText('427 layers');
  await page.keyboard.press('Shift+L');
  await page.waitForTimeout(500);

  // Fit: the whole column in view, too small for names, so its groups are named instead.
  await page.keyboard.press('Shift+F');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-detail', 'overview');
  await page.screenshot({ path: path.join(screenshotDir, 'big-densenet-fit.png') });
  await expectAllNodesInView(page);
  const regions = page.getByTestId('region-label');
  for (const name of ['denseblock1', 'transition1', 'denseblock2', 'denseblock3', 'denseblock4']) await expect(regions.filter({ hasText: name })).toHaveCount(1);
  expect(await overviewInk(page)).toBeGreaterThan(0.15);
  await page.screenshot({ path: path.join(screenshotDir, 'big-densenet-fit.png') });
  await toggleTheme(page);
  await page.screenshot({ path: path.join(screenshotDir, 'big-densenet-fit-dark.png') });
  await toggleTheme(page);

  // At 100 % inside the second dense block: concat inputs run down lanes beside the layers.
  const concat = page.locator('.svelte-flow__node[data-id="denseblock2_concat3"]');
  await concat.click({ force: true });
  await expect(page.getByTestId('inspector-name')).toHaveValue('denseblock2_concat3');
  await page.keyboard.press('Shift+A');
  await page.waitForTimeout(400);
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-detail', 'full');
  await expect(page.locator('.svelte-flow__edge-path.lane')).not.toHaveCount(0);
  expect(await overlappingEdgeLabels(page)).toEqual([]);
  await page.screenshot({ path: path.join(screenshotDir, 'big-densenet-100.png') });
  await toggleTheme(page);
  await page.screenshot({ path: path.join(screenshotDir, 'big-densenet-100-dark.png') });

  // Zoomed out to about a quarter: every layer still reads by name and type, beside its bar.
  for (let i = 0; i < 7; i++) await page.locator('.svelte-flow__controls-zoomout').click();
  await page.waitForTimeout(400);
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-detail', 'names');
  await expect(page.locator('.svelte-flow__node[data-id="denseblock2_concat3"]').getByTestId('node-label')).toHaveText('denseblock2_concat3 · Concatenate');
  await page.screenshot({ path: path.join(screenshotDir, 'big-densenet-medium-dark.png') });
});
