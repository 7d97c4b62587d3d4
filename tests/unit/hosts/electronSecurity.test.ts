import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, createWindowOptions, ELECTRON_CSP, isAppUrl } from '../../../src-main/hosts/electron/security';

const electronDir = path.resolve(import.meta.dirname, '../../../src-main/hosts/electron');

describe('Electron window security', () => {
  const options = createWindowOptions('/app/dist/main/preload.cjs');

  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('is the only way main.ts creates its window, and main.ts blocks navigation and new windows', () => {
    const main = readFileSync(path.join(electronDir, 'main.ts'), 'utf8');
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1);
    expect(main).toContain('new BrowserWindow(createWindowOptions(');
    expect(main).toContain("setWindowOpenHandler(() => ({ action: 'deny' }))");
    expect(main).toMatch(/will-navigate[\s\S]*isAppUrl\(url\)[\s\S]*preventDefault/);
    expect(main).toContain('Content-Security-Policy');
  });

  it('has a strict Content-Security-Policy', () => {
    expect(ELECTRON_CSP).toContain("default-src 'self'");
    expect(ELECTRON_CSP).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(ELECTRON_CSP).toContain("object-src 'none'");
    expect(ELECTRON_CSP).not.toContain("'unsafe-eval'");
    expect(ELECTRON_CSP).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  it.each([
    [`${APP_ORIGIN}/index.html`, true],
    [`${APP_ORIGIN}/assets/x.js`, true],
    ['https://example.com/', false],
    ['file:///etc/passwd', false],
    ['netwright://evil/index.html', false],
    ['not a url', false],
  ])('treats %s as an app URL: %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it('exposes one preload method per channel, never ipcRenderer itself', () => {
    const preload = readFileSync(path.join(electronDir, 'preload.ts'), 'utf8');
    expect(preload).toContain("contextBridge.exposeInMainWorld('netwright', bridge)");
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(preload).toContain('CHANNEL_NAMES.map(');
  });
});
