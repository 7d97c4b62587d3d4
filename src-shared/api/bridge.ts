import type { ChannelName, EventName, EventPayloadOf, RequestOf } from './contract';

/** What every IPC call returns: errors travel as data so their message reaches the user unmangled. */
export type IpcResult = { ok: true; payload: unknown } | { ok: false; error: { message: string; code: string } };

/** IPC channel on which the main process pushes contract events to the window. */
export const EVENT_CHANNEL = 'netwright:event';

/**
 * The object the preload exposes as `window.netwright`: one method per API channel,
 * plus `on` for events. The renderer's electron client wraps it.
 */
export interface ElectronBridge {
  channels: { [C in ChannelName]: (request: RequestOf<C>) => Promise<IpcResult> };
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
}

