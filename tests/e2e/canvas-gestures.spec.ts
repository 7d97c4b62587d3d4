import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { dragLayer, selectNode } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

async function newEmpty(page: Page) {
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-new').click();
  const discard = page.getByTestId('discard-changes');
  if (await discard.isVisible().catch(() => false)) await discard.click();
}

test('Delete removes the selection, a drag is one undo step, Shift+drag box-selects', async ({ page }) => {
  await page.goto(app.url);
  await newEmpty(page);
  const a = await dragLayer(page, 'Dense', 500, 150);
  const b = await dragLayer(page, 'Dense', 800, 150);
  await dragLayer(page, 'Dense', 650, 450);

  // Drag a node far, through many intermediate positions: one undo puts it back.
  const node = page.locator(`.svelte-flow__node[data-id="${a}"]`);
  const start = await node.boundingBox();
  await page.mouse.move((start?.x ?? 0) + 30, (start?.y ?? 0) + 12);
  await page.mouse.down();
  await page.mouse.move((start?.x ?? 0) + 130, (start?.y ?? 0) + 112, { steps: 12 });
  await page.mouse.up();
  const moved = await node.boundingBox();
  expect(Math.round((moved?.x ?? 0) - (start?.x ?? 0))).toBeGreaterThan(80);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => Math.round((await node.boundingBox())?.x ?? 0)).toBe(Math.round(start?.x ?? 0));

  // Shift+drag a box around the two top nodes.
  await page.keyboard.down('Shift');
  await page.mouse.move(420, 90);
  await page.mouse.down();
  await page.mouse.move(1000, 300, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.getByText('2 layers selected')).toBeVisible();

  await page.keyboard.press('Delete');
  await expect(page.locator('.svelte-flow__node')).toHaveCount(1);
  await expect(page.locator(`.svelte-flow__node[data-id="${b}"]`)).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
});

test('a composite block expands in place with the same shapes and parameters, and undo folds it back', async ({ page }) => {
  await page.goto(app.url);
  await page.keyboard.press('Control+n');
  await page.getByTestId('template-gallery').locator('[data-template=resnet18-course]').click();
  await page.getByTestId('summary-tab').click();
  const total = await page.getByTestId('summary-total-params').textContent();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const before = await page.locator('.svelte-flow__node').count();

  const residual = page.locator('.svelte-flow__node').filter({ has: page.locator('[data-layer-type=Residual]') }).first();
  const id = (await residual.getAttribute('data-id')) as string;
  await selectNode(page, id);
  await expect(page.getByTestId('inspector')).toContainText('Expand it in place');
  await page.keyboard.press('Control+Shift+g');
  await expect.poll(() => page.locator('.svelte-flow__node').count()).toBeGreaterThan(before + 3);
  await expect(page.getByTestId('status-model')).toContainText('no errors');
  await page.getByTestId('summary-tab').click();
  await expect(page.getByTestId('summary-total-params')).toHaveText(total as string);
  await page.screenshot({ path: path.join(screenshotDir, 'residual-expanded.png') });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.svelte-flow__node')).toHaveCount(before);
});

test('opening a malformed or newer file explains the problem and keeps the open document', async ({ page }) => {
  writeFileSync(path.join(app.workspace, 'broken.netwright'), '{"format":"netwright","version":1,"name":"x","nodes":[{"id":"a"}]}');
  writeFileSync(path.join(app.workspace, 'future.netwright'), JSON.stringify({ format: 'netwright', version: 7, name: 'From the future', nodes: [], edges: [] }));
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  for (const [file, message] of [
    ['broken.netwright', /Cannot open 'broken.netwright'/],
    ['future.netwright', /newer/i],
  ] as const) {
    await page.getByTestId('menu-file').click();
    await page.getByTestId('menu-open').click();
    await page.getByTestId('file-entry').filter({ hasText: file }).click();
    await expect(page.getByTestId('toast').filter({ hasText: message })).toBeVisible();
    await expect(page.getByTestId('document-title')).toContainText('LeNet');
  }
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toContainText('Group into a block');
  await page.screenshot({ path: path.join(screenshotDir, 'help-overlay.png') });
});
