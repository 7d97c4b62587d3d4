import { expect, test } from '@playwright/test';
import path from 'node:path';
import { screenshotDir, serveForFile } from './support/server';
import { BACKEND_IDS } from '../../src-shared/api';

const app = serveForFile();

test('the app opens on LeNet in its frame, and the status bar shows the host and the backends found', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(app.url);

  await expect(page.getByTestId('app-shell')).toBeVisible();
  await expect(page.getByText('Netwright', { exact: true })).toBeVisible();
  // First start: d2l's LeNet, analysed, every edge labelled.
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  await expect(page.locator('[data-testid=edge-label]').first()).toBeVisible();
  await expect(page.getByTestId('status-model')).toContainText('no errors');
  await expect(page.getByTestId('palette')).toBeVisible();
  await expect(page.getByTestId('inspector')).toBeVisible();
  await expect(page.locator('.svelte-flow')).toBeVisible();
  await expect(page.locator('.svelte-flow__minimap')).toBeVisible();
  await expect(page.locator('.svelte-flow__controls')).toBeVisible();

  await expect(page.getByTestId('status-host')).toContainText('Web host');
  // The backend process probes the ladder for real: here at least the pure-JS CPU backend works.
  await expect(page.getByTestId('status-backend')).toContainText('Training backend:');
  await page.getByTestId('status-backend').hover();
  const ladder = page.getByTestId('backend-ladder');
  await expect(ladder).toBeVisible();
  await expect(ladder.locator('[data-backend]')).toHaveCount(BACKEND_IDS.length);
  await expect(ladder.locator('[data-backend="cpu"]')).toContainText('initialised and computed correctly');
  await expect(ladder.locator('[data-backend="tfjs-node-gpu"]')).toContainText('tfjs-node-gpu');

  await page.screenshot({ path: path.join(screenshotDir, 'app-frame.png') });
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.mouse.move(700, 400);
  await page.screenshot({ path: path.join(screenshotDir, 'app-frame-dark.png') });
  expect(errors).toEqual([]);
});

test('the token leaves the address bar once the cookie holds it, and a reload still opens the app', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const printed = new URL(app.url);
  await page.goto(app.url);
  await expect(page.getByTestId('status-host')).toContainText('Web host');
  await expect.poll(() => page.url()).toBe(`${printed.origin}/`);
  const [cookie] = await page.context().cookies(printed.origin);
  expect(cookie).toMatchObject({ name: `netwright_token_${printed.port}`, httpOnly: true, sameSite: 'Strict' });

  await page.reload();
  await expect(page.getByTestId('app-shell')).toBeVisible();
  await expect(page.getByTestId('status-host')).toContainText('Web host');
  await expect(page.getByTestId('status-backend')).toContainText('Training backend:');
  expect(page.url()).toBe(`${printed.origin}/`);
  expect(errors).toEqual([]);
});
