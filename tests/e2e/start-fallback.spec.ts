import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { screenshotDir, startApp } from './support/server';

test('npm start without an Electron binary prints the fallback line and serves the app', async ({ page }) => {
  test.setTimeout(120_000);
  // A display is claimed, so the only thing missing is Electron's binary: an empty override folder.
  const noElectron = mkdtempSync(path.join(os.tmpdir(), 'no-electron-'));
  const app = await startApp(['npm', 'start', '--silent'], {
    ...process.env,
    DISPLAY: process.env.DISPLAY ?? ':0',
    ELECTRON_OVERRIDE_DIST_PATH: noElectron,
    NETWRIGHT_NO_ELECTRON_DOWNLOAD: '1',
  }, 110_000);
  try {
    const line = app.output().split('\n').find((l) => l.includes('http://127.0.0.1:')) ?? '';
    expect(line).toMatch(/^Electron can't start here \(the Electron binary is not installed\), so Netwright runs in your browser instead: open http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    await page.goto(app.url);
    await expect(page.getByTestId('app-shell')).toBeVisible();
    await expect(page.getByTestId('status-host')).toContainText('Web host');
    await page.screenshot({ path: path.join(screenshotDir, 'npm-start-fallback.png') });
  } finally {
    await app.stop();
  }
});
