import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_COOKIE, TOKEN_PARAM } from '../../../src-shared/api';

/** The loopback address the web host binds to: never anything else. */
export const LOOPBACK = '127.0.0.1';

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; reason: string };

function allowedHosts(port: number): Set<string> {
  return new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
}

function readToken(request: IncomingMessage): string | undefined {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const fromQuery = url.searchParams.get(TOKEN_PARAM);
  if (fromQuery) return fromQuery;
  const cookies = request.headers.cookie ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
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
export function checkAccess(request: IncomingMessage, port: number, token: string): AccessDecision {
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
  const given = readToken(request);
  if (given === undefined) return { ok: false, status: 401, reason: 'An access token is required: open the address Netwright printed at start.' };
  if (!sameToken(given, token)) return { ok: false, status: 403, reason: 'Wrong access token: open the address Netwright printed at this start.' };
  return { ok: true };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
