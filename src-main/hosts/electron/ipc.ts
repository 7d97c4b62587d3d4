import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_NAMES, EVENT_CHANNEL, type ApiHandlers, type EventName, type EventPayloadOf, type IpcResult } from '../../../src-shared/api';
import { dispatch, toWireError } from '../../api/dispatch';
import { isAppUrl } from './security';

/** Binds every API channel to ipcMain; payloads are validated by `dispatch` on arrival. */
export function bindIpc(ipcMain: IpcMain, handlers: ApiHandlers): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown): Promise<IpcResult> => {
      // Only our own page may call the backend, never a frame that navigated elsewhere.
      if (!isAppUrl(event.senderFrame?.url ?? '')) {
        return { ok: false, error: { message: 'Refused: the request did not come from the Netwright window.', code: 'forbidden' } };
      }
      try {
        return { ok: true, payload: await dispatch(handlers, channel, payload) };
      } catch (error) {
        return { ok: false, error: toWireError(error) };
      }
    });
  }
}

export function sendEvent<E extends EventName>(contents: WebContents, event: E, payload: EventPayloadOf<E>): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
}
