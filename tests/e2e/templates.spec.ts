import { expect, test } from '@playwright/test';
import path from 'node:path';
import { templates } from '../../src-shared/templates';
import { screenshotDir, serveForFile } from './support/server';

const app = serveForFile();

test('new from template: the gallery shows every template with a preview, and opens ResNet-18 analysed', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await page.keyboard.press('Control+n');
  const gallery = page.getByTestId('template-gallery');
  await expect(gallery).toBeVisible();
  await expect(gallery.getByTestId('template-card')).toHaveCount(templates.length);
  await expect(gallery.locator('[data-template=resnet18]')).toContainText('11.7M params');
  await page.screenshot({ path: path.join(screenshotDir, 'template-gallery.png') });

  await gallery.locator('[data-template=resnet18]').click();
  await expect(page.getByTestId('document-title')).toContainText('ResNet-18');
  await expect(page.getByTestId('status-model')).toContainText('no errors');
  await page.getByTestId('summary-tab').click();
  await expect(page.getByTestId('summary-total-params')).toHaveText('11,699,112');
  // The template is a fresh, unsaved document but not a dirty one: nothing to lose yet.
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
  await page.screenshot({ path: path.join(screenshotDir, 'template-resnet18.png') });

  // Heat view colours layers by their share of parameters.
  await page.getByTestId('heat-params').click();
  await expect(page.locator('[data-testid=layer-node] .heat').first()).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'template-resnet18-heat.png') });
});
