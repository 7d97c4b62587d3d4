import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { templates } from '../../src-shared/templates';
import { openTrainingPanel, selectNode } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

// Issue 18 §7: the smaller things, each done as a user does it.
const app = serveForFile();

async function menu(page: Page, name: 'file' | 'edit' | 'view', item: string): Promise<void> {
  await page.getByTestId(`menu-${name}`).click();
  await page.getByTestId(item).click();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(screenshotDir, `smaller-${name}.png`) });
}

/** Opens the app; work an earlier test left unsaved is offered for restoring: decline it. */
async function open(page: Page): Promise<void> {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toBeVisible();
  const recovery = page.getByTestId('recovery-dialog');
  const offered = await recovery.waitFor({ state: 'visible', timeout: 1500 }).then(() => true, () => false);
  if (offered) await page.keyboard.press('Escape');
  await expect(recovery).toHaveCount(0);
}

async function nodeIds(page: Page): Promise<string[]> {
  return page.locator('.svelte-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id') ?? ''));
}

/** The inspector's parameter values, as its fields show them. */
async function paramValues(page: Page): Promise<string[]> {
  return page.locator('[data-testid=param-field]').evaluateAll((fields) =>
    fields.map((f) => {
      const field = f.querySelector('input, select');
      if (field instanceof HTMLInputElement) return field.type === 'checkbox' ? String(field.checked) : field.value;
      return field instanceof HTMLSelectElement ? field.value : '';
    }),
  );
}

test('export in the browser: weights default to the trained run, Export again only once exported, Download gives the files', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  // A short trained run of this network.
  const panel = await openTrainingPanel(page, { samples: 300, epochs: 1 });
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });

  await page.keyboard.press('Control+e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog.getByTestId('export-weights').locator('option:checked')).toContainText('Trained: LeNet');
  await expect(dialog.getByTestId('export-run')).toHaveText('Export');
  await dialog.getByTestId('export-run').click();
  await expect(dialog.getByTestId('export-result')).toContainText('trained: run');
  await expect(dialog.getByTestId('export-run')).toHaveText('Export again');
  await shot(page, 'export-download');

  // Download: the PyTorch export's files come as one zip through the browser.
  const [zip] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-download').click()]);
  expect(zip.suggestedFilename()).toBe('LeNet-5-pytorch.zip');
  const entries = unzipSync(new Uint8Array(readFileSync((await zip.path()) as string)));
  expect(Object.keys(entries).sort()).toEqual(['LeNet-5-pytorch/LeNet_5.pt', 'LeNet-5-pytorch/LeNet_5.py']);
  expect(new TextDecoder().decode(entries['LeNet-5-pytorch/LeNet_5.py'])).toContain('class Net(nn.Module)');

  // ONNX was never exported: no earlier result, and the button says Export.
  await dialog.getByText('ONNX', { exact: true }).click();
  await expect(dialog.getByTestId('export-result')).toHaveCount(0);
  await expect(dialog.getByTestId('export-run')).toHaveText('Export');
  await shot(page, 'export-onnx-never-exported');
  await dialog.getByTestId('export-run').click();
  await expect(dialog.getByTestId('export-run')).toHaveText('Export again');
  const [onnx] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-download').click()]);
  expect(onnx.suggestedFilename()).toBe('model.onnx');
  expect(readFileSync((await onnx.path()) as string).length).toBeGreaterThan(61_706 * 4);
  // Back to PyTorch: its own result again.
  await dialog.getByText('PyTorch', { exact: true }).click();
  await expect(dialog.getByTestId('export-result')).toContainText('LeNet_5.py');

  // Opened again, in the dark theme: the trained weights are preselected, nothing exported yet in it.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.keyboard.press('Control+e');
  await expect(dialog.getByTestId('export-weights').locator('option:checked')).toContainText('Trained: LeNet');
  await expect(dialog.getByTestId('export-run')).toHaveText('Export');
  await shot(page, 'export-reopened-dark');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
});

