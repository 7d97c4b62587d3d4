import {
  apiChannels,
  ApiError,
  isChannelName,
  parseRequest,
  type ApiHandlers,
  type ChannelName,
  type RequestOf,
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

/**
 * zod's safeParse itself can throw on hostile input: a length check compares `{ length: { toString: 1 } }`
 * with a number before noticing it isn't an array. Such a payload is invalid, not a backend failure.
 */
function validateRequest<C extends ChannelName>(channel: C, payload: unknown): RequestOf<C> {
  try {
    return parseRequest(channel, payload);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(`Invalid request for '${channel}': the payload is not a plain JSON object of the expected shape.`, 'invalid-request');
  }
}

async function runChannel<C extends ChannelName>(handlers: ApiHandlers, channel: C, payload: unknown): Promise<ResponseOf<C>> {
  const request = validateRequest(channel, payload);
  const handler = handlers[channel] as (request: RequestOf<C>) => Promise<ResponseOf<C>>;
  const response = await handler(request);
  const checked = (() => {
    try {
      return apiChannels[channel].response.safeParse(response);
    } catch {
      return { success: false as const };
    }
  })();
  if (!checked.success) throw new ApiError(`The backend produced an invalid '${channel}' response; this is a bug in Netwright.`);
  return checked.data as ResponseOf<C>;
}

/** Turns anything thrown by a handler into a message safe to show the user. */
export function toWireError(error: unknown): { message: string; code: string } {
  if (error instanceof ApiError) return { message: error.message, code: error.code };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `Unexpected error in the backend: ${message}`, code: 'failed' };
}
