import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentBuilder } from '../../src-shared/graph/builder';
import { openTrainingPanel, selectNode } from './support/editor';
import { screenshotDir, startApp, type RunningApp } from './support/server';

/** A small CNN with one Conv2D: the model whose Grad-CAM maps come out empty. */
function smallCnn() {
  const b = new DocumentBuilder('Small CNN');
  let x = b.add('ImageInput', { height: 28, width: 28, channels: 1 }, [], 'pixels');
  x = b.add('Conv2D', { filters: 4, kernelSize: [3, 3], activation: 'relu' }, [x], 'conv');
  x = b.add('MaxPool2D', { poolSize: [2, 2] }, [x], 'pool');
  x = b.add('Flatten', {}, [x], 'flatten');
  b.add('Dense', { units: 10 }, [x], 'classes');
  return b.build();
}

let app: RunningApp;
test.beforeAll(async () => {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'netwright-runs-'));
  writeFileSync(path.join(workspace, 'small-cnn.netwright'), JSON.stringify(smallCnn()));
  app = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0'], { ...process.env, NETWRIGHT_WORKSPACE: workspace });
});
test.afterAll(async () => {
  await app.stop();
});

/** Pixels of a chart's plot drawn in a series colour (#5552e0 here), so a single point counts. */
async function inkOf(chart: Locator): Promise<number> {
  return chart.locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs((data[i] as number) - 0x55) < 40 && Math.abs((data[i + 1] as number) - 0x52) < 40 && (data[i + 2] as number) > 0xb0) inked++;
    return inked;
  });
}

async function openSmallCnn(page: Page): Promise<void> {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-open').click();
  await page.getByTestId('file-entry').filter({ hasText: 'small-cnn.netwright' }).click();
  await expect(page.getByTestId('document-title')).toContainText('Small CNN');
}

test('a stopped run keeps its partial epoch; one-epoch charts draw; runs are named apart; Look inside says when Grad-CAM is empty', async ({ page }) => {
  test.setTimeout(240_000);
  await openSmallCnn(page);
  const panel = await openTrainingPanel(page);

  // A run on all of MNIST, stopped a few batches into its first epoch.
  await panel.getByTestId('train-epochs').fill('3');
  await panel.getByTestId('train-start').click();
  await expect(panel.locator('.progress-row')).toContainText('samples/s', { timeout: 60_000 });
  await page.waitForTimeout(1000);
  await panel.getByTestId('train-stop').click();
  await expect(page.getByTestId('training-status')).toHaveText('Stopped', { timeout: 60_000 });

  // One epoch on 1,000 samples: its per-epoch charts show that one epoch as a point.
  await panel.getByTestId('train-samples').fill('1000');
  await panel.getByTestId('train-epochs').fill('1');
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
  expect(await inkOf(panel.getByTestId('chart-epoch-loss'))).toBeGreaterThan(10);
  expect(await inkOf(panel.getByTestId('chart-epoch-accuracy'))).toBeGreaterThan(10);
  await panel.screenshot({ path: path.join(screenshotDir, 'runs-one-epoch-charts.png') });

  // The runs browser: two names that differ, sample counts, the stopped run's partial epoch.
  await page.getByTestId('topbar-runs').click();
  const browser = page.getByTestId('runs-browser');
  const rows = browser.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  const names = await browser.getByTestId('run-name').evaluateAll((inputs) => inputs.map((i) => (i as HTMLTextAreaElement).value));
  expect(names[0]).not.toBe(names[1]);
  expect(names[0]).toContain('limit 1000');
  await expect(rows.nth(0).getByTestId('run-samples')).toHaveText('900');
  await expect(rows.nth(1).getByTestId('run-samples')).toHaveText('54,000');
  await expect(rows.nth(1)).toContainText('stopped');
  await expect(rows.nth(1).getByTestId('run-epochs')).toHaveText(/^(0\.\d+|< 0\.01)$/);
  await expect(rows.nth(1).locator('.pencil')).toBeVisible();

  // Both ticked: legends and the Differences heading tell them apart; an absent limit reads "all".
  await rows.nth(0).locator('input[type=checkbox]').check();
  await rows.nth(1).locator('input[type=checkbox]').check();
  const legend = () => browser.getByTestId('runs-overlay').getByTestId('chart-legend').locator('.key').allTextContents();
  await expect.poll(legend).toEqual(expect.arrayContaining([names[0], names[1]]));
  const diff = browser.getByTestId('runs-diff');
  await expect(diff.locator('h3')).toContainText(`${names[1]} → ${names[0]}`);
  await expect(diff.getByTestId('diff-setting').filter({ hasText: 'limit: all → 1000' })).toHaveCount(1);
  expect(await inkOf(browser.getByTestId('runs-overlay'))).toBeGreaterThan(10);
  await page.screenshot({ path: path.join(screenshotDir, 'runs-named-apart.png') });

  // The stopped run alone: it has curves and can be looked inside; Escape closes Look inside, then the browser.
  await rows.nth(0).locator('input[type=checkbox]').uncheck();
  await browser.getByTestId('run-look-inside').click();
  await expect(page.getByTestId('look-inside')).toBeVisible();
  await expect(page.getByTestId('gradcam')).toBeVisible({ timeout: 60_000 });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('look-inside')).toHaveCount(0);
  await expect(browser).toBeVisible();

  // The finished run: find a class whose Grad-CAM is empty; the view says why and offers the map before the ReLU.
  await rows.nth(1).locator('input[type=checkbox]').uncheck();
  await rows.nth(0).locator('input[type=checkbox]').check();
  await browser.getByTestId('run-look-inside').click();
  const cam = page.getByTestId('gradcam');
  await expect(cam).toBeVisible({ timeout: 60_000 });
  const note = cam.getByTestId('gradcam-note');
  let found = false;
  for (let classId = 0; classId < 10 && !found; classId++) {
    await cam.getByTestId('gradcam-class').selectOption(String(classId));
    await expect(cam.getByTestId('gradcam-class')).toHaveValue(String(classId));
    await page.waitForTimeout(700);
    found = (await note.count()) > 0 && ((await note.textContent()) ?? '').includes('The map is empty');
  }
  expect(found).toBe(true);
  await expect(note).toContainText("every weighted activation of 'conv' is negative");
  await page.getByTestId('look-inside').screenshot({ path: path.join(screenshotDir, 'gradcam-empty.png') });
  await cam.getByTestId('gradcam-show-before-relu').click();
  await expect(cam.getByTestId('gradcam-before-relu')).toBeChecked();
  await expect(note).toContainText('Before the ReLU');
  await page.getByTestId('look-inside').screenshot({ path: path.join(screenshotDir, 'gradcam-before-relu.png') });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(browser).toHaveCount(0);
});

test('the effective receptive field of an untrained unit that nothing reaches says so', async ({ page }) => {
  await openSmallCnn(page);
  await selectNode(page, 'conv');
  await page.getByTestId('explore-field').click();
  const view = page.getByTestId('receptive-field');
  // The corner of an MNIST digit is blank: with untrained weights every channel there is off.
  await view.getByRole('button', { name: 'Unit 0, 0' }).click();
  await expect(view.getByTestId('rf-note')).toContainText('The effective field is empty');
  await page.screenshot({ path: path.join(screenshotDir, 'receptive-field-empty.png') });
  // On the digit's stroke (the top bar of the 7) a channel is on: a field, and no note.
  await view.getByRole('button', { name: 'Unit 8, 12' }).click();
  await expect(view.getByTestId('rf-summary')).toContainText('Unit (8, 12)');
  await expect(view.getByTestId('rf-note')).toHaveCount(0);
});
