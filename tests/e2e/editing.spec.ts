import { expect, test } from '@playwright/test';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { connectNodes, dragLayer, selectNode } from './support/editor';
import { screenshotDir, startApp } from './support/server';

test('copy, paste and duplicate layers, and group a selection into a block and back', async ({ page }) => {
  const app = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0']);
  try {
    await page.goto(app.url);
    await page.getByTestId('menu-file').click();
    await page.getByTestId('menu-new').click();
    const input = await dragLayer(page, 'ImageInput', 560, 120);
    const conv = await dragLayer(page, 'Conv2D', 560, 260);
    const pool = await dragLayer(page, 'MaxPool2D', 560, 400);
    await connectNodes(page, input, conv);
    await connectNodes(page, conv, pool);
    await expect(page.locator('[data-testid=edge-label]')).toHaveText(['28×28×1', '26×26×32']);

    // Select conv + pool, copy, paste: two new layers, wired to each other, selected.
    await selectNode(page, conv);
    await page.locator(`.svelte-flow__node[data-id="${pool}"] [data-testid=node-name]`).click({ modifiers: ['Shift'] });
    await expect(page.getByText('2 layers selected')).toBeVisible();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(5);
    await expect(page.locator('[data-testid=edge-label]')).toHaveCount(3);
    await expect(page.getByText('2 layers selected')).toBeVisible();

    // Undo removes the paste in one step; Ctrl+D duplicates the selection.
    await page.keyboard.press('Control+z');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
    await selectNode(page, input);
    await page.keyboard.press('Control+d');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(4);
    await page.keyboard.press('Control+z');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(3);

    // Group conv + pool into a block: one node, same output shape downstream; ungroup restores both.
    await selectNode(page, conv);
    await page.locator(`.svelte-flow__node[data-id="${pool}"] [data-testid=node-name]`).click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+g');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(2);
    const block = page.locator('[data-testid=layer-node].block');
    await expect(block).toHaveCount(1);
    await expect(block.getByTestId('node-shape')).toHaveText('13×13×32');
    await expect(page.getByTestId('status-model')).toContainText('no errors');
    await page.screenshot({ path: path.join(screenshotDir, 'grouped-block.png') });

    await page.keyboard.press('Control+Shift+g');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
    await expect(page.locator('[data-testid=edge-label]')).toHaveText(['28×28×1', '26×26×32']);
    await page.keyboard.press('Control+z');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(2);
    await page.keyboard.press('Control+z');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
  } finally {
    await app.stop();
  }
});

test('after the backend is killed mid-edit, the next start offers the unsaved work back', async ({ page }) => {
  const first = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0']);
  const workspace = first.workspace;
  await page.goto(first.url);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  const input = await dragLayer(page, 'ImageInput', 560, 120);
  const dense = await dragLayer(page, 'Flatten', 560, 260);
  await connectNodes(page, input, dense);
  await expect(page.getByTestId('dirty-mark')).toBeVisible();

  // Autosave writes a recovery file within a few seconds; then the backend dies.
  const recoveryDir = path.join(workspace, '.netwright', 'recovery');
  await expect.poll(() => (existsSync(recoveryDir) ? readdirSync(recoveryDir).length : 0), { timeout: 10_000 }).toBe(1);
  await first.kill();
  await page.close();

  const second = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0'], { ...process.env, NETWRIGHT_WORKSPACE: workspace });
  try {
    const fresh = await page.context().newPage();
    await fresh.goto(second.url);
    await expect(fresh.getByTestId('recovery-dialog')).toBeVisible();
    await fresh.screenshot({ path: path.join(screenshotDir, 'recovery-offer.png') });
    await fresh.getByTestId('restore-entry').click();
    await expect(fresh.locator('.svelte-flow__node')).toHaveCount(2);
    await expect(fresh.locator('[data-testid=edge-label]')).toHaveText(['28×28×1']);
    await expect(fresh.getByTestId('dirty-mark')).toBeVisible();
    await expect.poll(() => readdirSync(recoveryDir).length).toBe(0);
  } finally {
    await second.stop();
  }
});
