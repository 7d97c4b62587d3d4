import { expect, test } from '@playwright/test';
import path from 'node:path';
import { openTrainingPanel } from './support/editor';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

/** d2l's fra-eng format with a line that has no tab (line 3): the preview must say so. */
const PAIRS_FILE = ['Go.\tVa !', 'Hi.\tSalut !', 'Run! Cours !', 'Who?\tQui ?', 'Wow!\tÇa alors !', 'Help!\tÀ l\'aide !'].join('\n');

test('a person opens the encoder–decoder template, previews its sentence pairs, trains it briefly and reads BLEU and its translations', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.keyboard.press('Control+n');
  const gallery = page.getByTestId('template-gallery');
  await gallery.getByTestId('template-search').fill('encoder');
  await gallery.locator('[data-template=seq2seq-dates]').click();
  await expect(page.getByTestId('document-title')).toContainText('Encoder–decoder');
  await expect(page.getByTestId('status-model')).toContainText('no errors');

  // The encoder's final state h feeds the decoder's initial state: both ports named on the nodes.
  const node = (name: string) => page.locator(`[data-testid=layer-node][data-node-name=${name}]`);
  await expect(node('encoder').getByTestId('port-name')).toHaveText(['output', 'h']);
  await expect(node('decoder').getByTestId('port-name')).toHaveText(['sequence', 'h']);
  await expect(node('decoder').getByTestId('node-caption')).toHaveText('GRU 128, seq, state in');
  await page.screenshot({ path: path.join(screenshotDir, 'seq2seq-graph.png') });

  // The template starts on the synthetic dates; the preview is pairs with their tokens, not a sample grid.
  const panel = await openTrainingPanel(page);
  await expect(panel.getByTestId('train-dataset')).toHaveValue('synthetic-pairs');
  await expect(panel.getByTestId('train-pair-task')).toHaveValue('dates');
  const preview = panel.getByTestId('dataset-preview');
  await expect(preview.getByTestId('pairs-title')).toContainText(/Synthetic dates → ISO · 8,500 pairs \(8,000 to train, 500 to test\) · vocabularies of \d+ source and 15 target tokens/);
  await expect(preview.getByTestId('pairs-example')).toHaveCount(5);
  await expect(preview.getByTestId('pairs-example').first()).toContainText(/\d{4}-\d\d-\d\d/);
  await expect(panel.getByTestId('train-samples')).toHaveAttribute('placeholder', 'all 8,000');
  await page.screenshot({ path: path.join(screenshotDir, 'seq2seq-preview.png') });

  // The other task: number words → digits.
  await panel.getByTestId('train-pair-task').selectOption('numbers');
  await expect(preview.getByTestId('pairs-title')).toContainText('Synthetic number words → digits');

  // Their own pairs file: words and minimum frequency 2 (d2l's), the line without a tab named.
  await panel.getByTestId('train-dataset').selectOption('pairs');
  await expect(panel.getByTestId('train-text-unit')).toHaveValue('word');
  await expect(panel.getByTestId('train-text-min-freq')).toHaveValue('2');
  await expect(preview).toContainText('choose a sentence-pairs file first');
  const chooser = page.waitForEvent('filechooser');
  await panel.getByTestId('train-text-file').click();
  await (await chooser).setFiles({ name: 'fra-eng.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(PAIRS_FILE) });
  await expect(preview.getByTestId('pairs-title')).toContainText(/fra-eng\.txt \(words\) · 5 pairs \(4 to train, 1 to test\)/);
  await expect(preview.getByTestId('pairs-problems')).toContainText('line 3: no tab');
  await expect(preview.getByTestId('pairs-example').first()).toContainText('Va !');
  await page.screenshot({ path: path.join(screenshotDir, 'seq2seq-pairs-file.png') });

  // Back to the dates, a short run: 512 pairs, one epoch.
  await panel.getByTestId('train-dataset').selectOption('synthetic-pairs');
  await panel.getByTestId('train-pair-task').selectOption('dates');
  await panel.getByTestId('train-samples').fill('512');
  await panel.getByTestId('train-epochs').fill('1');
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
  await expect(panel.getByTestId('training-result')).toContainText(/^Test BLEU \d\.\d{3} on 500 pairs · next token right \d+\.\d% · loss \d+\.\d{4}$/);
  const rows = panel.getByTestId('translations').getByTestId('translation-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.first().locator('td').nth(1)).toHaveText(/^\d{4}-\d\d-\d\d$/);
  await expect(rows.first().locator('td').nth(3)).toHaveText(/^[01]\.\d{3}$/);
  await expect(panel.getByTestId('training-log')).toContainText('Epoch 1 translations:');
  await page.screenshot({ path: path.join(screenshotDir, 'seq2seq-trained.png') });

  // The runs browser lists the run by its BLEU and shows its translations.
  await page.getByTestId('topbar-runs').click();
  const browser = page.getByTestId('runs-browser');
  await expect(browser.getByTestId('run-row').first().getByTestId('run-bleu')).toHaveText(/^BLEU \d\.\d{3}$/);
  await browser.getByTestId('run-row').first().locator('input[type=checkbox]').check();
  const details = browser.getByTestId('run-details');
  await expect(details.getByTestId('run-bleu-line')).toContainText(/Test BLEU \d\.\d{3} on 500 pairs/);
  await expect(details.getByTestId('translation-row')).toHaveCount(5);
  await expect(details.getByTestId('run-look-inside')).toHaveCount(0);
  await page.screenshot({ path: path.join(screenshotDir, 'seq2seq-runs.png') });
});
