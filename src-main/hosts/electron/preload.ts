// Runs sandboxed, before the renderer: exposes exactly one method per API channel and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import { CHANNEL_NAMES, EVENT_CHANNEL, EVENT_NAMES, type ChannelName, type ElectronBridge, type EventName, type IpcResult } from '../../../src-shared/api';

const channels = Object.fromEntries(
  CHANNEL_NAMES.map((channel: ChannelName) => [channel, (request: unknown): Promise<IpcResult> => ipcRenderer.invoke(channel, request)]),
) as ElectronBridge['channels'];

const bridge: ElectronBridge = {
  channels,
  on(event: EventName, listener: (payload: never) => void) {
    if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event '${String(event)}'.`);
    const wrapped = (_: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('netwright', bridge);
