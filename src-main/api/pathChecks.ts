import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import { namesPath, type DatasetChoice } from '../../src-shared/training/config';
import { exportFolderName } from '../export/exportHandler';
import { isWithin, realPathOf, type PathGuard } from '../files/pathGuard';
import type { RunStore } from '../runs/runStore';

/**
 * A dataset named over the API (CSV or text file, image folder) must exist and stay inside the allowed
 * places. Returns the choice with its real, absolute path: the run records it, so inspecting the run
 * later reads the same data wherever the process runs from. (The CLI reads any path: it is the user.)
 */
export async function checkDatasetPath(choice: DatasetChoice, guard: PathGuard): Promise<DatasetChoice> {
  if (!namesPath(choice)) return choice;
  const what = { csv: 'The CSV file', text: 'The text file', pairs: 'The sentence-pairs file', 'image-folder': 'The image folder' }[choice.kind];
  const target = await guard.resolve(choice.path, { mustExist: true, what });
  const info = await stat(target.real);
  if (choice.kind !== 'image-folder' && !info.isFile()) throw new ApiError(`${what} '${target.shown}' is a folder; name a ${choice.kind === 'csv' ? '.csv' : 'UTF-8 text'} file.`, 'invalid-request');
  if (choice.kind === 'image-folder' && !info.isDirectory()) {
    throw new ApiError(`${what} '${target.shown}' is a file; name a folder with one subfolder of images per class.`, 'invalid-request');
  }
  return { ...choice, path: target.real };
}

/** The runs folder and a run's folder must not lead out of the workspace through a link. */
export async function checkRunsFolder(runs: RunStore, guard: PathGuard, id?: string): Promise<void> {
  await guard.resolve(id === undefined ? runs.dir : runs.runDir(id), { what: id === undefined ? 'The runs folder' : 'The run folder' });
}

/**
 * Keeps only the runs whose folders stay inside `folder` (itself checked by the guard): a run folder
 * linked from elsewhere is not listed. One realpath per run, so a thousand runs list quickly.
 */
export async function runsInside<R extends { id: string }>(runs: readonly R[], folder: string, guard: PathGuard): Promise<R[]> {
  const real = (await guard.resolve(folder, { what: 'The runs folder' })).real;
  const inside = await Promise.all(runs.map((r) => realPathOf(path.join(folder, r.id)).then((p) => isWithin(p.real, real), () => false)));
  return runs.filter((_, i) => inside[i]);
}

/** Where export.model writes: <workspace>/exports/<name>-<target>, refused if a link leads it out. */
export async function checkExportFolder(guard: PathGuard, name: string, target: string): Promise<void> {
  await guard.resolve(path.join(guard.root, 'exports', exportFolderName(name, target)), { what: 'The export folder' });
}
