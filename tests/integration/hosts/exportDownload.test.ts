import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerContext } from '../../../src-main/api/context';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { exportDownload } from '../../../src-main/hosts/web/exportDownload';
import { startWebHost, type WebHost } from '../../../src-main/hosts/web/webHost';
import { EXPORT_DOWNLOAD_PATH } from '../../../src-shared/api';
import { testWorkspace } from '../../support/workspace';

const TOKEN = 'download-token-0123456789';
let host: WebHost;
let workspace: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET as the browser sends it once the app was opened: with the token cookie (unless told otherwise). */
function get(query: string, cookie: string | null = `netwright_token_${host.port}=${TOKEN}`, pathname = EXPORT_DOWNLOAD_PATH): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${host.port}`, ...(cookie ? { cookie } : {}) };
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path: `${pathname}${query}`, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  workspace = testWorkspace();
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'netwright-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Netwright</title>');
  const folder = path.join(workspace, 'exports', 'LeNet-5-pytorch');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'LeNet_5.py'), 'class Net(nn.Module): pass\n');
  writeFileSync(path.join(folder, 'LeNet_5.pt'), Buffer.from([1, 2, 3, 4]));
  // Things a download must never hand out: a document beside the exports, and a secret outside the workspace.
  writeFileSync(path.join(workspace, 'mine.netwright'), '{"secret": "document"}');
  const outside = mkdtempSync(path.join(tmpdir(), 'netwright-outside-'));
  writeFileSync(path.join(outside, 'secret.txt'), 'outside secret');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(folder, 'leak.txt'));
  symlinkSync(outside, path.join(workspace, 'exports', 'linked-out'));
  const context = createHandlerContext('web', { workspaceDir: workspace });
  host = await startWebHost({ port: 0, rendererDir, handlers: createApiHandlers(context), token: TOKEN, exportDownload: (q) => exportDownload(context.guard, q) });
});

afterAll(async () => {
  await host.close();
});

describe('web host: GET /download/export hands an export to the browser', () => {
  it('serves one exported file as an attachment', async () => {
    const answer = await get('?folder=LeNet-5-pytorch&file=LeNet_5.py');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-disposition']).toBe('attachment; filename="LeNet_5.py"');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.body.toString()).toContain('class Net');
  });

  it("serves the whole folder as a zip of its own files, leaving out a link that leads outside", async () => {
    const answer = await get('?folder=LeNet-5-pytorch');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-disposition']).toBe('attachment; filename="LeNet-5-pytorch.zip"');
    const files = unzipSync(new Uint8Array(answer.body));
    expect(Object.keys(files).sort()).toEqual(['LeNet-5-pytorch/LeNet_5.pt', 'LeNet-5-pytorch/LeNet_5.py']);
    expect([...(files['LeNet-5-pytorch/LeNet_5.pt'] ?? [])]).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['no token', '?folder=LeNet-5-pytorch&file=LeNet_5.py', null, 401],
    ['a wrong token', '?folder=LeNet-5-pytorch&file=LeNet_5.py', 'netwright_token_0=x', 401],
    ['a file leading outside the workspace through a link', '?folder=LeNet-5-pytorch&file=leak.txt', undefined, 400],
    ['an export folder linked outside the workspace', '?folder=linked-out&file=secret.txt', undefined, 400],
    ['a path with ..', '?folder=LeNet-5-pytorch&file=../../mine.netwright', undefined, 400],
    ['an encoded path with ..', '?folder=..%2F..&file=mine.netwright', undefined, 400],
    ['an absolute path', `?folder=LeNet-5-pytorch&file=${encodeURIComponent('/etc/passwd')}`, undefined, 400],
    ['a hidden file', '?folder=LeNet-5-pytorch&file=.env', undefined, 400],
    ['a folder that is not there', '?folder=nothing-here', undefined, 400],
    ['a file that is not there', '?folder=LeNet-5-pytorch&file=missing.py', undefined, 400],
    ['an unknown parameter', '?folder=LeNet-5-pytorch&path=/etc/passwd', undefined, 400],
    ['no folder', '', undefined, 400],
  ])('refuses %s', async (_case, query, cookie, status) => {
    const answer = await get(query, cookie);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-disposition']).toBeUndefined();
    expect(answer.body.toString()).not.toMatch(/secret|class Net/);
  });

  it('says why a refused path was refused', async () => {
    const answer = await get('?folder=LeNet-5-pytorch&file=leak.txt');
    expect(answer.body.toString()).toContain('outside the workspace folder');
  });
});
