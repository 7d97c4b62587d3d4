import type { BrowserWindowConstructorOptions } from 'electron';

/** The renderer is served from this privileged custom scheme, never from file:// or the network. */
export const APP_SCHEME = 'netwright';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** The Content-Security-Policy sent with every renderer file in Electron. */
export const ELECTRON_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The options of Netwright's one window: isolated, sandboxed renderer with no Node access.
 * Kept free of runtime electron imports so a unit test can read them without the binary.
 */
export function createWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Netwright',
    backgroundColor: '#f4f5f8',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Only the app's own pages may load in the window. */
export function isAppUrl(url: string): boolean {
  try {
    // Compared by parts: for a custom scheme Node's URL reports origin 'null'.
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
