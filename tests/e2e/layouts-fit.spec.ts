import { expect, test, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { dragLayer, openTrainingPanel } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

type Box = { x: number; y: number; width: number; height: number };

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} has no box`);
  return box;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
}

/** Whole inside the window, and what a click at its centre would hit is the element itself (nothing over it). */
async function expectUncovered(page: Page, locator: Locator, what: string): Promise<void> {
  const box = await boxOf(locator);
  const view = page.viewportSize() ?? { width: 0, height: 0 };
  expect(inside(box, { x: 0, y: 0, ...view }), `${what} inside the window: ${JSON.stringify(box)}`).toBe(true);
  const hit = await locator.evaluate((element) => {
    const r = element.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top !== null && (top === element || element.contains(top));
  });
  expect(hit, `${what} is not covered`).toBe(true);
}

/** Nothing inside clipped: the element's content is as wide as the element. */
async function expectNotClipped(locator: Locator, what: string): Promise<void> {
  const { scroll, client } = await locator.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
  expect(scroll, `${what} shows all its content`).toBeLessThanOrEqual(client + 1);
}

async function trainBriefly(page: Page, samples: string): Promise<void> {
  const panel = page.getByTestId('training-panel');
  if (!(await panel.isVisible())) await openTrainingPanel(page);
  await panel.getByTestId('train-samples').fill(samples);
  await panel.getByTestId('train-epochs').fill('2');
  await panel.getByTestId('train-start').click();
}

/** The training panel, the status bar, the charts and the canvas all fit this window. */
async function expectFits(page: Page, minCanvas: { width: number; height: number }, what: string): Promise<void> {
  const panel = page.getByTestId('training-panel');
  await expectUncovered(page, panel.getByRole('button', { name: 'Close the training panel' }), `${what}: the panel's close button`);
  await expectUncovered(page, panel.getByTestId('train-smoothing'), `${what}: the smoothing slider`);
  const header = panel.getByTestId('training-header');
  await expectNotClipped(header, `${what}: the panel's header`);
  await expectUncovered(page, panel.getByTestId('training-dataset-line'), `${what}: the dataset line`);
  expect(inside(await boxOf(panel.getByTestId('training-dataset-line')), await boxOf(header))).toBe(true);

  const status = page.getByTestId('status-bar');
  await expectNotClipped(status, `${what}: the status bar`);
  await expectUncovered(page, page.getByTestId('status-version'), `${what}: the status bar's end`);
  await expectUncovered(page, page.getByTestId('status-model'), `${what}: the model's figures`);

  // Each legend within its chart, no two charts (legends included) on top of each other.
  const charts = panel.locator('[data-testid^=chart-]:not([data-testid=chart-legend])');
  await expect(charts).toHaveCount(3);
  const boxes: Box[] = [];
  for (const chart of await charts.all()) {
    const box = await boxOf(chart);
    const legend = await boxOf(chart.getByTestId('chart-legend'));
    expect(inside(legend, box), `${what}: a legend inside its chart`).toBe(true);
    await expectNotClipped(chart.getByTestId('chart-legend'), `${what}: a legend`);
    for (const other of boxes) expect(overlaps(box, other), `${what}: charts apart`).toBe(false);
    boxes.push(box);
  }

  const canvas = await boxOf(page.locator('.svelte-flow'));
  expect(canvas.width, `${what}: canvas width`).toBeGreaterThanOrEqual(minCanvas.width);
  expect(canvas.height, `${what}: canvas height`).toBeGreaterThanOrEqual(minCanvas.height);
  // The panel stays beside the inspector, not under it.
  expect(overlaps(await boxOf(panel), await boxOf(page.getByTestId('inspector')))).toBe(false);
}

const SIZES = [
  { width: 1440, height: 900, canvas: { width: 700, height: 450 } },
  { width: 1280, height: 720, canvas: { width: 480, height: 330 } },
];

