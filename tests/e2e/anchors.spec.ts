import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { selectNode } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

async function openAnchors(page: Page): Promise<Locator> {
  await page.getByTestId('menu-view').click();
  await page.getByTestId('menu-anchors').click();
  const view = page.getByTestId('anchors-view');
  await expect(view).toBeVisible();
  return view;
}

/** Moves the pointer over a normalized point (u across, v down) of the image, as a person hovers. */
async function hover(page: Page, stage: Locator, u: number, v: number): Promise<void> {
  const box = await stage.boundingBox();
  if (!box) throw new Error('the anchor stage is not visible');
  await page.mouse.move(box.x + u * box.width, box.y + v * box.height, { steps: 4 });
}

async function drag(page: Page, stage: Locator, from: [number, number], to: [number, number]): Promise<void> {
  const box = await stage.boundingBox();
  if (!box) throw new Error('the anchor stage is not visible');
  await page.mouse.move(box.x + from[0] * box.width, box.y + from[1] * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + to[0] * box.width, box.y + to[1] * box.height, { steps: 8 });
  await page.mouse.up();
}

async function setField(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.press('Enter');
}

test('anchor boxes: hover a pixel to count n+m−1 anchors per scale, then draw ground truth and see the IoU table and assignment', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  // A layer stays selected behind the view: deleting a ground-truth box must not delete it.
  await selectNode(page, 'conv1');
  const layers = await page.locator('.svelte-flow__node').count();
  const view = await openAnchors(page);
  const stage = view.getByTestId('anchor-stage');
  const rows = view.getByTestId('scale-row');
  await expect(rows).toHaveCount(3);
  // LeNet has no detection head: the view uses hand-chosen scales.
  await expect(view.getByTestId('mode-head')).toBeDisabled();

  // Two sizes and three ratios on the 4×4 map: 2 + 3 − 1 = 4 anchors on the hovered cell.
  await setField(rows.nth(0).getByTestId('scale-sizes'), '0.2, 0.35');
  await expect(rows.nth(0)).toContainText('2+3−1 = 4 per cell · 64 anchors');
  await hover(page, stage, 0.3, 0.4);
  await expect(view.getByTestId('hover-anchor')).toHaveCount(4);
  await expect(view.getByTestId('hover-scale')).toHaveText(['4×4: n+m−1 = 2+3−1 = 4 anchors at (1, 1)']);
  await expect(view.getByTestId('hover-count')).toHaveAttribute('data-count', '4');

  // Four ratios: 2 + 4 − 1 = 5.
  await setField(view.getByTestId('ratios'), '1, 2, 0.5, 3');
  await hover(page, stage, 0.8, 0.1);
  await expect(view.getByTestId('hover-anchor')).toHaveCount(5);
  await expect(view.getByTestId('hover-scale')).toHaveText(['4×4: n+m−1 = 2+4−1 = 5 anchors at (0, 3)']);

  // Several scales at once: give the 2×2 and 1×1 maps two sizes too and switch them on: 3 × 5 anchors.
  await setField(rows.nth(1).getByTestId('scale-sizes'), '0.45, 0.6');
  await setField(rows.nth(2).getByTestId('scale-sizes'), '0.8, 0.95');
  await rows.nth(1).getByTestId('scale-toggle').click();
  await rows.nth(2).getByTestId('scale-toggle').click();
  await hover(page, stage, 0.3, 0.6);
  await expect(view.getByTestId('hover-anchor')).toHaveCount(3 * 5);
  await expect(view.getByTestId('hover-scale')).toHaveText([
    '4×4: n+m−1 = 2+4−1 = 5 anchors at (2, 1)',
    '2×2: n+m−1 = 2+4−1 = 5 anchors at (1, 0)',
    '1×1: n+m−1 = 2+4−1 = 5 anchors at (0, 0)',
  ]);
  for (const scale of ['scale-1', 'scale-2', 'scale-3']) await expect(view.locator(`[data-testid=hover-anchor][data-scale=${scale}]`)).toHaveCount(5);
  await page.screenshot({ path: path.join(screenshotDir, 'anchors-hover.png') });

  // Every anchor of the three maps, as multiboxPrior makes them: (16 + 4 + 1) cells × 5.
  await view.getByTestId('show-all').check();
  await expect(view.getByTestId('prior-anchor')).toHaveCount(21 * 5);
  await view.getByTestId('show-all').uncheck();
  await expect(view.getByTestId('prior-anchor')).toHaveCount(0);

  // An invalid size is refused with the reason, and the last good sizes stay.
  await setField(rows.nth(0).getByTestId('scale-sizes'), '0.2, -1');
  await expect(rows.nth(0)).toContainText("'-1' is not a positive number");
  await expect(rows.nth(0)).toContainText('2+4−1 = 5 per cell');
  await setField(rows.nth(0).getByTestId('scale-sizes'), '0.2, 0.35');
  await expect(rows.nth(0)).not.toContainText('not a positive number');

  // Ground truth: drag a box around the dog, then the cat.
  await expect(view.getByTestId('truth-empty')).toBeVisible();
  await drag(page, stage, [0.1, 0.22], [0.47, 0.76]);
  await expect(view.getByTestId('truth-row')).toHaveCount(1);
  await view.getByTestId('truth-class').first().fill('dog');
  await view.getByTestId('truth-class').first().press('Enter');
  await drag(page, stage, [0.56, 0.44], [0.9, 0.84]);
  await expect(view.getByTestId('truth-row')).toHaveCount(2);
  await view.getByTestId('truth-class').nth(1).fill('cat');
  await view.getByTestId('truth-class').nth(1).press('Enter');
  await expect(view.getByTestId('truth-row').nth(1)).toContainText('class 2');

  // The IoU table has one row per box; every box has at least its best anchor, drawn dashed on the image.
  const table = view.getByTestId('iou-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.locator('tbody tr').nth(0)).toContainText('dog');
  const assigned = view.getByTestId('assigned-anchor');
  expect(await assigned.count()).toBeGreaterThanOrEqual(2);
  await expect(assigned.filter({ hasText: 'dog ←' }).first()).toBeVisible();
  await expect(assigned.filter({ hasText: 'cat ←' }).first()).toBeVisible();
  await expect(view.getByTestId('assigned-anchor-box')).toHaveCount(await assigned.count());
  await expect(view.getByTestId('iou-assigned')).toHaveCount(await assigned.count());

  // A stricter threshold keeps only each box's best anchor.
  await setField(view.getByTestId('iou-threshold'), '0.95');
  await expect(assigned).toHaveCount(2);
  await setField(view.getByTestId('iou-threshold'), '0.3');
  await hover(page, stage, 0.7, 0.62);
  await page.screenshot({ path: path.join(screenshotDir, 'anchors-ground-truth.png') });

  // Delete the cat; Escape closes the view.
  await view.getByTestId('truth-delete').nth(1).click();
  await expect(view.getByTestId('truth-row')).toHaveCount(1);
  // Click the dog's box to select it, and Delete removes it (and no layer).
  const box = await stage.boundingBox();
  await page.mouse.click((box?.x ?? 0) + 0.3 * (box?.width ?? 0), (box?.y ?? 0) + 0.5 * (box?.height ?? 0));
  await expect(view.locator('[data-testid=truth-row].selected')).toHaveCount(1);
  await page.keyboard.press('Delete');
  await expect(view.getByTestId('truth-row')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  await expect(page.locator('.svelte-flow__node')).toHaveCount(layers);
});

test('anchor boxes from the tiny-SSD detection head, on your own image, in the dark theme', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.keyboard.press('Control+n');
  await page.getByTestId('template-gallery').locator('[data-template=tiny-ssd]').click();
  await expect(page.getByTestId('document-title')).toContainText('Tiny SSD');
  const view = await openAnchors(page);

  // The head's five maps with d2l's sizes; 2 + 3 − 1 = 4 anchors per cell on each.
  await expect(view.getByTestId('mode-head')).toHaveAttribute('aria-checked', 'true');
  const rows = view.getByTestId('scale-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(0)).toContainText('base3 · 2+3−1 = 4 per cell · 4,096 anchors');
  await expect(rows.nth(4)).toContainText('blk5 · 2+3−1 = 4 per cell · 4 anchors');
  await expect(rows.nth(0).getByTestId('scale-sizes')).toHaveValue('0.2, 0.272');

  // Open the user's own image: a wide 320×200 street scene of their own.
  await view.getByTestId('open-image').setInputFiles(widePng());
  const image = view.getByTestId('anchor-image');
  await expect(image).toHaveAttribute('src', /^blob:/);
  await expect(image).toHaveAttribute('width', '560');
  await expect(image).toHaveAttribute('height', '350');
  const stage = view.getByTestId('anchor-stage');
  // 16×16, 8×8, 4×4 and 1×1 start on; the 32×32 map is off until switched on.
  await hover(page, stage, 0.25, 0.7);
  await expect(view.getByTestId('hover-anchor')).toHaveCount(4 * 4);
  await rows.nth(0).getByTestId('scale-toggle').click();
  await hover(page, stage, 0.26, 0.7);
  await expect(view.getByTestId('hover-anchor')).toHaveCount(5 * 4);
  await expect(view.getByTestId('hover-scale').first()).toHaveText('32×32: n+m−1 = 2+3−1 = 4 anchors at (22, 8)');
  await rows.nth(0).getByTestId('scale-toggle').click();

  await drag(page, stage, [0.07, 0.6], [0.6, 0.9]);
  await view.getByTestId('truth-class').first().fill('car');
  await view.getByTestId('truth-class').first().press('Enter');
  await drag(page, stage, [0.67, 0.45], [0.78, 0.9]);
  await view.getByTestId('truth-class').nth(1).fill('person');
  await view.getByTestId('truth-class').nth(1).press('Enter');
  await expect(view.getByTestId('iou-table').locator('tbody tr')).toHaveCount(2);
  await expect(view.getByTestId('iou-table')).toBeVisible();
  // Coordinates are in the opened image's own pixels.
  await expect(view.getByTestId('truth-row').first()).toContainText('class 1 · 22, 120 → 192, 180');
  await hover(page, stage, 0.72, 0.66);
  await page.screenshot({ path: path.join(screenshotDir, 'anchors-tiny-ssd-dark.png') });

  // From the canvas: a predictor's inspector opens the explorer on its own map only (cls4 reads blk4, 4×4).
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  // The whole tiny SSD fits the canvas zoomed out, where node names are hidden: click the node itself.
  await page.locator('.svelte-flow__node[data-id="cls4"]').click();
  await expect(page.getByTestId('inspector-name')).toHaveValue('cls4');
  await page.getByTestId('explore-anchors').click();
  await expect(view).toBeVisible();
  await hover(page, view.getByTestId('anchor-stage'), 0.6, 0.3);
  await expect(view.getByTestId('hover-scale')).toHaveText(['4×4: n+m−1 = 2+3−1 = 4 anchors at (1, 2)']);
  await expect(view.getByTestId('hover-anchor')).toHaveCount(4);
});

test("a sample's own objects as ground truth, against d2l's three display scales", async ({ page }) => {
  await page.goto(app.url);
  const view = await openAnchors(page);
  await view.getByTestId('sample-street').click();
  for (const toggle of await view.getByTestId('scale-toggle').all()) {
    if ((await toggle.getAttribute('aria-pressed')) === 'false') await toggle.click();
  }
  await view.getByTestId('sample-boxes').click();
  expect(await view.getByTestId('truth-class').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['car', 'person', 'sign']);
  await expect(view.getByTestId('iou-table').locator('tbody tr')).toHaveCount(3);
  // Every object has at least its best anchor; the class numbers follow the order of the names.
  for (const name of ['car', 'person', 'sign']) await expect(view.getByTestId('assigned-anchor').filter({ hasText: `${name} ←` }).first()).toBeVisible();
  await expect(view.getByTestId('truth-row').nth(2)).toContainText('class 3');
  await hover(page, view.getByTestId('anchor-stage'), 0.35, 0.72);
  await page.screenshot({ path: path.join(screenshotDir, 'anchors-sample-objects.png') });
});

/** A 320×200 image file of a person's own: sky over a road, with a red car. */
function widePng(): string {
  const png = new PNG({ width: 320, height: 200 });
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < 320; x++) {
      const car = x > 30 && x < 190 && y > 125 && y < 175;
      const [r, g, b] = car ? [214, 69, 69] : y < 120 ? [120 + y / 2, 160 + y / 3, 230] : [80, 84, 92];
      png.data.set([r, g, b, 255], (y * 320 + x) * 4);
    }
  }
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'netwright-anchors-')), 'my-street.png');
  writeFileSync(file, PNG.sync.write(png));
  return file;
}
