import { expect, test } from '@playwright/test';
import path from 'node:path';
import { selectNode } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

test('on LeNet, click a unit of a feature map and see its receptive field on an input image', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await selectNode(page, 'conv2');
  await page.getByTestId('explore-field').click();
  const view = page.getByTestId('receptive-field');
  await expect(view).toBeVisible();
  // conv1 5×5 'same' → avg-pool 2 → conv2 5×5: a 14×14 field with jump 2.
  await expect(view.getByTestId('rf-grid').locator('button')).toHaveCount(100);
  await view.getByRole('button', { name: 'Unit 0, 0' }).click();
  await expect(view.getByTestId('rf-summary')).toContainText('Unit (0, 0) sees input rows 0–11, columns 0–11 (field 14×14, jump 2×2)');
  await view.getByRole('button', { name: 'Unit 5, 5' }).click();
  await expect(view.getByTestId('rf-summary')).toContainText('Unit (5, 5) sees input rows 8–21, columns 8–21');
  await expect(view.getByTestId('rf-canvas')).toBeVisible();
  await expect(view).toContainText('MNIST test image 0');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(screenshotDir, 'receptive-field.png') });
});