for (const size of SIZES) {
  const name = `${size.width}x${size.height}`;
  test(`at ${size.width}×${size.height}, light and dark: the training panel, charts, status bar and canvas fit; heat modes say what they show`, async ({ page }) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(app.url);
    await expect(page.getByTestId('document-title')).toContainText('LeNet');
    await expect(page.getByTestId('status-model')).toContainText('9 layers ·');

    // A run long enough to see the graph locked: a drawn padlock beside each node.
    await trainBriefly(page, '3000');
    await expect(page.getByTestId('training-status')).toHaveText(/Training|Finished/, { timeout: 60_000 });
    if ((await page.getByTestId('training-status').textContent()) === 'Training') {
      await expect(page.getByTestId('node-lock').first().locator('svg')).toBeVisible();
      await page.screenshot({ path: path.join(screenshotDir, `layouts-fit-${name}-training.png`) });
    }
    await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
    await expect(page.getByTestId('node-lock')).toHaveCount(0);
    await expect(page.getByTestId('training-result')).toContainText('Test accuracy');

    for (const theme of ['light', 'dark'] as const) {
      if (theme === 'dark') await page.getByRole('button', { name: 'Toggle theme' }).click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.mouse.move(size.width / 2, 200);
      await expectFits(page, size.canvas, `${name} ${theme}`);
      // The overview stands out from the canvas in either theme.
      const [overview, canvasBg] = await page.evaluate(() => [getComputedStyle(document.querySelector('[data-testid=minimap]') as Element).backgroundColor, getComputedStyle(document.querySelector('.canvas-area') as Element).backgroundColor]);
      expect(overview).not.toBe(canvasBg);
      await page.screenshot({ path: path.join(screenshotDir, `layouts-fit-${name}-${theme}.png`) });
    }

    // Heat: parameters, then FLOPs counted as multiply-adds, each with its scale.
    const legend = page.getByTestId('heat-legend');
    await expect(legend).toHaveCount(0);
    await page.getByTestId('heat-params').click();
    await expect(page.getByTestId('heat-legend-label')).toHaveText('Heat · Params');
    await expect(page.getByTestId('heat-legend-min')).toHaveText('0');
    await expect(page.getByTestId('heat-legend-max')).toHaveText('48.1K');
    await expect(page.locator('.svelte-flow__node[data-id="conv2"] [data-testid=node-figure]')).toHaveText('2.42K params');
    // On the canvas (it lets clicks through to it, so elementFromPoint cannot tell; inside its box it is).
    expect(inside(await boxOf(legend), await boxOf(page.locator('.svelte-flow')))).toBe(true);

    await expect(page.getByTestId('heat-flops')).toHaveText('FLOPs (MACs)');
    await page.getByTestId('heat-flops').click();
    await expect(page.getByTestId('heat-legend-label')).toHaveText('Heat · FLOPs (MACs)');
    const conv2 = page.locator('.svelte-flow__node[data-id="conv2"]');
    await expect(conv2.getByTestId('node-figure')).toHaveText('240.0K MACs');
    await expect(page.getByTestId('heat-legend-max')).toHaveText('240.0K');
    // The node's figure is the inspector's FLOPs (MACs), and the status bar names it the same way.
    await conv2.getByTestId('node-name').click();
    await expect(page.getByTestId('inspector').locator('.stat-grid > div', { hasText: 'FLOPs (MACs)' }).locator('strong')).toHaveText('240.0K');
    await expect(page.getByTestId('status-model')).toContainText('FLOPs (MACs)');
    await page.screenshot({ path: path.join(screenshotDir, `layouts-fit-${name}-heat-flops.png`) });
    await page.getByTestId('heat-off').click();
    await expect(legend).toHaveCount(0);
    await expect(conv2.getByTestId('node-figure')).toHaveText('2.42K params');

    // Folding the panel to its header gives the canvas its room back; unfolding brings the charts back.
    const open = await boxOf(page.locator('.svelte-flow'));
    await page.getByTestId('training-collapse').click();
    await expect.poll(async () => (await boxOf(page.locator('.svelte-flow'))).height).toBeGreaterThan(open.height + 150);
    await expectUncovered(page, page.getByRole('button', { name: 'Close the training panel' }), `${name}: close, folded`);
    await page.screenshot({ path: path.join(screenshotDir, `layouts-fit-${name}-folded.png`) });
    await page.getByTestId('training-collapse').click();
    await expect(page.getByTestId('chart-batch-loss')).toBeVisible();
    expect(errors).toEqual([]);
  });
}

test('counts read right: one layer is "1 layer"', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  await expect(page.getByTestId('status-model')).toContainText('0 layers ·');
  await dragLayer(page, 'ImageInput', 600, 200);
  await expect(page.getByTestId('status-model')).toContainText('1 layer ·');
  await expect(page.getByTestId('status-model')).not.toContainText('1 layers');
  // A longer document name with its unsaved mark leaves the top bar's buttons on one line each.
  await expect(page.getByTestId('dirty-mark')).toBeVisible();
  for (const id of ['heat-flops', 'topbar-train', 'auto-layout']) expect((await boxOf(page.getByTestId(id))).height, `${id} on one line`).toBeLessThanOrEqual(30);
  await expectUncovered(page, page.getByRole('button', { name: 'Toggle theme' }), 'the theme button');
  await page.screenshot({ path: path.join(screenshotDir, 'layouts-fit-one-layer.png') });
});
