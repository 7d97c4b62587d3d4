import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { repoRoot, screenshotDir, serveForFile } from './support/server';

const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'keras');

const app = serveForFile();

async function importFile(page: Page, file: string): Promise<void> {
  await page.getByTestId('menu-file').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('menu-import-keras').click();
  await (await chooser).setFiles(path.join(fixtures, file));
}

test('File › Import Keras / TF.js model.json opens a Functional model as a new unsaved document', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');

  await importFile(page, 'functional-branches.json');

  await expect(page.getByTestId('document-title')).toContainText('functional-branches');
  await expect(page.getByTestId('dirty-mark')).toBeVisible();
  const names = page.locator('[data-testid=layer-node] [data-testid=node-name]');
  await expect(names).toHaveCount(12);
  for (const name of ['pixels', 'stem', 'res_add', 'branch_a', 'branch_b', 'merge', 'classes']) {
    await expect(page.locator(`.svelte-flow__node[data-id="${name}"] [data-testid=node-name]`)).toHaveText(name);
  }
  await expect(page.locator('.svelte-flow__node[data-id="stem"] [data-testid=node-caption]')).toContainText('relu');
  const shapes = await page.locator('[data-testid=edge-label]').allTextContents();
  expect(shapes).toContain('32×32×16');
  expect(shapes).toContain('16');
  await expect(page.locator('.svelte-flow__node[data-id="classes"] [data-testid=node-shape]')).toHaveText('10');
  await expect(page.locator('[data-testid=node-error]')).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'Imported functional-branches.json' })).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'import-keras.png') });
});

test('a model.json with unsupported layers changes nothing and names every one of them', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');

  await importFile(page, 'unsupported-layers.json');

  const toast = page.getByTestId('toast').filter({ hasText: "can't be imported" });
  await expect(toast).toBeVisible();
  for (const layer of ["Conv2D 'conv_cf'", "Lambda 'double'", "Conv3D 'volume'", "GRU 'gru'"]) await expect(toast).toContainText(layer);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
  await page.screenshot({ path: path.join(screenshotDir, 'import-keras-refused.png') });
});

test('a Keras 3 .keras archive is refused, saying why and what to import instead', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');

  await importFile(page, 'tiny.keras');

  const toast = page.getByTestId('toast').filter({ hasText: 'tiny.keras is a Keras 3 archive' });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('import its config.json');
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
  await page.screenshot({ path: path.join(screenshotDir, 'import-keras-archive.png') });
});
