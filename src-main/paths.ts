import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding Netwright's package.json, found by walking up from `fromDir`.
 * Works from the sources (tests, tsx) and from the bundles in dist/main alike.
 */
export function findAppRoot(fromDir: string): string {
  let dir = fromDir;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (parsed.name === 'netwright') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Could not find Netwright's package.json above ${fromDir}.`);
    dir = parent;
  }
}

export interface AppPaths {
  root: string;
  /** The main-process bundles (CLI, Electron main, preload, training worker). */
  mainDir: string;
  rendererDir: string;
  electronMain: string;
  preload: string;
}

export function appPaths(fromDir: string): AppPaths {
  const root = findAppRoot(fromDir);
  return {
    root,
    mainDir: path.join(root, 'dist', 'main'),
    rendererDir: path.join(root, 'dist', 'renderer'),
    electronMain: path.join(root, 'dist', 'main', 'electron-main.cjs'),
    preload: path.join(root, 'dist', 'main', 'preload.cjs'),
  };
}
