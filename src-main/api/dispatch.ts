import {
  apiChannels,
  ApiError,
  isChannelName,
  parseRequest,
  type ApiHandlers,
  type ChannelName,
  type ResponseOf,
} from '../../src-shared/api';

/**
 * Validates an incoming request, runs its handler, and validates the response too,
 * so neither side ever sees a payload the contract doesn't allow.
 */
export async function dispatch(handlers: ApiHandlers, channel: string, payload: unknown): Promise<unknown> {
  if (!isChannelName(channel)) throw new ApiError(`Unknown API channel '${channel}'.`, 'unknown-channel');
  return runChannel(handlers, channel, payload);
}

async function runChannel<C extends ChannelName>(handlers: ApiHandlers, channel: C, payload: unknown): Promise<ResponseOf<C>> {
  const request = parseRequest(channel, payload);
  const handler = handlers[channel] as (request: unknown) => Promise<ResponseOf<C>>;
  const response = await handler(request);
  const checked = apiChannels[channel].response.safeParse(response);
  if (!checked.success) throw new ApiError(`The backend produced an invalid '${channel}' response; this is a bug in Netwright.`);
  return checked.data as ResponseOf<C>;
}

/** Turns anything thrown by a handler into a message safe to show the user. */
export function toWireError(error: unknown): { message: string; code: string } {
  if (error instanceof ApiError) return { message: error.message, code: error.code };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `Unexpected error in the backend: ${message}`, code: 'failed' };
}
