import {
  apiChannels,
  type ChannelName,
  type EventName,
  type EventPayloadOf,
  type NetwrightApi,
  type RequestOf,
  type ResponseOf,
} from '../../src-shared/api';
import type { ElectronBridge, IpcResult } from '../../src-shared/api';
import { BackendError } from './websocketClient';

/** The Electron client: calls the preload's one-method-per-channel bridge. */
export class ElectronApi implements NetwrightApi {
  constructor(private readonly bridge: ElectronBridge) {}

  async invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const call = this.bridge.channels[channel] as unknown as (request: RequestOf<C>) => Promise<IpcResult>;
    const result = await call(request);
    if (!result.ok) throw new BackendError(result.error.message, result.error.code);
    return apiChannels[channel].response.parse(result.payload) as ResponseOf<C>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    return this.bridge.on(event, listener);
  }
}
