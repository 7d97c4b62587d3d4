import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_COOKIE, TOKEN_PARAM } from '../../../src-shared/api';

/** The loopback address the web host binds to: never anything else. */
export const LOOPBACK = '127.0.0.1';

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; reason: string };

function allowedHosts(port: number): Set<string> {
  return new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
}

/**
 * The token cookie's name for the server on `port`. Browsers share cookies between all ports of
 * 127.0.0.1, so one fixed name would let two Netwright servers overwrite each other's token.
 */
export function tokenCookieName(port: number): string {
  return `${TOKEN_COOKIE}_${port}`;
}

/**
 * The request's target resolved against this server, or null when it can't be parsed
 * (a raw request line such as `GET http://[ HTTP/1.1` reaches the handler as is).
 */
export function requestUrl(request: IncomingMessage, port: number): URL | null {
  try {
    return new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
  } catch {
    return null;
  }
}

function decodeCookieValue(raw: string): string {
  const unquoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  try {
    return decodeURIComponent(unquoted);
  } catch {
    // Bad percent-encoding can't be our token (we never write one), but it must not end the server.
    return unquoted;
  }
}

/**
 * Every token the request offers: in the query and in each cookie of our name. Any page on another
 * 127.0.0.1 port can plant cookies here (even several of our name, with other paths), so one
 * garbage value must not hide the real one.
 */
function offeredTokens(request: IncomingMessage, url: URL, port: number): string[] {
  const offered = url.searchParams.getAll(TOKEN_PARAM);
  const name = tokenCookieName(port);
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0 || part.slice(0, equals).trim() !== name) continue;
    offered.push(decodeCookieValue(part.slice(equals + 1).trim()));
  }
  return offered;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Decides whether a request may reach the app: the Host and Origin headers must name this
 * loopback server (so a foreign page can't drive it through DNS rebinding), and the per-launch
 * token must come with it, in the query or in the cookie set when the app was first opened.
 */
export function checkAccess(request: IncomingMessage, url: URL, port: number, token: string): AccessDecision {
  const hosts = allowedHosts(port);
  const host = request.headers.host;
  if (!host || !hosts.has(host.toLowerCase())) {
    return { ok: false, status: 403, reason: `Host header '${host ?? ''}' is not this Netwright server.` };
  }
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      const parsed = new URL(origin);
      originHost = parsed.protocol === 'http:' ? parsed.host : '';
    } catch {
      originHost = '';
    }
    if (!hosts.has(originHost.toLowerCase())) {
      return { ok: false, status: 403, reason: `Origin '${origin}' may not use this Netwright server.` };
    }
  }
  const offered = offeredTokens(request, url, port);
  if (offered.length === 0) return { ok: false, status: 401, reason: 'An access token is required: open the address Netwright printed at start.' };
  if (!offered.some((given) => sameToken(given, token))) {
    return { ok: false, status: 403, reason: 'Wrong access token: open the address Netwright printed at this start.' };
  }
  return { ok: true };
}

/** HttpOnly: the page never reads it, the browser just sends it back with assets and the WebSocket. */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
