import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

test('File › Export writes LeNet as a PyTorch module into the workspace and shows its code', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menu-export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByText('PyTorch', { exact: true }).click();
  await dialog.getByTestId('export-run').click();

  await expect(dialog.getByTestId('export-result')).toBeVisible();
  const folder = (await dialog.getByTestId('export-folder').textContent()) ?? '';
  expect(folder.startsWith(path.join(app.workspace, 'exports'))).toBe(true);
  await expect(dialog.getByTestId('export-preview')).toContainText('class Net(nn.Module)');
  const module = path.join(folder, 'LeNet_5.py');
  expect(readFileSync(module, 'utf8')).toContain('class Net(nn.Module)');
  await page.screenshot({ path: path.join(screenshotDir, 'export-pytorch.png') });

  // ONNX: one binary file with the weights, nothing to preview.
  await dialog.getByText('ONNX', { exact: true }).click();
  await dialog.getByTestId('export-run').click();
  await expect(dialog.getByTestId('export-result')).toContainText('model.onnx');
  await expect(dialog.getByTestId('export-preview')).toHaveCount(0);
  expect(readFileSync(path.join(app.workspace, 'exports', 'LeNet-5-onnx', 'model.onnx')).length).toBeGreaterThan(61_706 * 4);

  // Escape closes the dialog; the document is untouched.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
});
