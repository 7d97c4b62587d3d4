// The Electron shell: one window, a sandboxed renderer served from netwright://app, and IPC bound
// to the same handlers the web host uses. Everything else lives in shared modules.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHandlerContext, type NativeDialogs } from '../../api/context';
import { createApiHandlers } from '../../api/handlers';
import { appPaths } from '../../paths';
import { ELECTRON_READY_MARK } from './launch';
import { bindIpc, sendEvent } from './ipc';
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

const documentFilters = [{ name: 'Netwright documents', extensions: ['netwright'] }];

/** Native open/save dialogs, attached to the focused window. */
const nativeDialogs: NativeDialogs = {
  async pickOpen() {
    const owner = BrowserWindow.getFocusedWindow();
    const options = { properties: ['openFile' as const], filters: documentFilters };
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async pickSave(suggestedName) {
    const owner = BrowserWindow.getFocusedWindow();
    const options = { defaultPath: `${suggestedName}.netwright`, filters: documentFilters };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return result.canceled ? null : (result.filePath ?? null);
  },
  async pickFile(title) {
    const owner = BrowserWindow.getFocusedWindow();
    const options = { title, properties: ['openFile' as const] };
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
};

const context = createHandlerContext('electron', { dialogs: nativeDialogs, mainDir: paths.mainDir });

async function openWindow(): Promise<void> {
  const window = new BrowserWindow(createWindowOptions(paths.preload));
  context.events.emit = (event, payload) => sendEvent(window.webContents, event, payload);
  window.once('ready-to-show', () => {
    window.show();
    process.stdout.write(`${ELECTRON_READY_MARK}\n`);
  });
  await window.loadURL(`${APP_ORIGIN}/index.html`);
}

app.whenReady().then(async () => {
  lockDown();
  serveRenderer();
  bindIpc(ipcMain, createApiHandlers(context));
  await openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
