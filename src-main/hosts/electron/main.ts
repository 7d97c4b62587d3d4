// The Electron shell: one window, a sandboxed renderer served from netwright://app, and IPC bound
// to the same handlers the web host uses. Everything else lives in shared modules.
import { app, BrowserWindow, ipcMain, net, protocol, session } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApiHandlers } from '../../api/handlers';
import { appPaths } from '../../paths';
import { ELECTRON_READY_MARK } from './launch';
import { bindIpc } from './ipc';
import { APP_ORIGIN, APP_SCHEME, createWindowOptions, ELECTRON_CSP, isAppUrl } from './security';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const paths = appPaths(__dirname);

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const { pathname } = new URL(request.url);
    const file = path.resolve(paths.rendererDir, `.${decodeURIComponent(pathname === '/' ? '/index.html' : pathname)}`);
    if (!file.startsWith(paths.rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', ELECTRON_CSP);
    return new Response(response.body, { status: response.status, headers });
  });
}

function lockDown(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

async function openWindow(): Promise<void> {
  const window = new BrowserWindow(createWindowOptions(paths.preload));
  window.once('ready-to-show', () => {
    window.show();
    process.stdout.write(`${ELECTRON_READY_MARK}\n`);
  });
  await window.loadURL(`${APP_ORIGIN}/index.html`);
}

app.whenReady().then(async () => {
  lockDown();
  serveRenderer();
  bindIpc(ipcMain, createApiHandlers({ host: 'electron' }));
  await openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
