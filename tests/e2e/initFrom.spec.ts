import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { layerNode, openOnLeNet, openTrainingPanel, selectNode } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

test('fine-tune: train a run, freeze two layers, replace the head, start from the finished run, see what was loaded and skipped', async ({ page }) => {
  test.setTimeout(240_000);
  const { errors } = await openOnLeNet(page, app.url);
  const node = (id: string) => layerNode(page, id);

  // A short first run to start from.
  const panel = await openTrainingPanel(page, { samples: 1000, epochs: 1 });
  await expect(panel.getByTestId('train-init-from')).toHaveValue('');
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
  await expect(panel.getByTestId('init-report')).toHaveCount(0);

  await page.getByTestId('summary-tab').click();
  await expect(page.getByTestId('summary-trainable-params')).toHaveText('61,706');
  await page.getByRole('tab', { name: 'Inspector' }).click();

  // Freeze both convolutions.
  for (const id of ['conv1', 'conv2']) {
    await selectNode(page, id);
    await page.locator('[data-testid=param-field][data-param=trainable] input').uncheck();
    await expect(node(id)).toHaveAttribute('data-frozen', 'true');
  }

  // Right-click the output layer › Replace head for N classes: a new Dense, new name, ×10.
  await node('logits').click({ button: 'right' });
  await page.getByTestId('ctx-replace-head').click();
  await expect(page.getByTestId('name-input')).toHaveValue('10');
  await page.getByTestId('name-confirm').click();
  await expect(node('logits')).toHaveCount(0);
  await expect(node('logits_10').getByTestId('node-training')).toHaveText('lr ×10');
  const toast = page.getByTestId('toast').filter({ hasText: "Replaced the head with 'logits_10'" });
  await expect(toast).toBeVisible();
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await node('logits_10').scrollIntoViewIfNeeded();

  // The summary's trainable count follows: 156 + 2,416 weights of the convolutions are frozen.
  await page.getByTestId('summary-tab').click();
  await expect(page.getByTestId('summary-trainable-params')).toHaveText('59,134');
  await expect(page.getByTestId('summary-nontrainable-params')).toHaveText('2,572');
  await page.screenshot({ path: path.join(screenshotDir, 'finetune-head-replaced.png') });

  // Start from the finished run (the newest, listed first), its best checkpoint.
  const runOption = panel.getByTestId('train-init-from').locator('option').nth(1);
  await expect(runOption).toContainText('LeNet');
  await panel.getByTestId('train-init-from').selectOption((await runOption.getAttribute('value')) ?? '');
  await expect(panel.getByTestId('train-init-checkpoint')).toHaveValue('best');
  await panel.getByTestId('train-init-checkpoint').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotDir, 'finetune-start-from.png') });
  await panel.getByTestId('train-start').click();
  const report = panel.getByTestId('init-report');
  await expect(report).toContainText('4 loaded, 1 skipped', { timeout: 60_000 });
  await expect(report.getByTestId('init-loaded')).toHaveText([/conv1/, /conv2/, /fc1/, /fc2/]);
  await expect(report.getByTestId('init-skipped')).toHaveText(/logits_10 not present: fresh weights/);
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
  await expect(page.getByTestId('training-result')).toContainText('Test accuracy');
  await page.screenshot({ path: path.join(screenshotDir, 'finetune-init-report.png') });

  // Replacing the head is one undo step.
  await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(node('logits')).toHaveCount(1);
  await expect(node('logits_10')).toHaveCount(0);

  // File › Import with weights: the first run's checkpoint (a TF.js model.json with its weights.bin)
  // opens as a new document whose training starts from those weights.
  const first = readdirSync(path.join(app.workspace, 'runs')).filter((id) => !id.startsWith('.')).sort()[0] as string;
  const checkpoint = path.join(app.workspace, 'runs', first, 'checkpoints', 'best');
  await page.getByTestId('menu-file').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('menu-import-keras').click();
  await (await chooser).setFiles([path.join(checkpoint, 'model.json'), path.join(checkpoint, 'weights.bin')]);
  await page.getByRole('button', { name: "Don't save" }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'with its weights: the training panel starts from them' })).toBeVisible();
  await expect(panel.getByTestId('train-init-from').locator('option:checked')).toContainText('Imported weights');
  await panel.getByTestId('train-samples').fill('1000');
  await panel.getByTestId('train-epochs').fill('1');
  await panel.getByTestId('train-start').click();
  await expect(report).toContainText('5 loaded, 0 skipped', { timeout: 60_000 });
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
  await page.screenshot({ path: path.join(screenshotDir, 'finetune-imported-weights.png') });
  expect(errors).toEqual([]);
});
