#!/usr/bin/env node
// Entry point for `npx netwright`: runs the built CLI, building it first if needed.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'dist', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error('Netwright is not built yet; building it now (npm run build)...');
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const { main } = await import(cli);
process.exitCode = await main(process.argv.slice(2));
