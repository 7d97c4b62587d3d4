import { expect, test } from '@playwright/test';
import path from 'node:path';
import { screenshotDir, startApp, type RunningApp } from './support/server';

/**
 * Issue 13 end to end: with Debian's PyTorch found (NETWRIGHT_PYTHON, as a user would set it), the
 * backend ladder and the training panel offer PyTorch · CPU; a LeNet-5 run on it shows its live
 * charts and says which backend and torch it used, and Look inside opens on the finished run.
 */
let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0'], { ...process.env, NETWRIGHT_PYTHON: '/usr/bin/python3' });
});
test.afterAll(async () => {
  await app.stop();
});

test('pick PyTorch · CPU in the panel, train LeNet-5 with live charts, then look inside the run', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');

  // The backends dialog lists the PyTorch rungs with the interpreter found.
  await page.getByTestId('status-backend').click();
  const dialog = page.getByTestId('backends-dialog');
  await expect(dialog.locator('[data-backend=pytorch-cpu]')).toContainText('PyTorch · CPU');
  await expect(dialog.getByTestId('python-chosen')).toContainText('Runs use /usr/bin/python3', { timeout: 60_000 });
  await expect(dialog.locator('[data-backend=pytorch-cuda]')).toContainText('sees no CUDA GPU');
  await page.screenshot({ path: path.join(screenshotDir, 'backends-dialog.png') });
  await page.keyboard.press('Escape');

  await page.getByTestId('menu-view').click();
  await page.getByRole('menuitem', { name: 'Training panel' }).click();
  const panel = page.getByTestId('training-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('train-backend').selectOption('pytorch-cpu');
  await panel.getByTestId('train-samples').fill('1000');
  await panel.getByTestId('train-epochs').fill('2');
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-backend')).toContainText('PyTorch · CPU', { timeout: 60_000 });
  await expect(panel.getByTestId('chart-batch-loss').locator('canvas')).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: path.join(screenshotDir, 'pytorch-training-live.png') });
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 180_000 });
  await expect(page.getByTestId('training-result')).toContainText('Test accuracy');
  await expect(page.getByTestId('training-backend')).toHaveAttribute('title', /PyTorch \d+\.\d+.* · Python 3/);
  await page.screenshot({ path: path.join(screenshotDir, 'pytorch-training-finished.png') });

  // The run is a run like any other: Look inside reads its TF.js checkpoint.
  await page.getByTestId('topbar-runs').click();
  const browser = page.getByTestId('runs-browser');
  await browser.getByTestId('run-row').first().locator('input[type=checkbox]').check();
  await browser.getByTestId('run-look-inside').click();
  const inside = page.getByTestId('look-inside');
  await expect(inside.getByTestId('feature-shape')).toHaveText('28×28×6', { timeout: 30_000 });
  await expect(inside.getByTestId('feature-grid').locator('img')).toHaveCount(6);
  await expect(inside.getByTestId('gradcam-top').locator('li')).toHaveCount(3);
  await page.screenshot({ path: path.join(screenshotDir, 'pytorch-look-inside.png') });
});
