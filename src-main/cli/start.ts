import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPrecondition, launchElectron, resolveElectronBinary } from '../hosts/electron/launch';
import { appPaths } from '../paths';
import { parseFlags, usageLine } from './args';
import type { CliCommand } from './command';
import { portFlag, serveUntilInterrupted } from './serve';

const here = path.dirname(fileURLToPath(import.meta.url));
const flags = { port: portFlag, web: { type: 'boolean' } } as const;

/** Opens the Electron window, or serves the same app on 127.0.0.1 when Electron can't start. */
export const startCommand: CliCommand = {
  name: 'start',
  summary: 'Open Netwright (Electron window, or the browser fallback when Electron cannot start).',
  usage: usageLine('start', '', flags),
  async run(args, io) {
    const { values } = parseFlags({ flags }, args);
    const port = values.port ?? 0;
    const paths = appPaths(here);

    let reason = values.web ? '--web asks for the web host' : electronPrecondition(process.env, process.platform);
    if (!reason) {
      const allowDownload = !process.env.CI && process.env.NETWRIGHT_NO_ELECTRON_DOWNLOAD !== '1';
      const binary = resolveElectronBinary(paths.root, allowDownload);
      if (binary.ok) {
        const outcome = await launchElectron(binary.binary, paths.electronMain);
        if (outcome.started) return outcome.exitCode;
        reason = outcome.reason;
      } else {
        reason = binary.reason;
      }
    }
    return serveUntilInterrupted(port, io, (host) =>
      `Electron can't start here (${reason}), so Netwright runs in your browser instead: open ${host.url}`,
    );
  },
};
