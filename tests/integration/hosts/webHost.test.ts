import { mkdtempSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHandlerContext } from '../../../src-main/api/context';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { BACKEND_IDS } from '../../../src-shared/api/appInfo';
import { testWorkspace } from '../../support/workspace';
import { startWebHost, type WebHost } from '../../../src-main/hosts/web/webHost';
import { AppInfo, CHANNEL_NAMES } from '../../../src-shared/api';

const TOKEN = 'test-token-0123456789';
let host: WebHost;
let rendererDir: string;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The Cookie header a browser sends once it opened `server`'s address. */
function cookieOf(server: WebHost, value = server.token): string {
  return `netwright_token_${server.port}=${value}`;
}

/** A raw HTTP GET with full control of the Host and Origin headers (fetch would fix them up). */
function get(pathAndQuery: string, headers: Record<string, string> = {}, server: WebHost = host): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: pathAndQuery, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket and reports the HTTP status it was refused with, or 101 when it opened. */
function openSocket(query: string, headers: Record<string, string> = {}): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, { headers });
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    socket.once('error', () => resolve({ status: 0 }));
  });
}

function ask(socket: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>));
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

beforeAll(async () => {
  rendererDir = mkdtempSync(path.join(tmpdir(), 'netwright-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Netwright</title>');
  writeFileSync(path.join(rendererDir, 'app.js'), 'console.log(1)');
  writeFileSync(path.join(tmpdir(), 'netwright-secret.txt'), 'secret');
  host = await startWebHost({ port: 0, rendererDir, handlers: createApiHandlers(createHandlerContext('web', { workspaceDir: testWorkspace() })), token: TOKEN });
});

afterAll(async () => {
  await host.close();
});

describe('web host: HTTP access control', () => {
  it.each([
    ['no token', '/', {}, 401],
    ['a wrong token', '/?token=wrong', {}, 403],
    ['a foreign Origin', `/?token=${TOKEN}`, { origin: 'http://evil.example' }, 403],
    ['an https Origin of the same host', `/?token=${TOKEN}`, { origin: 'https://127.0.0.1' }, 403],
    ['a foreign Host (DNS rebinding)', `/?token=${TOKEN}`, { host: 'evil.example:80' }, 403],
    ['a Host on another port', `/?token=${TOKEN}`, { host: '127.0.0.1:1' }, 403],
  ])('refuses %s', async (_label, url, headers, status) => {
    const response = await get(url, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(response.body).not.toContain('<title>Netwright');
  });

  it('serves the app with the token and sets the cookie later requests use', async () => {
    const first = await get(`/?token=${TOKEN}`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>Netwright');
    expect(String(first.headers['set-cookie'])).toContain('HttpOnly');
    expect(String(first.headers['content-security-policy'])).toContain("default-src 'self'");
    const asset = await get('/app.js', { cookie: cookieOf(host), origin: `http://127.0.0.1:${host.port}` });
    expect(asset.status).toBe(200);
    const viaLocalhost = await get('/app.js', { cookie: cookieOf(host), host: `localhost:${host.port}` });
    expect(viaLocalhost.status).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    const response = await get('/..%2fnetwright-secret.txt', { cookie: cookieOf(host) });
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('secret');
  });
});

describe('web host: the token cookie', () => {
  it('is named after the port, HttpOnly and SameSite=Strict', async () => {
    const first = await get(`/?token=${TOKEN}`);
    const [cookie] = first.headers['set-cookie'] ?? [];
    expect(cookie?.split('; ')).toEqual([cookieOf(host), 'HttpOnly', 'SameSite=Strict', 'Path=/']);
  });

  it.each([
    ['its own cookie', () => cookieOf(host), 200],
    ['a wrong value in its cookie', () => cookieOf(host, 'wrong'), 403],
    ['badly percent-encoded garbage in its cookie', () => cookieOf(host, '%E0%A4%A'), 403],
    ['planted garbage of its name before the right cookie', () => `${cookieOf(host, '%E0%A4%A')}; ${cookieOf(host)}`, 200],
    ['the right token under the old shared name', () => `netwright_token=${TOKEN}`, 401],
    ["the right token under another port's name", () => `netwright_token_${host.port + 1}=${TOKEN}`, 401],
    ['a quoted cookie value', () => `netwright_token_${host.port}="${TOKEN}"`, 200],
  ])('given %s, answers accordingly', async (_label, cookie, status) => {
    const response = await get('/app.js', { cookie: cookie() });
    expect(response.status).toBe(status);
  });

  it('does not collide with the cookie of a second server on another port', async () => {
    const other = await startWebHost({ port: 0, rendererDir, handlers: createApiHandlers(createHandlerContext('web', { workspaceDir: testWorkspace() })), token: 'other-token-9876543210' });
    try {
      const names = await Promise.all(
        [host, other].map(async (server) => {
          const first = await get(`/?token=${server.token}`, {}, server);
          return String(first.headers['set-cookie']).split('=')[0];
        }),
      );
      expect(names[0]).not.toBe(names[1]);
      // The browser keeps both (cookies ignore the port) and sends both to each server.
      const jar = `${cookieOf(host)}; ${cookieOf(other)}`;
      expect((await get('/app.js', { cookie: jar }, host)).status).toBe(200);
      expect((await get('/app.js', { cookie: jar }, other)).status).toBe(200);
      // Neither server takes the other's cookie.
      expect((await get('/app.js', { cookie: cookieOf(other) }, host)).status).toBe(401);
      expect((await get('/app.js', { cookie: cookieOf(host) }, other)).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('web host: WebSocket access control', () => {
  it.each([
    ['no token', '', {}, 401],
    ['a wrong token', '?token=nope', {}, 403],
    ['a foreign Origin', `?token=${TOKEN}`, { Origin: 'http://evil.example' }, 403],
    ['a foreign Host', `?token=${TOKEN}`, { Host: 'evil.example' }, 403],
  ])('refuses %s', async (_label, query, headers, status) => {
    const result = await openSocket(query, headers as Record<string, string>);
    expect(result.status).toBe(status);
  });

  it('answers app.info over the contract with a valid payload, cookie or token', async () => {
    const { status, socket } = await openSocket('', { Cookie: cookieOf(host), Origin: `http://127.0.0.1:${host.port}` });
    expect(status).toBe(101);
    const reply = await ask(socket as WebSocket, { kind: 'request', id: 7, channel: 'app.info', payload: {} });
    expect(reply).toMatchObject({ kind: 'response', id: 7, ok: true });
    const info = AppInfo.parse(reply.payload);
    expect(info.host).toBe('web');
    expect(info.backends.map((b) => b.id)).toEqual([...BACKEND_IDS]);
    expect(info.backends.find((b) => b.id === 'cpu')?.usable).toBe(true);
    socket?.close();
  });

  it('answers every contract channel (none is unknown to the web host)', async () => {
    const { socket } = await openSocket(`?token=${TOKEN}`);
    for (const channel of CHANNEL_NAMES) {
      const reply = await ask(socket as WebSocket, { kind: 'request', id: 1, channel, payload: {} });
      expect((reply.error as { code?: string } | undefined)?.code).not.toBe('unknown-channel');
    }
    socket?.close();
  });

  it.each([
    ['malformed JSON', 'not json', 'invalid-request'],
    ['an unknown channel', { kind: 'request', id: 2, channel: 'fs.delete', payload: {} }, 'unknown-channel'],
    ['an invalid payload', { kind: 'request', id: 3, channel: 'app.info', payload: { extra: 1 } }, 'invalid-request'],
  ])('answers %s with a clear error and stays up', async (_label, message, code) => {
    const { socket } = await openSocket(`?token=${TOKEN}`);
    const reply = await ask(socket as WebSocket, message);
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatchObject({ code });
    expect(String((reply.error as { message: string }).message).length).toBeGreaterThan(10);
    socket?.close();
  });
});

describe('web host: listens on loopback only', () => {
  it('is bound to 127.0.0.1', () => {
    expect(host.url.startsWith(`http://127.0.0.1:${host.port}/`)).toBe(true);
  });

  it('cannot be reached on any other address of this machine', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a?.address as string);
    for (const address of [...others, '127.0.0.2']) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: host.port, timeout: 2000 });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
        socket.once('timeout', () => {
          socket.destroy();
          resolve(false);
        });
      });
      expect(reached, `reachable on ${address}`).toBe(false);
    }
  });
});
