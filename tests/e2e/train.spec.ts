import { expect, test } from '@playwright/test';
import path from 'node:path';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

test('first start: LeNet with MNIST, one click on Train trains it with live charts and a locked graph', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.getByTestId('topbar-train').click();
  const panel = page.getByTestId('training-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('train-dataset')).toHaveValue('mnist');
  // A real run on the full set takes about a minute here; stop it early and start a small one.
  await expect(page.getByTestId('training-status')).toHaveText(/Training|Starting/);
  // The run uses the backend the status bar reports (whichever this machine's fastest is), and says so.
  const inUse = (await page.getByTestId('status-backend').locator('strong').textContent())?.trim() ?? '';
  expect(inUse).not.toBe('');
  await expect(page.getByTestId('training-backend')).toContainText(inUse);
  await expect(page.getByTestId('locked-banner')).toBeVisible();
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('training-status')).toHaveText('Stopped', { timeout: 60_000 });
  await expect(page.getByTestId('locked-banner')).toHaveCount(0);

  await panel.locator('select').nth(1).selectOption('1000');
  await panel.getByTestId('train-epochs').fill('3');
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Training');
  await expect(panel.getByTestId('chart-batch-loss').locator('canvas')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'training-live.png') });
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
  await expect(page.getByTestId('training-result')).toContainText('Test accuracy');
  await page.screenshot({ path: path.join(screenshotDir, 'training-finished.png') });

  // Choosing another dataset previews it: a sample grid with class counts.
  await panel.getByTestId('train-dataset').selectOption('fashion-mnist');
  const preview = panel.getByTestId('dataset-preview');
  await expect(preview).toContainText('Fashion-MNIST · 60,000 training samples of 28×28×1 · 10 classes');
  await expect(preview).toContainText('Ankle boot');
  await expect(preview.locator('img')).toHaveCount(30);
  await page.screenshot({ path: path.join(screenshotDir, 'dataset-preview.png') });
});

test("Textbook settings: one click sets d2l's LeNet recipe (plain SGD 0.9, batch 256, 10 epochs, Fashion-MNIST), shown as such until a setting leaves it", async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  // Open the panel without starting a run (▶ Train would).
  await page.getByTestId('menu-view').click();
  await page.getByRole('menuitem', { name: 'Training panel' }).click();
  const panel = page.getByTestId('training-panel');
  await expect(panel.getByTestId('train-textbook-active')).toHaveCount(0);
  await panel.getByTestId('train-textbook').click();
  await expect(panel.getByTestId('train-textbook-active')).toHaveText('textbook settings (d2l §6.6 LeNet)');
  await expect(panel.getByTestId('train-dataset')).toHaveValue('fashion-mnist');
  await expect(panel.getByTestId('train-epochs')).toHaveValue('10');
  await expect(panel.getByTestId('train-momentum')).toHaveValue('0');
  await expect(panel.getByTestId('train-nesterov')).toBeDisabled();
  await expect(panel.getByTestId('train-validation-split')).toHaveValue('0');
  await expect(panel.getByTestId('train-optimizer')).toHaveValue('sgd');
  await page.screenshot({ path: path.join(screenshotDir, 'training-textbook.png') });
  await panel.getByTestId('train-momentum').fill('0.9');
  await expect(panel.getByTestId('train-nesterov')).toBeEnabled();
  await expect(panel.getByTestId('train-textbook-active')).toHaveCount(0);
});
