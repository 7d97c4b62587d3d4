import { z } from 'zod';

/** Messages on the web host's WebSocket. Electron IPC carries the same payloads natively. */
export const ClientMessage = z.object({
  kind: z.literal('request'),
  id: z.number().int().nonnegative(),
  channel: z.string().min(1).max(100),
  payload: z.unknown(),
});
export type ClientMessage = z.infer<typeof ClientMessage>;

export const WireError = z.object({ message: z.string(), code: z.string() });
export type WireError = z.infer<typeof WireError>;

export const ServerMessage = z.union([
  z.object({ kind: z.literal('response'), id: z.number(), ok: z.literal(true), payload: z.unknown() }),
  z.object({ kind: z.literal('response'), id: z.number(), ok: z.literal(false), error: WireError }),
  z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Path of the WebSocket endpoint on the web host. */
export const WS_PATH = '/api';
/** Query parameter and cookie that carry the per-launch access token. */
export const TOKEN_PARAM = 'token';
export const TOKEN_COOKIE = 'netwright_token';
