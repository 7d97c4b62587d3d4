// Builds everything `npm start` and the tests need: the renderer (Vite) and the
// main-process bundles (esbuild): CLI, web host, Electron main and its sandboxed preload.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist');

if (process.argv.includes('--if-missing') && existsSync(path.join(out, 'main', 'cli.js')) && existsSync(path.join(out, 'renderer', 'index.html'))) {
  process.exit(0);
}

const started = Date.now();
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const common = { define: { __NETWRIGHT_VERSION__: JSON.stringify(version) }, bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

await Promise.all([
  // CLI, web host and the training worker: ESM, dependencies stay in node_modules.
  esbuild({ ...common, entryPoints: { cli: 'src-main/cli.ts', 'training-worker': 'src-main/training/trainingWorker.ts', 'replica-worker': 'src-main/training/parallel/replicaWorker.ts' }, outdir: 'dist/main', format: 'esm', packages: 'external' }),
  // Electron main: CommonJS, electron and dependencies external.
  // import.meta.url is given a CommonJS equivalent so shared main-process modules work in both formats.
  esbuild({
    ...common,
    entryPoints: { 'electron-main': 'src-main/hosts/electron/main.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    packages: 'external',
    define: { ...common.define, 'import.meta.url': '__netwrightModuleUrl' },
    banner: { js: "const __netwrightModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  // Sandboxed preloads can only require('electron'): bundle everything else in.
  esbuild({ ...common, entryPoints: { preload: 'src-main/hosts/electron/preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, format: 'cjs', external: ['electron'] }),
]);

await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

console.log(`Built Netwright into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
