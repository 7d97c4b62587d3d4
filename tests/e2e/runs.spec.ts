import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screenshotDir, serveForFile } from './support/server';
import { openTrainingPanel } from './support/editor';

const app = serveForFile();

test('train, stop, find the run, train again with another rate, overlay and diff both, export CSV', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  const panel = await openTrainingPanel(page, { samples: 5000, epochs: 20 });

  // First run: watch the curve grow, then stop it.
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Training');
  await expect.poll(() => panel.getByTestId('chart-batch-loss').locator('canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(panel.getByTestId('training-status')).toHaveText('Training');
  await page.waitForTimeout(2500);
  await panel.getByTestId('train-stop').click();
  await expect(page.getByTestId('training-status')).toHaveText('Stopped', { timeout: 60_000 });

  // Second run with another learning rate, to the end.
  await panel.getByTestId('train-samples').fill('1000');
  await panel.getByTestId('train-epochs').fill('2');
  await panel.getByLabel('Learning rate').fill('0.01');
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });

  // Both runs are in the browser; select both: overlaid curves and their differences.
  await page.getByTestId('topbar-runs').click();
  const browser = page.getByTestId('runs-browser');
  const rows = browser.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('completed');
  await expect(rows.nth(1)).toContainText('stopped');
  await rows.nth(0).locator('input[type=checkbox]').check();
  await rows.nth(1).locator('input[type=checkbox]').check();
  await expect(browser.getByTestId('runs-overlay').locator('canvas')).toBeVisible();
  const diff = browser.getByTestId('runs-diff');
  await expect(diff).toContainText('learningRate');
  await expect(diff).toContainText('0.003 → 0.01');
  await page.screenshot({ path: path.join(screenshotDir, 'runs-compare.png') });

  // One run selected: its confusion matrix, per-class scores and predictions gallery; a cell opens its samples.
  await rows.nth(1).locator('input[type=checkbox]').uncheck();
  const predictions = browser.getByTestId('run-predictions');
  await expect(predictions.getByTestId('confusion-matrix').locator('button')).toHaveCount(100);
  await expect(predictions.getByTestId('prediction-gallery').locator('img')).toHaveCount(64);
  const busiest = predictions.getByTestId('confusion-matrix').locator('button').first();
  await busiest.click();
  const shown = await predictions.getByTestId('prediction-gallery').locator('img').count();
  expect(shown).toBeLessThan(64);
  await page.screenshot({ path: path.join(screenshotDir, 'run-predictions.png') });
  await busiest.click();
  await rows.nth(0).locator('input[type=checkbox]').uncheck();
  await rows.nth(1).locator('input[type=checkbox]').check();

  // One run selected: tag it and note why; the filter finds it by tag.
  await browser.getByTestId('run-tags').fill('lr-sweep, baseline');
  await browser.getByTestId('run-tags').press('Tab');
  await browser.getByTestId('run-notes').fill('the slower rate');
  await browser.getByTestId('run-notes').press('Tab');
  await expect(rows.filter({ hasText: 'lr-sweep' })).toHaveCount(1);
  await browser.getByTestId('runs-filter').fill('baseline');
  await expect(rows).toHaveCount(1);
  await browser.getByTestId('runs-filter').fill('');
  await rows.nth(0).locator('input[type=checkbox]').check();

  // Filter, then export the selected runs' epochs.
  await browser.getByTestId('runs-filter').fill('nothing-matches-this');
  await expect(rows).toHaveCount(0);
  await browser.getByTestId('runs-filter').fill('');
  const download = page.waitForEvent('download');
  await browser.getByTestId('runs-export').click();
  const file = await (await download).path();
  const csv = readFileSync(file, 'utf8').trim().split('\n');
  expect(csv[0]).toBe('run,name,epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds,samples_per_second');
  expect(csv.length).toBeGreaterThanOrEqual(3);

  // Delete a run to the trash and restore it from there.
  await rows.nth(1).getByRole('button', { name: /^Delete/ }).click();
  await expect(rows).toHaveCount(1);
  await browser.getByTestId('runs-trash-toggle').click();
  await browser.getByTestId('run-restore').click();
  await expect(rows).toHaveCount(2);

  // Reopen a run's graph in the editor.
  await rows.first().getByTestId('run-open').click();
  await expect(browser).toHaveCount(0);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
});
