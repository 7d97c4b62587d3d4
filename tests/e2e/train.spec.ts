import { expect, test } from '@playwright/test';
import path from 'node:path';
import { screenshotDir, serveForFile } from './support/server';
import { openTrainingPanel } from './support/editor';

const app = serveForFile();

test('first start: LeNet with MNIST, one click on ▶ Train trains it, with live charts and a locked graph', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  // The first start's run is short (LeNet-5 on MNIST, about a minute here): ▶ Train starts it at once.
  await expect(page.getByTestId('topbar-train')).toHaveAttribute('title', /^Train /);
  await page.getByTestId('topbar-train').click();
  const panel = page.getByTestId('training-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('training-status')).toHaveText(/Training|Starting/);
  await expect(panel.getByTestId('train-dataset')).toHaveValue('mnist');
  await expect(panel.getByTestId('training-dataset-line')).toContainText('MNIST: 54,000 train', { timeout: 60_000 });
  // The run uses the backend the status bar reports (whichever this machine's fastest is), and says so.
  const inUse = (await page.getByTestId('status-backend').locator('strong').textContent())?.trim() ?? '';
  expect(inUse).not.toBe('');
  await expect(page.getByTestId('training-backend')).toContainText(inUse);
  await expect(page.getByTestId('locked-banner')).toBeVisible();
  await expect(panel.locator('.progress-row')).toContainText('samples/s', { timeout: 60_000 });
  await page.screenshot({ path: path.join(screenshotDir, 'training-first-click.png') });
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('training-status')).toHaveText('Stopped', { timeout: 60_000 });
  await expect(page.getByTestId('locked-banner')).toHaveCount(0);

  // Samples takes any number; the stopped run measured this backend's speed, so the time is estimated.
  await panel.getByTestId('train-samples').fill('0');
  await expect(panel.getByTestId('train-estimate')).toHaveText(/^Samples: enter a whole number from 1 to 10,000,000, or leave it empty/);
  await expect(panel.getByTestId('train-start')).toBeDisabled();
  await panel.getByTestId('train-samples').fill('700');
  await panel.getByTestId('train-epochs').fill('3');
  await expect(panel.getByTestId('train-plan')).toHaveText('MNIST: 630 samples × 3 epochs');
  await expect(panel.getByTestId('train-estimate')).toContainText(`on ${inUse}, at the`);
  await expect(panel.getByTestId('train-estimate')).toHaveText(/^(Under 10 s|About \d+ (s|min)) on /);
  await page.screenshot({ path: path.join(screenshotDir, 'training-estimate.png') });
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Training');
  await expect(panel.getByTestId('chart-batch-loss').locator('canvas')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'training-live.png') });
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
  await expect(page.getByTestId('training-result')).toContainText('Test accuracy');
  await page.screenshot({ path: path.join(screenshotDir, 'training-finished.png') });

  // Now ▶ Train starts at once, and says what it starts.
  await expect(page.getByTestId('topbar-train')).toHaveAttribute('title', /^Train MNIST: 630 samples × 3 epochs, (about|under) /);
  await page.getByTestId('topbar-train').click();
  await expect(page.getByTestId('toast').filter({ hasText: /Training MNIST: 630 samples × 3 epochs, (about|under) / })).toBeVisible();
  await expect(page.getByTestId('training-status')).toHaveText(/Training|Starting/);
  await page.getByTestId('topbar-stop').click();
  await expect(page.getByTestId('training-status')).toHaveText('Stopped', { timeout: 60_000 });

  // Choosing another dataset previews it: a sample grid with class counts.
  await panel.getByTestId('train-dataset').selectOption('fashion-mnist');
  const preview = panel.getByTestId('dataset-preview');
  await expect(preview).toContainText('Fashion-MNIST · 60,000 training samples of 28×28×1 · 10 classes');
  await expect(preview).toContainText('Ankle boot');
  await expect(preview.locator('img')).toHaveCount(30);
  await page.screenshot({ path: path.join(screenshotDir, 'dataset-preview.png') });
});

test("another document: the panel names a run of the network open before, drops its results, and ▶ Train asks again", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  const panel = await openTrainingPanel(page, { samples: 20000 });
  await panel.getByTestId('train-start').click();
  await expect(panel.locator('.progress-row')).toContainText('samples/s', { timeout: 60_000 });

  // A document opened while LeNet trains: the run goes on, named as LeNet's.
  await page.keyboard.press('Control+n');
  await page.getByTestId('template-gallery').locator('[data-template=alexnet-course]').click();
  await expect(page.getByTestId('document-title')).toContainText('AlexNet');
  await expect(panel.getByTestId('training-other-network')).toHaveText('Training LeNet-5, the network open before this one: stop it to train this one.');
  await page.screenshot({ path: path.join(screenshotDir, 'training-other-document-running.png') });
  await page.getByTestId('topbar-stop').click();
  await expect(page.getByTestId('training-status')).toHaveText('Stopped', { timeout: 60_000 });
  await expect(panel.getByTestId('training-other-network')).toContainText("These results are LeNet-5's");

  // Another document once nothing trains: no results of an earlier network, and ▶ Train asks again.
  await page.keyboard.press('Control+n');
  await page.getByTestId('template-gallery').locator('[data-template=alexnet-course]').click();
  await expect(page.getByTestId('training-status')).toHaveText('Ready');
  await expect(panel.getByTestId('training-other-network')).toHaveCount(0);
  await expect(panel.getByTestId('training-result')).toHaveCount(0);
  await expect(panel.getByTestId('chart-batch-loss')).toHaveCount(0);
  await expect(panel.getByTestId('dataset-preview')).toBeVisible();
  // LeNet's speed is no guide to AlexNet's: no estimate until AlexNet has trained here.
  await expect(panel.getByTestId('train-estimate')).toContainText('No time estimate yet: this network has not trained on');
  await expect(page.getByTestId('topbar-train')).toHaveAttribute('title', /check the settings/);
  await page.screenshot({ path: path.join(screenshotDir, 'training-other-document.png') });
  // A longer run with nothing measured asks first: the settings, what it would train, and a focused start button.
  await page.getByTestId('topbar-train').click();
  await expect(panel.getByTestId('train-start')).toBeFocused();
  await expect(panel.getByTestId('train-start')).toBeInViewport();
  await expect(page.getByTestId('training-status')).toHaveText('Ready');
  await expect(panel.getByTestId('train-plan')).toContainText('samples ×');
  await page.screenshot({ path: path.join(screenshotDir, 'training-asks.png') });
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
