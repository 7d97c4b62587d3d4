import type { ElectronBridge, HostKind, NetwrightApi } from '../../src-shared/api';
import { ElectronApi } from './electronClient';
import { WebSocketApi } from './websocketClient';

export interface ApiClient {
  api: NetwrightApi;
  host: HostKind;
  /** Connection changes; Electron's IPC is always connected. Returns an unsubscribe function. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

declare global {
  interface Window {
    netwright?: ElectronBridge;
  }
}

/** One client interface for both hosts: the Electron bridge when the preload exposed it, else the WebSocket. */
export function createApiClient(): ApiClient {
  if (window.netwright) {
    return { api: new ElectronApi(window.netwright), host: 'electron', onConnectionChange: () => () => undefined };
  }
  const api = new WebSocketApi();
  return { api, host: 'web', onConnectionChange: (listener) => api.onConnectionChange(listener) };
}