test('the template picker asks about unsaved changes first, and searches by name and description', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await selectNode(page, 'fc2');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('dirty-mark')).toBeVisible();

  await page.keyboard.press('Control+n');
  await expect(page.getByTestId('discard-dialog')).toBeVisible();
  await expect(page.getByTestId('template-gallery')).toHaveCount(0);
  await shot(page, 'template-asks-first');
  await page.getByTestId('discard-changes').click();
  const gallery = page.getByTestId('template-gallery');
  await expect(gallery).toBeVisible();
  await expect(gallery.getByTestId('template-search')).toBeFocused();
  await page.keyboard.type('resnet course');
  await expect(gallery.getByTestId('template-card')).toHaveCount(1);
  await expect(gallery.getByTestId('template-count')).toHaveText(`1 of ${templates.length}`);
  await shot(page, 'template-search');
  await gallery.getByTestId('template-search').fill('anchors per pixel');
  await expect(gallery.getByTestId('template-card')).toHaveCount(1);
  await expect(gallery.locator('[data-template=tiny-ssd]')).toBeVisible();
  await gallery.getByTestId('template-search').fill('zzz');
  await expect(gallery.getByTestId('template-none')).toContainText('No template matches “zzz”');
  await gallery.getByTestId('template-search').fill('lstm');
  await expect(gallery.getByTestId('template-card').first()).toBeVisible();
  await gallery.getByTestId('template-search').fill('tiny ssd');
  await gallery.getByTestId('template-search').press('Enter');
  // Picked: opens at once, no second question.
  await expect(page.getByTestId('document-title')).toContainText('Tiny SSD');
  await expect(page.getByTestId('discard-dialog')).toHaveCount(0);
});

test('View → Receptive field opens the selected layer, or says what to select', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await menu(page, 'view', 'menu-receptive-field');
  await expect(page.getByTestId('toast')).toContainText('No layer is selected');
  await shot(page, 'receptive-field-nothing-selected');
  await selectNode(page, 'conv2');
  await menu(page, 'view', 'menu-receptive-field');
  const view = page.getByTestId('receptive-field');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('rf-grid').locator('button')).toHaveCount(100);
  await shot(page, 'receptive-field-from-view-menu');
});

test('pasting again and again cascades the copies instead of stacking them on the original', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await selectNode(page, 'conv1');
  await page.keyboard.press('Control+c');
  const before = await nodeIds(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+v');
  await expect(page.locator('.svelte-flow__node')).toHaveCount(before.length + 3);
  const copies = (await nodeIds(page)).filter((id) => !before.includes(id));
  const boxes = await Promise.all(['conv1', ...copies].map(async (id) => page.locator(`.svelte-flow__node[data-id="${id}"]`).boundingBox()));
  const steps = boxes.slice(1).map((box, i) => ({ dx: (box?.x ?? 0) - (boxes[i]?.x ?? 0), dy: (box?.y ?? 0) - (boxes[i]?.y ?? 0) }));
  // Each copy sits down-right of the one before by the same step (40 px at the canvas's zoom).
  for (const step of steps) {
    expect(step.dx).toBeGreaterThan(10);
    expect(step.dy).toBeGreaterThan(10);
    expect(step.dx).toBeCloseTo(steps[0]?.dx ?? 0, 0);
  }
  await shot(page, 'paste-cascade');
});

