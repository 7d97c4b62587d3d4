import { describe, expect, it } from 'vitest';
import type { IpcMain } from 'electron';
import { createHandlerContext } from '../../../src-main/api/context';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { testWorkspace } from '../../support/workspace';
import { bindIpc } from '../../../src-main/hosts/electron/ipc';
import { CHANNEL_NAMES, type IpcResult } from '../../../src-shared/api';

type Listener = (event: { senderFrame: { url: string } | null }, payload: unknown) => Promise<IpcResult>;

/** Records what bindIpc registers; Electron's own ipcMain can't run without its binary. */
function recordingIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain = { handle: (channel: string, listener: Listener) => handlers.set(channel, listener) };
  return { ipcMain: ipcMain as unknown as IpcMain, handlers };
}

describe('Electron IPC binding', () => {
  it('registers a handler for every contract channel', () => {
    const { ipcMain, handlers } = recordingIpcMain();
    bindIpc(ipcMain, createApiHandlers(createHandlerContext('electron', { workspaceDir: testWorkspace() })));
    expect([...handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('validates payloads and refuses calls from frames that are not the app', async () => {
    const { ipcMain, handlers } = recordingIpcMain();
    bindIpc(ipcMain, createApiHandlers(createHandlerContext('electron', { workspaceDir: testWorkspace() })));
    const appInfo = handlers.get('app.info') as Listener;

    const foreign = await appInfo({ senderFrame: { url: 'https://evil.example/' } }, {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const invalid = await appInfo({ senderFrame: { url: 'netwright://app/index.html' } }, { unexpected: true });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-request' } });

    const ok = await appInfo({ senderFrame: { url: 'netwright://app/index.html' } }, {});
    expect(ok.ok).toBe(true);
    expect(ok.ok && (ok.payload as { host: string }).host).toBe('electron');
  });
});
