import { expect, test } from '@playwright/test';
import path from 'node:path';
import { grammarText, mulberry32 } from '../../src-shared/text';
import { openTrainingPanel } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

test('a person picks a text file, trains the character language model on it, types a prefix and reads the text it writes', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.keyboard.press('Control+n');
  await page.getByTestId('template-gallery').locator('[data-template=char-lm]').click();
  await expect(page.getByTestId('document-title')).toContainText('Character language model');

  // The template starts on the built-in grammar text; its preview is a vocabulary, not a sample grid.
  const panel = await openTrainingPanel(page);
  await expect(panel.getByTestId('train-dataset')).toHaveValue('synthetic-text');
  await expect(panel.getByTestId('dataset-preview')).toContainText('vocabulary of');
  // d2l's two minibatch schemes, random sampling first.
  await expect(panel.getByTestId('train-sampling')).toHaveValue('random');
  await expect(panel.getByTestId('train-sampling').locator('option')).toHaveText(['Random sampling', 'Sequential partitioning']);

  // Their own text: a file of the grammar's sentences, picked with the file chooser.
  await panel.getByTestId('train-dataset').selectOption('text');
  await expect(panel.getByTestId('dataset-preview')).toContainText('choose a text file');
  await expect(panel.getByTestId('train-text-file-name')).toHaveText('none chosen');
  const chooser = page.waitForEvent('filechooser');
  await panel.getByTestId('train-text-file').click();
  await (await chooser).setFiles({ name: 'my sentences.txt', mimeType: 'text/plain', buffer: Buffer.from(grammarText(1500, mulberry32(7))) });
  // Kept in the workspace: offered by name from now on.
  await expect(panel.getByTestId('train-text-choice').locator('option:checked')).toHaveText('my sentences.txt');
  const preview = panel.getByTestId('dataset-preview');
  await expect(preview).toContainText(/my sentences\.txt \(characters\) · [\d,]+ characters · vocabulary of \d+ tokens/);
  await expect(preview.getByTestId('text-frequent')).toContainText('␣');
  await expect(preview.getByTestId('text-sample').locator('.token')).toHaveCount(24);
  // Words instead: the grammar's 49 words (and <unk>) are the vocabulary.
  await panel.getByTestId('train-text-unit').selectOption('word');
  await expect(preview).toContainText(/my sentences\.txt \(words\) · [\d,]+ words · vocabulary of 50 tokens/);
  await panel.getByTestId('train-text-unit').selectOption('char');
  await expect(preview).toContainText('(characters)');
  await expect(panel.getByTestId('train-plan')).toContainText(/samples × 8 epochs/);
  await page.screenshot({ path: path.join(screenshotDir, 'text-preview.png') });

  await panel.getByTestId('train-samples').fill('1500');
  await panel.getByTestId('train-epochs').fill('4');
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 200_000 });
  await expect(panel.getByTestId('training-result')).toContainText(/Test perplexity \d+\.\d\d/);
  await expect(panel.getByTestId('training-log')).toContainText('Sample after epoch 4');
  await expect(panel.getByTestId('chart-epoch-perplexity')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'text-trained.png') });

  await page.getByTestId('topbar-runs').click();
  const browser = page.getByTestId('runs-browser');
  await browser.getByTestId('run-row').first().locator('input[type=checkbox]').check();
  const generator = browser.getByTestId('text-generator');
  await expect(generator).toContainText('test perplexity');
  await generator.getByTestId('generate-prompt').fill('The dog ');
  await generator.getByTestId('generate-count').fill('60');
  await generator.getByTestId('generate-start').click();
  const output = generator.getByTestId('generate-output');
  // The prefix as the model read it (lower case), then 60 characters of its own.
  await expect(output).toContainText('the dog ');
  expect(((await output.textContent()) ?? '').length).toBe('the dog '.length + 60);
  await generator.getByTestId('generate-temperature').fill('0.8');
  await generator.getByTestId('generate-start').click();
  await expect(generator.getByTestId('generate-start')).toHaveText('Generate');
  await expect(generator).toContainText('From the best checkpoint');
  await generator.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotDir, 'text-generation.png'), fullPage: true });
});
