import { expect, test } from '@playwright/test';
import path from 'node:path';
import { layerNode, openOnLeNet, selectNode } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

test('freeze a layer and give another a 10× learning rate in the inspector; the canvas and summary follow; undo restores both', async ({ page }) => {
  const { errors } = await openOnLeNet(page, app.url);
  const node = (id: string) => layerNode(page, id);

  // LeNet-5: every one of its 61,706 parameters trains.
  await page.getByTestId('summary-tab').click();
  await expect(page.getByTestId('summary-trainable-params')).toHaveText('61,706');
  await page.getByRole('tab', { name: 'Inspector' }).click();

  // Freeze conv2 (2,416 weights): drawn dashed with 'frozen' on it, the inspector says what that means.
  await selectNode(page, 'conv2');
  await page.locator('[data-testid=param-field][data-param=trainable] input').uncheck();
  await expect(node('conv2')).toHaveAttribute('data-frozen', 'true');
  await expect(node('conv2').getByTestId('node-training')).toHaveText('frozen');
  await expect(page.getByTestId('frozen-note')).toContainText('2,416 weights stay as they are');
  await expect(node('conv1')).not.toHaveAttribute('data-frozen', 'true');
  await page.getByTestId('inspector-training').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotDir, 'frozen-inspector.png') });

  // The output layer learns 10× faster, as d2l fine-tunes a new head.
  await selectNode(page, 'logits');
  const multiplier = page.locator('[data-testid=param-field][data-param=lrMultiplier] input');
  await multiplier.fill('10');
  await multiplier.press('Enter');
  await expect(node('logits').getByTestId('node-training')).toHaveText('lr ×10');

  await page.getByTestId('summary-tab').click();
  await expect(page.getByTestId('summary-trainable-params')).toHaveText('59,290');
  await expect(page.getByTestId('summary-nontrainable-params')).toHaveText('2,416');
  await page.screenshot({ path: path.join(screenshotDir, 'frozen-layer.png') });

  // Two undo steps: the multiplier, then the freeze.
  await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(node('logits').getByTestId('node-training')).toHaveCount(0);
  await expect(node('conv2')).toHaveAttribute('data-frozen', 'true');
  await page.keyboard.press('Control+z');
  await expect(node('conv2')).not.toHaveAttribute('data-frozen', 'true');
  await expect(page.getByTestId('summary-trainable-params')).toHaveText('61,706');
  await expect(page.getByTestId('summary-nontrainable-params')).toHaveText('0');
  expect(errors).toEqual([]);
});
