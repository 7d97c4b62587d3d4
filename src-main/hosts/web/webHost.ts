import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ApiError,
  ClientMessage,
  EXPORT_DOWNLOAD_PATH,
  type ApiHandlers,
  type EventName,
  type EventPayloadOf,
  type ServerMessage,
  TOKEN_PARAM,
  WS_PATH,
} from '../../../src-shared/api';
import { dispatch, toWireError } from '../../api/dispatch';
import { checkAccess, LOOPBACK, requestUrl, tokenCookie } from './access';
import type { Download } from './exportDownload';
import { readStaticFile } from './staticFiles';

export interface WebHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string;
  handlers: ApiHandlers;
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string;
  /** Answers GET /download/export (an export's files for the browser); absent, the route is not there. */
  exportDownload?: (query: URLSearchParams) => Promise<Download>;
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

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

function refuse(response: ServerResponse, status: number, reason: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  response.end(`${STATUS_TEXT[status] ?? 'Error'}: ${reason}\n`);
}

/** Answers on a raw socket (an upgrade request, or one the HTTP parser gave up on) and closes it. */
function refuseSocket(socket: Duplex, status: number, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${STATUS_TEXT[status] ?? 'Error'}: ${reason}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

const BAD_TARGET = 'The request target is not a valid URL.';

/**
 * Serves the renderer on 127.0.0.1 and the API contract over a WebSocket at `/api`.
 * Every HTTP request and WebSocket needs the per-launch token and a matching Host/Origin.
 * Every handler is total: whatever a client sends (a malformed request line, cookie or frame,
 * an oversized message, a reset connection) ends that request or connection, never the server.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  let port = options.port;

  const server = createServer((request, response) => {
    serveHttp(request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else refuse(response, 500, 'Netwright could not answer this request.');
    });
  });
  // Requests the HTTP parser rejects (bad request line, oversized headers) and sockets that fail.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return void socket.destroy();
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return refuseSocket(socket, 408, 'The request took too long to arrive.');
    if (error.code === 'HPE_HEADER_OVERFLOW') return refuseSocket(socket, 431, 'The request headers are too large.');
    refuseSocket(socket, 400, 'Malformed HTTP request.');
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request, port);
    if (!url) return refuse(response, 400, BAD_TARGET);
    const access = checkAccess(request, url, port, token);
    if (!access.ok) return refuse(response, access.status, access.reason);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' });
      response.end();
      return;
    }
    if (url.pathname === EXPORT_DOWNLOAD_PATH && options.exportDownload) return serveDownload(options.exportDownload, url, request, response);
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
    // The first visit carries the token in the URL; later requests (assets, the WebSocket) use the
    // cookie, and the page then drops the token from the address bar.
    if (url.searchParams.has(TOKEN_PARAM)) headers['Set-Cookie'] = tokenCookie(token, port);
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  /** An export's file or zip, as an attachment; a refused path answers what was wrong, never the file. */
  async function serveDownload(read: NonNullable<WebHostOptions['exportDownload']>, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    let download: Download;
    try {
      download = await read(url.searchParams);
    } catch (error) {
      if (error instanceof ApiError) return refuse(response, 400, error.message);
      throw error;
    }
    response.writeHead(200, {
      'Content-Type': download.contentType,
      'Content-Length': String(download.body.byteLength),
      // The name was validated to letters, digits, '.', '-' and '_': safe inside the quotes.
      'Content-Disposition': `attachment; filename="${download.name}"`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
      'Cache-Control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : download.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // With noServer nothing should reach it, but an 'error' without a listener would end the process.
  wss.on('error', () => undefined);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands an upgrade's socket over without an error listener: a reset would be uncaught.
    socket.on('error', () => socket.destroy());
    try {
      upgrade(request, socket, head);
    } catch {
      socket.destroy();
    }
  });

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = requestUrl(request, port);
    if (!url) return refuseSocket(socket, 400, BAD_TARGET);
    if (url.pathname !== WS_PATH) return refuseSocket(socket, 404, 'No such endpoint.');
    const access = checkAccess(request, url, port, token);
    if (!access.ok) return refuseSocket(socket, access.status, access.reason);
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      // Invalid UTF-8, an oversized message or a protocol error: ws closes this connection with the
      // matching close code (1007, 1009, 1002) after emitting 'error', which must have a listener.
      ws.on('error', () => undefined);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        answer(ws, data.toString()).catch(() => ws.terminate());
      });
    });
  }

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
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      if (message.kind !== 'response') return;
      text = JSON.stringify({ kind: 'response', id: message.id, ok: false, error: toWireError(error) } satisfies ServerMessage);
    }
    ws.send(text, (error) => {
      // The peer went away mid-send: only this connection is affected.
      if (error) ws.terminate();
    });
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
