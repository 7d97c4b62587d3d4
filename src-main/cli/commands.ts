import type { CliCommand } from './command';
import { exportCommand } from './export';
import { generateCommand } from './generate';
import { serveCommand } from './serve';
import { startCommand } from './start';
import { summaryCommand } from './summary';
import { templatesCommand } from './templates';
import { trainCommand } from './train';

/** Every `netwright` subcommand. Add a command: one file and one line here. */
export const cliCommands: CliCommand[] = [startCommand, serveCommand, summaryCommand, templatesCommand, trainCommand, exportCommand, generateCommand];
