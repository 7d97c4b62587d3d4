import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlerContext } from '../api/context';
import { createApiHandlers } from '../api/handlers';
import { exportDownload } from '../hosts/web/exportDownload';
import { startWebHost, type WebHost } from '../hosts/web/webHost';
import { appPaths } from '../paths';
import { z } from 'zod';
import { parseFlags, usageLine, type Flag } from './args';
import type { CliCommand, CliIO } from './command';

const here = path.dirname(fileURLToPath(import.meta.url));

/** `--port N`: 0 asks the system for a free port. */
export const portFlag = { type: 'number', value: 'N', schema: z.number().int().min(0).max(65535) } as const satisfies Flag;
const flags = { port: portFlag } as const;

/** Starts the web host and keeps it running until the process is interrupted. */
export async function serveUntilInterrupted(port: number, io: CliIO, announce: (host: WebHost) => string): Promise<number> {
  const { rendererDir, mainDir } = appPaths(here);
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    io.err(`The renderer is not built (${rendererDir} has no index.html). Run \`npm run build\` first.`);
    return 1;
  }
  const context = createHandlerContext('web', { mainDir });
  const host = await startWebHost({ port, rendererDir, handlers: createApiHandlers(context), exportDownload: (query) => exportDownload(context.guard, query) });
  context.events.emit = (event, payload) => host.broadcast(event, payload);
  io.out(announce(host));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  // Libraries (TensorFlow.js backends) may keep handles open; don't let them keep a stopped server alive.
  setTimeout(() => process.exit(0), 500).unref();
  return 0;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the app in your browser on 127.0.0.1 (no Electron needed).',
  usage: usageLine('serve', '', flags),
  async run(args, io) {
    const { values } = parseFlags({ flags }, args);
    return serveUntilInterrupted(values.port ?? 0, io, (host) => `Netwright is running at ${host.url}  (press Ctrl+C to stop)`);
  },
};
