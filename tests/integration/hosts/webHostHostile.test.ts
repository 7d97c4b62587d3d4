import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFrame, OPCODE, openTcp, rawExchange, rawRequest, RawWebSocket, upgradeHeaders } from '../../support/rawWire';
import { expectStillServing, startServe, type ServedApp } from '../../support/serve';

/**
 * Hostile and broken clients against a real `netwright serve` process: each case must be answered
 * (400/401/403/404/431, or the connection closed) and the server must keep serving afterwards.
 */

/** Bad percent-encoding: decodeURIComponent throws on it. */
const BAD_ENCODING = '%E0%A4%A';
/** The WebSocket server's limit (webHost.ts): a message declared one byte longer must be refused. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

let served: ServedApp;

beforeAll(async () => {
  served = await startServe();
}, 120_000);

// A case that kills the server fails by itself; the next one gets a fresh server.
beforeEach(async () => {
  if (!served.app.running()) served = await startServe();
}, 120_000);

afterAll(async () => {
  await served?.app.stop();
});

type Headers = (s: ServedApp) => Record<string, string>;
const host: Headers = (s) => ({ Host: s.host });
const ourCookieName = (s: ServedApp) => s.cookie.slice(0, s.cookie.indexOf('='));

describe('web host process: malformed HTTP requests', () => {
  const cases: [label: string, requestLine: (s: ServedApp) => string, headers: Headers, status: number][] = [
    ['a badly encoded cookie of the old shared name, no token', () => 'GET / HTTP/1.1', (s) => ({ ...host(s), Cookie: `netwright_token=${BAD_ENCODING}` }), 401],
    ['a badly encoded cookie of our name', () => 'GET / HTTP/1.1', (s) => ({ ...host(s), Cookie: `${ourCookieName(s)}=${BAD_ENCODING}` }), 403],
    ['a planted bad cookie next to the right token', (s) => `GET /?token=${s.token} HTTP/1.1`, (s) => ({ ...host(s), Cookie: `${ourCookieName(s)}=${BAD_ENCODING}` }), 200],
    ['a planted bad cookie before the right cookie', () => 'GET / HTTP/1.1', (s) => ({ ...host(s), Cookie: `${ourCookieName(s)}=${BAD_ENCODING}; ${s.cookie}` }), 200],
    ['a request line whose target is no URL', () => 'GET http://[ HTTP/1.1', host, 400],
    ['an unparseable target with the token', (s) => `GET http://[/?token=${s.token} HTTP/1.1`, host, 400],
    ['a badly encoded path', () => `GET /${BAD_ENCODING} HTTP/1.1`, (s) => ({ ...host(s), Cookie: s.cookie }), 404],
    ['a badly encoded token in the query', () => `GET /?token=${BAD_ENCODING} HTTP/1.1`, host, 403],
    ['a Host header that is no host', () => 'GET / HTTP/1.1', (s) => ({ Host: '[', Cookie: s.cookie }), 403],
    ['an Origin of "null"', () => 'GET / HTTP/1.1', (s) => ({ ...host(s), Cookie: s.cookie, Origin: 'null' }), 403],
    ['headers larger than the parser allows', () => 'GET / HTTP/1.1', (s) => ({ ...host(s), Cookie: `pad=${'x'.repeat(20_000)}` }), 431],
    ['a request line that is not HTTP', () => 'HELLO THERE', host, 400],
    ['a CONNECT request (closed unanswered: no tunnels here)', () => 'CONNECT example.com:443 HTTP/1.1', host, 0],
    ['a header name with a control character', () => 'GET / HTTP/1.1', (s) => ({ ...host(s), 'Broken\u0001Header': 'x' }), 400],
  ];

  it.each(cases)('answers %s and keeps serving', async (_label, requestLine, headers, status) => {
    const reply = await rawExchange(served.port, rawRequest(requestLine(served), headers(served)));
    expect(reply.status, reply.text.slice(0, 300)).toBe(status);
    await expectStillServing(served);
  });

  it('survives a client that resets the connection halfway through its headers', async () => {
    const socket = await openTcp(served.port);
    socket.on('error', () => undefined);
    socket.write(`GET / HTTP/1.1\r\nHost: ${served.host}\r\nCookie: ${served.cookie}\r\nX-Half: `);
    await new Promise((r) => setTimeout(r, 50));
    socket.resetAndDestroy();
    await expectStillServing(served);
  });
});

describe('web host process: malformed WebSocket upgrades', () => {
  const cases: [label: string, requestLine: (s: ServedApp) => string, headers: Headers, status: number][] = [
    ['a badly encoded cookie of the old shared name', () => 'GET /api HTTP/1.1', (s) => ({ ...host(s), Cookie: `netwright_token=${BAD_ENCODING}` }), 401],
    ['a badly encoded cookie of our name', () => 'GET /api HTTP/1.1', (s) => ({ ...host(s), Cookie: `${ourCookieName(s)}=${BAD_ENCODING}` }), 403],
    ['a request line whose target is no URL', () => 'GET http://[ HTTP/1.1', (s) => ({ ...host(s), Cookie: s.cookie }), 400],
    ['a badly encoded token in the query', () => `GET /api?token=${BAD_ENCODING} HTTP/1.1`, host, 403],
    ['another path', () => 'GET /nope HTTP/1.1', (s) => ({ ...host(s), Cookie: s.cookie }), 404],
    ['a Host header that is no host', () => 'GET /api HTTP/1.1', (s) => ({ Host: '[', Cookie: s.cookie }), 403],
  ];

  it.each(cases)('answers %s and keeps serving', async (_label, requestLine, headers, status) => {
    const reply = await rawExchange(served.port, rawRequest(requestLine(served), upgradeHeaders(headers(served))));
    expect(reply.status, reply.text.slice(0, 300)).toBe(status);
    await expectStillServing(served);
  });

  it('accepts the right cookie even with a planted bad one of the same name before it', async () => {
    const { status, ws } = await RawWebSocket.open(served.port, { ...host(served), Cookie: `${ourCookieName(served)}=${BAD_ENCODING}; ${served.cookie}` });
    expect(status).toBe(101);
    ws?.reset();
    await expectStillServing(served);
  });

  it('refuses an upgrade without a WebSocket key', async () => {
    const headers = upgradeHeaders({ ...host(served), Cookie: served.cookie });
    delete headers['Sec-WebSocket-Key'];
    const reply = await rawExchange(served.port, rawRequest('GET /api HTTP/1.1', headers));
    expect(reply.status).toBe(400);
    await expectStillServing(served);
  });

  it('survives a client that resets the connection during the upgrade', async () => {
    const socket = await openTcp(served.port);
    socket.on('error', () => undefined);
    socket.write(rawRequest('GET /api HTTP/1.1', upgradeHeaders({ ...host(served), Cookie: served.cookie })));
    socket.resetAndDestroy();
    await expectStillServing(served);
  });
});

describe('web host process: bad WebSocket frames', () => {
  const invalidUtf8 = Buffer.from([0xff, 0xfe, 0xfd]);
  const closeWithBadReason = Buffer.concat([Buffer.from([0x03, 0xe8]), invalidUtf8]);
  const cases: [label: string, frame: () => Buffer, closeCode: number][] = [
    ['a text frame that is not valid UTF-8', () => clientFrame(OPCODE.text, invalidUtf8), 1007],
    ['a text frame whose UTF-8 breaks off mid-character', () => clientFrame(OPCODE.text, Buffer.from([0x7b, 0xe2, 0x82])), 1007],
    ['a message over the size limit', () => clientFrame(OPCODE.text, Buffer.alloc(0), { declaredLength: MAX_MESSAGE_BYTES + 1 }), 1009],
    ['an unmasked client frame', () => clientFrame(OPCODE.text, Buffer.from('{}'), { masked: false }), 1002],
    ['a reserved opcode', () => clientFrame(0x3, Buffer.from('x')), 1002],
    ['RSV1 set without compression', () => clientFrame(OPCODE.text, Buffer.from('{}'), { rsv1: true }), 1002],
    ['a fragmented ping', () => clientFrame(OPCODE.ping, Buffer.from('x'), { fin: false }), 1002],
    ['a continuation without a first fragment', () => clientFrame(OPCODE.continuation, Buffer.from('x')), 1002],
    ['a close frame whose reason is not UTF-8', () => clientFrame(OPCODE.close, closeWithBadReason), 1007],
    ['a close frame with a reserved code', () => clientFrame(OPCODE.close, Buffer.from([0x03, 0xed])), 1002],
  ];

  it.each(cases)('closes the connection on %s and keeps serving', async (_label, frame, closeCode) => {
    const { status, ws } = await RawWebSocket.open(served.port, { ...host(served), Cookie: served.cookie });
    expect(status).toBe(101);
    ws?.send(frame());
    expect(await ws?.closeCode()).toBe(closeCode);
    await ws?.closed();
    await expectStillServing(served);
  });

  it('survives a client that resets mid-frame, and one that resets while its request is answered', async () => {
    const first = await RawWebSocket.open(served.port, { ...host(served), Cookie: served.cookie });
    first.ws?.send(clientFrame(OPCODE.text, Buffer.from('{"kind":"request"'), { declaredLength: 1000 }).subarray(0, 20));
    first.ws?.reset();
    const second = await RawWebSocket.open(served.port, { ...host(served), Cookie: served.cookie });
    second.ws?.sendText(JSON.stringify({ kind: 'request', id: 5, channel: 'app.info', payload: {} }));
    second.ws?.reset();
    await expectStillServing(served);
  });
});
