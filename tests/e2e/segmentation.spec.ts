import { expect, test } from '@playwright/test';
import path from 'node:path';
import { screenshotDir, serveForFile } from './support/server';
import { openTrainingPanel } from './support/editor';

const app = serveForFile();

test('fcn-mini trains on the synthetic shapes and the run shows predicted masks over the test images', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.keyboard.press('Control+n');
  await page.getByTestId('template-gallery').locator('[data-template=fcn-mini]').click();
  await expect(page.getByTestId('document-title')).toContainText('FCN (mini)');

  // The template's defaults pick the segmentation set; its preview pairs each image with its mask.
  const panel = await openTrainingPanel(page);
  await expect(panel.getByTestId('train-dataset')).toHaveValue('synthetic-segmentation');
  await expect(panel.getByTestId('dataset-preview')).toContainText('4 classes');
  await panel.getByTestId('train-samples').fill('1000');
  await panel.getByTestId('train-epochs').fill('3');
  await page.screenshot({ path: path.join(screenshotDir, 'segmentation-preview.png') });
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 150_000 });

  await page.getByTestId('topbar-runs').click();
  const browser = page.getByTestId('runs-browser');
  await browser.getByTestId('run-row').first().locator('input[type=checkbox]').check();
  const gallery = browser.getByTestId('segmentation-gallery');
  await expect(gallery).toContainText(/mean IoU \d+\.\d%/);
  await expect(gallery).toContainText('triangle');
  // 8 test images, each as itself and under its true and predicted mask.
  await expect(gallery.locator('img[alt^="predicted mask"]')).toHaveCount(8);
  await expect(gallery.locator('img[alt^="true mask"]')).toHaveCount(8);
  await expect(browser.getByTestId('run-predictions')).toHaveCount(0);
  const mask = gallery.locator('img[alt^="predicted mask"]').first();
  await expect(mask).toHaveCSS('opacity', '0.6');
  await gallery.getByTestId('mask-opacity').fill('1');
  await expect(mask).toHaveCSS('opacity', '1');
  await gallery.getByTestId('mask-opacity').fill('0.7');
  await gallery.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotDir, 'segmentation-gallery.png'), fullPage: true });
});