test('an expanded Residual collapses back into a Residual with its parameters, undoably', async ({ page }) => {
  await open(page);
  await page.keyboard.press('Control+n');
  const gallery = page.getByTestId('template-gallery');
  await gallery.getByTestId('template-search').fill('resnet-18 course');
  await gallery.locator('[data-template=resnet18-course]').click();
  await expect(page.getByTestId('document-title')).toContainText('ResNet-18');
  await selectNode(page, 'layer2_0');
  await expect(page.locator('[data-testid=param-field][data-param=strides]')).toBeVisible();
  const paramsBefore = await paramValues(page);
  expect(paramsBefore).toContain('128');
  const nodesBefore = (await nodeIds(page)).length;

  await page.keyboard.press('Control+Shift+g');
  await expect(page.getByTestId('toast')).toContainText('Edit → Collapse back into Residual');
  await expect(page.locator('.svelte-flow__node[data-id="layer2_0"]')).toHaveCount(0);
  await page.getByTestId('menu-edit').click();
  await expect(page.getByTestId('menu-collapse-back')).toBeEnabled();
  await expect(page.getByTestId('menu-collapse-back')).toContainText('Collapse back into Residual');
  await shot(page, 'collapse-back-menu');
  await page.getByTestId('menu-collapse-back').click();

  await expect(page.locator('.svelte-flow__node[data-id="layer2_0"]')).toHaveCount(1);
  expect((await nodeIds(page)).length).toBe(nodesBefore);
  await expect(page.getByTestId('status-model')).toContainText('no errors');
  await selectNode(page, 'layer2_0');
  expect(await paramValues(page)).toEqual(paramsBefore);
  await shot(page, 'collapse-back-done');

  // One undo step: back to the expanded layers, and redo collapses again.
  await page.keyboard.press('Control+z');
  await expect(page.locator('.svelte-flow__node[data-id="layer2_0"]')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.svelte-flow__node[data-id="layer2_0"]')).toHaveCount(1);

  // Changed layers no longer collapse back: the menu item is greyed out.
  await page.keyboard.press('Control+z');
  const conv = page.locator('.svelte-flow__node[data-id^="layer2_0_"]').first();
  await conv.locator('[data-testid=node-name]').click();
  await page.getByTestId('menu-edit').click();
  await expect(page.getByTestId('menu-collapse-back')).toBeEnabled();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Delete');
  await page.locator('.svelte-flow__node[data-id^="layer2_0_"]').first().locator('[data-testid=node-name]').click();
  await page.getByTestId('menu-edit').click();
  await expect(page.getByTestId('menu-collapse-back')).toBeDisabled();
  await page.keyboard.press('Escape');

  // The big graph, at fit zoom and at 100 %, in both themes.
  await page.keyboard.press('Control+z');
  await page.locator('.svelte-flow__node[data-id^="layer2_0_"]').first().locator('[data-testid=node-name]').click();
  await menu(page, 'edit', 'menu-collapse-back');
  await selectNode(page, 'layer2_0');
  for (const theme of ['light', 'dark']) {
    await menu(page, 'view', 'menu-fit-view');
    await shot(page, `collapse-back-fit-${theme}`);
    await menu(page, 'view', 'menu-actual-size');
    await shot(page, `collapse-back-100-${theme}`);
    await page.getByRole('button', { name: 'Toggle theme' }).click();
  }
});

test('a handle is grabbed beside its dot at the default zoom', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  // A free Dense below everything; fit the view, as the app opens LeNet.
  const before = await nodeIds(page);
  await page.locator('[data-testid=palette-item][data-layer-type="Dense"]').dblclick();
  await expect(page.locator('.svelte-flow__node')).toHaveCount(before.length + 1);
  const added = (await nodeIds(page)).find((id) => !before.includes(id)) as string;
  await page.locator('.svelte-flow__pane').click({ position: { x: 5, y: 5 } });
  await menu(page, 'view', 'menu-fit-view');
  await page.waitForTimeout(400);

  const source = page.locator('.svelte-flow__node[data-id="logits"] .svelte-flow__handle.source').first();
  const target = page.locator(`.svelte-flow__node[data-id="${added}"] .svelte-flow__handle.target`).first();
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  expect(from.width).toBeLessThan(9);
  // 3 px below the dot's edge: outside the dot, inside its hit area.
  const grab = { x: from.x + from.width / 2, y: from.y + from.height + 3 };
  const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.classList.contains('svelte-flow__handle') ?? false, grab);
  expect(hit).toBe(true);
  const labels = await page.locator('[data-testid=edge-label]').count();
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move((grab.x + to.x) / 2, (grab.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y - 3, { steps: 5 });
  await page.mouse.up();
  await expect(page.locator('[data-testid=edge-label]')).toHaveCount(labels + 1);
  await page.locator('.svelte-flow__node[data-id="logits"] .svelte-flow__handle.source').first().hover();
  await shot(page, 'handle-hit-area');
});
