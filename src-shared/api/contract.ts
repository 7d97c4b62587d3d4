import { z } from 'zod';
import { AppInfo } from './appInfo';
import { blockChannels } from './blocks';
import { datasetChannels } from './datasets';
import { exportChannels } from './exports';
import { importChannels } from './imports';
import { runChannels } from './runs';
import { inspectChannels } from './inspect';
import { languageChannels } from './language';
import { predictionChannels } from './predictions';
import { segmentationChannels } from './segmentation';
import { fileChannels } from './files';
import { settingsChannels } from './settings';
import { trainingChannels, trainingEvents } from './training';

/**
 * The typed API between renderer and backend: the only way they talk.
 * Both hosts (Electron IPC and the web host's WebSocket) implement every channel,
 * and both validate payloads with these schemas on arrival.
 *
 * @example
 * const info = await api.invoke('app.info', {});
 */
export const apiChannels = {
  'app.info': {
    request: z.object({}).strict(),
    response: AppInfo,
  },
  ...fileChannels,
  ...blockChannels,
  ...trainingChannels,
  ...datasetChannels,
  ...runChannels,
  ...inspectChannels,
  ...predictionChannels,
  ...languageChannels,
  ...segmentationChannels,
  ...exportChannels,
  ...importChannels,
  ...settingsChannels,
} as const;

/** Events pushed from the backend to the renderer. */
export const apiEvents = {
  'app.notice': z.object({
    level: z.enum(['info', 'warning', 'error']),
    message: z.string(),
  }),
  ...trainingEvents,
} as const;

export type ChannelName = keyof typeof apiChannels;
export type EventName = keyof typeof apiEvents;
export type RequestOf<C extends ChannelName> = z.infer<(typeof apiChannels)[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.infer<(typeof apiChannels)[C]['response']>;
export type EventPayloadOf<E extends EventName> = z.infer<(typeof apiEvents)[E]>;

export const CHANNEL_NAMES = Object.keys(apiChannels) as ChannelName[];
export const EVENT_NAMES = Object.keys(apiEvents) as EventName[];

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(apiChannels, name);
}

/** What a host needs to implement: one async handler per channel. */
export type ApiHandlers = {
  [C in ChannelName]: (request: RequestOf<C>) => Promise<ResponseOf<C>>;
};

/** Sends events to whoever is listening (one renderer window or one WebSocket). */
export type EventSink = <E extends EventName>(event: E, payload: EventPayloadOf<E>) => void;

/** The client side, identical for both hosts. Listeners return an unsubscribe function. */
export interface NetwrightApi {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
}

/** An error a handler throws on purpose: its message is shown to the user as is. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid-request' | 'unknown-channel' | 'failed' = 'failed',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Validates a request on arrival; the message names the channel and the first bad field. */
export function parseRequest<C extends ChannelName>(channel: C, payload: unknown): RequestOf<C> {
  const result = apiChannels[channel].request.safeParse(payload);
  if (!result.success) {
    throw new ApiError(`Invalid request for '${channel}': ${describeZodError(result.error)}`, 'invalid-request');
  }
  return result.data as RequestOf<C>;
}

export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown validation error';
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}
