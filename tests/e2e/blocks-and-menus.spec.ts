import { expect, test } from '@playwright/test';
import path from 'node:path';
import { connectNodes, dragLayer, selectNode } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

test('a grouped block saved to the library can be dropped into another document', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  const input = await dragLayer(page, 'ImageInput', 560, 120);
  const conv = await dragLayer(page, 'Conv2D', 560, 260);
  const bn = await dragLayer(page, 'BatchNormalization', 560, 400);
  await connectNodes(page, input, conv);
  await connectNodes(page, conv, bn);

  // Right-click → Group, then right-click the block → Save block to library.
  await selectNode(page, conv);
  await page.locator(`.svelte-flow__node[data-id="${bn}"] [data-testid=node-name]`).click({ modifiers: ['Shift'] });
  await page.locator(`.svelte-flow__node[data-id="${bn}"] [data-testid=node-name]`).click({ button: 'right' });
  await expect(page.getByTestId('context-menu')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'context-menu.png') });
  await page.getByTestId('ctx-group').click();
  const block = page.locator('[data-testid=layer-node].block');
  await expect(block).toHaveCount(1);
  await block.getByTestId('node-name').click({ button: 'right' });
  await page.getByTestId('ctx-save-block').click();
  await page.getByTestId('name-input').fill('Conv-BN stem');
  await page.getByTestId('name-confirm').click();
  const item = page.getByTestId('library-item').filter({ hasText: 'Conv-BN stem' });
  await expect(item).toBeVisible();

  // A new document: drag the saved block in and wire an input to it; shapes flow through it.
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  await page.getByTestId('discard-changes').click();
  const input2 = await dragLayer(page, 'ImageInput', 560, 120);
  await item.dragTo(page.locator('.svelte-flow__pane'), { targetPosition: { x: 320, y: 260 } });
  await expect(page.locator('[data-testid=layer-node].block')).toHaveCount(1);
  const blockId = await page.locator('.svelte-flow__node').filter({ has: page.locator('[data-testid=layer-node].block') }).getAttribute('data-id');
  await connectNodes(page, input2, blockId as string);
  await expect(page.locator('[data-testid=layer-node].block [data-testid=node-shape]')).toHaveText('26×26×32');
  await page.screenshot({ path: path.join(screenshotDir, 'library-block-reused.png') });
});

test('double-click in the palette adds after the selection and wires it; a cycle is refused with the reason', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  const input = await dragLayer(page, 'ImageInput', 560, 120);
  await selectNode(page, input);
  await page.locator('[data-testid=palette-item][data-layer-type="Conv2D"]').dblclick();
  await page.locator('[data-testid=palette-item][data-layer-type="MaxPool2D"]').dblclick();
  await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
  await expect(page.locator('[data-testid=edge-label]')).toHaveText(['28×28×1', '26×26×32']);

  // Wiring the pool's output back into the conv would close a cycle.
  const ids = await page.locator('.svelte-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id') as string));
  const conv = ids.find((id) => id.startsWith('conv2d')) as string;
  const pool = ids.find((id) => id.startsWith('maxpool2d')) as string;
  await connectNodes(page, pool, conv);
  await expect(page.getByTestId('toast').filter({ hasText: 'cycle' })).toBeVisible();
  await expect(page.locator('[data-testid=edge-label]')).toHaveCount(2);
});

test('New asks before throwing away unsaved changes', async ({ page }) => {
  await page.goto(app.url);
  await dragLayer(page, 'Dense', 900, 200);
  await expect(page.getByTestId('dirty-mark')).toBeVisible();
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  await expect(page.getByTestId('discard-dialog')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('dirty-mark')).toBeVisible();
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
});
