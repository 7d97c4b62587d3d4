import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentBuilder } from '../../src-shared/graph/builder';
import { selectNode } from './support/editor';
import { repoRoot, screenshotDir, startApp, type RunningApp } from './support/server';

/** A small ReLU LeNet that learns MNIST in one short epoch, so its maps and heatmaps mean something. */
function smallCnn(): string {
  const b = new DocumentBuilder('Small CNN');
  let x = b.add('ImageInput', { height: 28, width: 28, channels: 1 }, [], 'input');
  x = b.add('Conv2D', { filters: 6, kernelSize: [5, 5], padding: 'same', activation: 'relu' }, [x], 'conv1');
  x = b.add('MaxPool2D', { poolSize: [2, 2] }, [x], 'pool1');
  x = b.add('Conv2D', { filters: 16, kernelSize: [5, 5], activation: 'relu' }, [x], 'conv2');
  x = b.add('MaxPool2D', { poolSize: [2, 2] }, [x], 'pool2');
  x = b.add('Flatten', {}, [x], 'flatten');
  x = b.add('Dense', { units: 64, activation: 'relu' }, [x], 'fc1');
  b.add('Dense', { units: 10 }, [x], 'head');
  return JSON.stringify(b.build());
}

let app: RunningApp;
test.beforeAll(async () => {
  // A finished run, recorded as `netwright train` records it: one short epoch on MNIST.
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'netwright-e2e-'));
  const env = { ...process.env, NETWRIGHT_WORKSPACE: workspace };
  const file = path.join(workspace, 'small-cnn.netwright');
  writeFileSync(file, smallCnn());
  execFileSync('node', ['bin/netwright.js', 'train', file, '--dataset', 'mnist', '--epochs', '1', '--limit', '4000', '--test-limit', '40', '--lr', '0.003'], { cwd: repoRoot, env, stdio: 'ignore', timeout: 120_000 });
  app = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0'], env);
});
test.afterAll(async () => {
  await app.stop();
});

test('look inside a finished run: feature maps of a conv layer, first-layer filters and the Grad-CAM overlay', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto(app.url);
  await page.getByTestId('topbar-runs').click();
  const browser = page.getByTestId('runs-browser');
  await browser.getByTestId('run-row').first().locator('input[type=checkbox]').check();
  await browser.getByTestId('run-look-inside').click();

  const inside = page.getByTestId('look-inside');
  // The first conv layer by default: LeNet's conv1 gives 6 maps of 28×28.
  await expect(inside.getByTestId('feature-shape')).toHaveText('28×28×6', { timeout: 30_000 });
  await expect(inside.getByTestId('feature-grid').locator('img')).toHaveCount(6);
  await expect(inside.getByTestId('filters').locator('img')).toHaveCount(6);
  await expect(inside.getByTestId('gradcam-overlay')).toBeVisible();
  await expect(inside.getByTestId('gradcam-top').locator('li')).toHaveCount(3);
  await expect(inside.getByTestId('gradcam-predicted')).toContainText('Predicted');

  // Another layer: conv2's 16 maps of 10×10.
  await inside.getByTestId('layer-picker').selectOption('conv2');
  await expect(inside.getByTestId('feature-shape')).toHaveText('10×10×16');
  await expect(inside.getByTestId('feature-grid').locator('img')).toHaveCount(16);

  // The next sample changes the image the maps and the heatmap are computed for.
  const before = await inside.getByTestId('gradcam-overlay').getAttribute('src');
  await inside.getByTestId('sample-next').click();
  await expect(inside.getByTestId('sample-index')).toHaveValue('1');
  await expect.poll(() => inside.getByTestId('gradcam-overlay').getAttribute('src')).not.toBe(before);
  await expect(inside.getByTestId('feature-shape')).toHaveText('10×10×16');
  await page.screenshot({ path: path.join(screenshotDir, 'look-inside.png') });

  // Explaining another class redraws the heatmap for that class.
  await inside.getByTestId('gradcam-class').selectOption('3');
  await expect(inside.locator('[data-testid=gradcam-overlay]')).toHaveAttribute('alt', 'Grad-CAM for 3');

  // The same view in the dark theme.
  await page.keyboard.press('Escape');
  await expect(inside).toBeHidden();
  await browser.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.getByTestId('topbar-runs').click();
  await browser.getByTestId('run-row').first().locator('input[type=checkbox]').check();
  await browser.getByTestId('run-look-inside').click();
  await expect(inside.getByTestId('feature-grid').locator('img')).toHaveCount(6, { timeout: 30_000 });
  await expect(inside.getByTestId('gradcam-overlay')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'look-inside-dark.png') });

  // A test prediction clicked in the gallery opens the view at that sample.
  await page.keyboard.press('Escape');
  await expect(inside).toBeHidden();
  await browser.getByTestId('prediction-gallery').locator('button').nth(5).click();
  await expect(inside.getByTestId('sample-index')).toHaveValue('5');
  await expect(inside.getByTestId('feature-grid').locator('img')).toHaveCount(6);

  // The run's graph in the editor: the receptive field of conv2 with the run's trained weights.
  await page.keyboard.press('Escape');
  await browser.getByTestId('run-open').click();
  await expect(page.getByTestId('document-title')).toContainText('Small CNN');
  await selectNode(page, 'conv2');
  await page.getByTestId('explore-field').click();
  const field = page.getByTestId('receptive-field');
  await expect(field).toContainText('untrained (seed 1)');
  await field.getByTestId('rf-weights').selectOption({ label: 'trained: Small CNN · mnist · adam 0.003' });
  await expect(field).toContainText('trained: Small CNN · mnist · adam 0.003 (best checkpoint)');
  await expect(field).toContainText('test image 0 of MNIST (7)');
  await page.screenshot({ path: path.join(screenshotDir, 'receptive-field-trained.png') });
});
