import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { ApiError, ExportDownloadQuery } from '../../../src-shared/api';
import { isWithin, realPathOf, type PathGuard } from '../../files/pathGuard';

export interface Download {
  /** The name the browser saves it under. */
  name: string;
  contentType: string;
  body: Uint8Array;
}

/** A whole export folder zipped stays in memory: keep it to what an export writes (a big ONNX file is ~500 MB). */
const MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.py': 'text/x-python; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.zip': 'application/zip',
};

/**
 * The web host's download of an export: one file of <workspace>/exports/<folder>, or the folder's files
 * as a zip. The query is validated, and the path must really lead inside the workspace's exports folder
 * (links resolved by the guard), so nothing else of the workspace or the machine can be fetched this way.
 */
export async function exportDownload(guard: PathGuard, params: URLSearchParams): Promise<Download> {
  const parsed = ExportDownloadQuery.safeParse(Object.fromEntries(params));
  if (!parsed.success) throw new ApiError(`Not an export to download: ${parsed.error.issues.map((i) => i.message).join(' ')}`, 'invalid-request');
  const { folder, file } = parsed.data;
  const exports = await guard.resolve(path.join(guard.root, 'exports'), { what: 'The exports folder' });
  const dir = await guard.resolve(path.join(exports.real, folder), { what: 'The export folder', mustExist: true });
  if (!isWithin(dir.real, exports.real) || dir.real === exports.real) throw new ApiError(`'${dir.shown}' is not an export folder.`, 'invalid-request');
  if (file !== undefined) {
    const target = await guard.resolve(path.join(dir.real, file), { what: 'The exported file', mustExist: true });
    if (!isWithin(target.real, dir.real)) throw new ApiError(`'${target.shown}' is not a file of the export '${folder}'.`, 'invalid-request');
    const info = await stat(target.real);
    if (!info.isFile()) throw new ApiError(`'${target.shown}' is not a file.`, 'invalid-request');
    if (info.size > MAX_DOWNLOAD_BYTES) throw new ApiError(`'${target.shown}' is larger than 1 GiB; copy it from the workspace folder instead.`, 'invalid-request');
    return { name: file, contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', body: await readFile(target.real) };
  }
  const entries: Zippable = {};
  let total = 0;
  for (const name of (await readdir(dir.real)).sort()) {
    if (name.startsWith('.')) continue;
    // Each file passes the guard too: a link inside the export folder must not leak what it points at.
    const entry = await realPathOf(path.join(dir.real, name)).catch(() => null);
    if (!entry?.exists || !isWithin(entry.real, dir.real)) continue;
    const info = await stat(entry.real);
    if (!info.isFile()) continue;
    total += info.size;
    if (total > MAX_DOWNLOAD_BYTES) throw new ApiError(`The export '${folder}' is larger than 1 GiB; download its files one by one or copy the folder.`, 'invalid-request');
    entries[`${folder}/${name}`] = await readFile(entry.real);
  }
  if (Object.keys(entries).length === 0) throw new ApiError(`The export '${folder}' has no files; export it again.`, 'invalid-request');
  return { name: `${folder}.zip`, contentType: CONTENT_TYPES['.zip'] as string, body: zipSync(entries, { level: 6 }) };
}
