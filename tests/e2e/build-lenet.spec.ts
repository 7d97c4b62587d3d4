import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screenshotDir, serveForFile } from './support/server';
import { connectNodes, dragLayer, selectNode, setParam } from './support/editor';

test.use({ viewport: { width: 1600, height: 1300 } });
const app = serveForFile();

/** d2l's LeNet: [type, params to type in the inspector, the shape that leaves it]. */
const lenet: [string, Record<string, string>, string][] = [
  ['ImageInput', { height: '28', width: '28', channels: '1' }, '28×28×1'],
  ['Conv2D', { filters: '6', kernelSize: '5', padding: 'same', activation: 'sigmoid' }, '28×28×6'],
  ['AvgPool2D', { poolSize: '2', strides: '2' }, '14×14×6'],
  ['Conv2D', { filters: '16', kernelSize: '5', activation: 'sigmoid' }, '10×10×16'],
  ['AvgPool2D', { poolSize: '2', strides: '2' }, '5×5×16'],
  ['Flatten', {}, '400'],
  ['Dense', { units: '120', activation: 'sigmoid' }, '120'],
  ['Dense', { units: '84', activation: 'sigmoid' }, '84'],
  ['Dense', { units: '10' }, '10'],
];

test('build LeNet by drag and drop, check every shape, break one, undo, save and reopen', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  await expect(page.getByTestId('canvas-empty')).toBeVisible();

  // 1. Drag each layer onto the canvas and type its params in the inspector.
  const ids: string[] = [];
  for (const [i, [type, params]] of lenet.entries()) {
    const id = await dragLayer(page, type, 560, 90 + i * 128);
    ids.push(id);
    await selectNode(page, id);
    for (const [key, value] of Object.entries(params)) await setParam(page, key, value);
  }

  // 2. Wire them output to input.
  for (let i = 1; i < ids.length; i++) await connectNodes(page, ids[i - 1] as string, ids[i] as string);
  await expect(page.locator('[data-testid=edge-label]')).toHaveCount(lenet.length - 1);

  // 3. Every edge carries the shape of its source, and the model has d2l's 61,706 parameters.
  for (let i = 1; i < ids.length; i++) {
    const label = page.locator(`[data-testid=edge-label]`).nth(i - 1);
    await expect(label).toHaveText(lenet[i - 1]?.[2] as string);
  }
  await expect(page.getByTestId('status-model')).toContainText('no errors');
  await page.getByTestId('summary-tab').click();
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByTestId('auto-layout').click();
  await page.screenshot({ path: path.join(screenshotDir, 'lenet-built.png') });

  // 4. Break a shape on purpose: a 30×30 kernel cannot fit the 14×14 map.
  const conv2 = ids[3] as string;
  await selectNode(page, conv2);
  await setParam(page, 'kernelSize', '30');
  const broken = page.locator(`.svelte-flow__node[data-id="${conv2}"] [data-testid=layer-node]`);
  await expect(broken).toHaveClass(/has-error/);
  await expect(broken.getByTestId('node-error')).toContainText('kernel 30 is larger than the input height 14');
  await expect(page.getByTestId('inspector-errors')).toContainText('floor((W − F + 2P)/S) + 1');
  await page.screenshot({ path: path.join(screenshotDir, 'lenet-broken.png') });

  // 5. Undo repairs it, redo breaks it again, undo once more.
  await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(broken).not.toHaveClass(/has-error/);
  await page.keyboard.press('Control+Shift+z');
  await expect(broken).toHaveClass(/has-error/);
  await page.getByTestId('undo').click();
  await expect(broken).not.toHaveClass(/has-error/);
  await expect(page.getByTestId('status-model')).toContainText('no errors');

  // 6. Save, start a new document, reopen: the same document comes back.
  await expect(page.getByTestId('dirty-mark')).toBeVisible();
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('file-browser')).toBeVisible();
  await page.getByTestId('save-name').fill('lenet');
  await page.getByTestId('save-confirm').click();
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
  const saved = readFileSync(path.join(app.workspace, 'lenet.netwright'), 'utf8');

  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  await expect(page.getByTestId('canvas-empty')).toBeVisible();
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-open').click();
  await page.getByTestId('file-entry').filter({ hasText: 'lenet.netwright' }).click();
  await expect(page.locator('[data-testid=edge-label]')).toHaveCount(lenet.length - 1);
  expect((await page.locator('[data-testid=edge-label]').allTextContents()).sort()).toEqual(lenet.slice(0, -1).map((l) => l[2]).sort());

  // Saving the reopened document writes the very same file.
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-save-as').click();
  await page.getByTestId('save-name').fill('lenet-again');
  await page.getByTestId('save-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'lenet-again' })).toBeVisible();
  expect(readFileSync(path.join(app.workspace, 'lenet-again.netwright'), 'utf8')).toBe(saved);
  await page.screenshot({ path: path.join(screenshotDir, 'lenet-reopened.png') });
});
