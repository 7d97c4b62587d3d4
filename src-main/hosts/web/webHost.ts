import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ClientMessage,
  type ApiHandlers,
  type EventName,
  type EventPayloadOf,
  type ServerMessage,
  TOKEN_PARAM,
  WS_PATH,
} from '../../../src-shared/api';
import { dispatch, toWireError } from '../../api/dispatch';
import { checkAccess, LOOPBACK, tokenCookie } from './access';
import { readStaticFile } from './staticFiles';

export interface WebHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string;
  handlers: ApiHandlers;
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string;
}

export interface WebHost {
  port: number;
  token: string;
  /** The address to open, token included. */
  url: string;
  broadcast<E extends EventName>(event: E, payload: EventPayloadOf<E>): void;
  close(): Promise<void>;
}

/** Largest message a client may send; a big document fits easily. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${LOOPBACK}:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function refuse(response: ServerResponse, status: number, reason: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${status === 401 ? 'Unauthorized' : 'Forbidden'}: ${reason}\n`);
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const text = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`);
}

/**
 * Serves the renderer on 127.0.0.1 and the API contract over a WebSocket at `/api`.
 * Every HTTP request and WebSocket needs the per-launch token and a matching Host/Origin.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  let port = options.port;

  const server = createServer((request, response) => {
    void serveHttp(request, response);
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const access = checkAccess(request, port, token);
    if (!access.ok) return refuse(response, access.status, access.reason);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' });
      response.end();
      return;
    }
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not found\n');
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    // The first visit carries the token in the URL; later requests (assets, the WebSocket) use the cookie.
    if (url.searchParams.has(TOKEN_PARAM)) headers['Set-Cookie'] = tokenCookie(token);
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'No such endpoint.');
    const access = checkAccess(request, port, token);
    if (!access.ok) return refuseUpgrade(socket, access.status, access.reason);
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void answer(ws, data.toString()));
    });
  });

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let parsed: ClientMessage;
    try {
      const result = ClientMessage.safeParse(JSON.parse(text));
      if (!result.success) throw new Error('not a request');
      parsed = result.data;
    } catch {
      send(ws, { kind: 'response', id: -1, ok: false, error: { message: 'Malformed message: expected a JSON request.', code: 'invalid-request' } });
      return;
    }
    try {
      const payload = await dispatch(options.handlers, parsed.channel, parsed.payload);
      send(ws, { kind: 'response', id: parsed.id, ok: true, payload });
    } catch (error) {
      send(ws, { kind: 'response', id: parsed.id, ok: false, error: toWireError(error) });
    }
  }

  function send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/?${TOKEN_PARAM}=${token}`,
    broadcast(event, payload) {
      for (const ws of sockets) send(ws, { kind: 'event', event, payload });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
