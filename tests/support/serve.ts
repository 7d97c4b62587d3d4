import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { repoRoot, startApp, type RunningApp } from '../e2e/support/server';
import { rawExchange, rawRequest } from './rawWire';

/** A real `netwright serve` process, with what a client needs to talk to it. */
export interface ServedApp {
  app: RunningApp;
  port: number;
  token: string;
  /** The Cookie header a browser would send after opening the printed address. */
  cookie: string;
  /** Host header naming this server. */
  host: string;
}

/** Builds the app once if dist/ is missing, then starts `node bin/netwright.js serve --port 0`. */
export async function startServe(): Promise<ServedApp> {
  const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--if-missing'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('Building Netwright failed.');
  const app = await startApp(['node', 'bin/netwright.js', 'serve', '--port', '0']);
  const address = new URL(app.url);
  const token = address.searchParams.get('token') as string;
  const first = await rawExchange(Number(address.port), rawRequest(`GET /?token=${token} HTTP/1.1`, { Host: address.host }));
  // The server names the cookie; take it from its answer as a browser would.
  const setCookie = /^set-cookie: ([^;\r\n]+)/im.exec(first.text)?.[1];
  if (!setCookie) throw new Error(`The first visit set no cookie:\n${first.text.slice(0, 500)}`);
  return { app, port: Number(address.port), token, cookie: setCookie, host: address.host };
}

/** Sends one request over a fresh WebSocket authenticated by the cookie and returns the reply. */
export function askOverWebSocket(served: ServedApp, channel: string, payload: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${served.host}/api`, { headers: { Cookie: served.cookie } });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`No answer to '${channel}' within 30 s.`));
    }, 30_000);
    socket.once('open', () => socket.send(JSON.stringify({ kind: 'request', id: 1, channel, payload })));
    socket.once('message', (data) => {
      clearTimeout(timer);
      socket.close();
      resolve(JSON.parse(data.toString()) as Record<string, unknown>);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The process is up, serves the page to the cookie, and answers `app.info` over a new WebSocket. */
export async function expectStillServing(served: ServedApp): Promise<void> {
  expect(served.app.running(), `the server exited; its output:\n${served.app.output()}`).toBe(true);
  const page = await rawExchange(served.port, rawRequest('GET / HTTP/1.1', { Host: served.host, Cookie: served.cookie }));
  expect(page.status).toBe(200);
  expect(page.text).toContain('<title>Netwright</title>');
  const reply = await askOverWebSocket(served, 'app.info', {});
  expect(reply).toMatchObject({ kind: 'response', id: 1, ok: true, payload: { name: 'Netwright', host: 'web' } });
}
