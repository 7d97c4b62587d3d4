import { cliCommands } from './cli/commands';
import { processIO, UsageError, type CliIO } from './cli/command';
import { APP_VERSION } from './version';

function printHelp(io: CliIO): void {
  io.out(`Netwright ${APP_VERSION}: design neural networks visually.`);
  io.out('');
  io.out('Usage: netwright <command> [options]');
  io.out('');
  // Long usages (train's lists every flag) are cut to their arguments here; `netwright <command> --help` has them whole.
  for (const command of cliCommands) {
    const usage = command.usage.length > 60 ? `${command.usage.split(' [')[0]} [options]` : command.usage;
    io.out(`  ${usage.padEnd(44)} ${command.summary}`);
  }
  io.out('');
  io.out('Run `netwright <command> --help` for the options of one command.');
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp(io);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(APP_VERSION);
    return 0;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) {
    io.err(`netwright: unknown command '${name}'. Commands: ${cliCommands.map((c) => c.name).join(', ')}.`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`Usage: netwright ${command.usage}`);
    io.out(command.summary);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`netwright ${name}: ${error.message}`);
      io.err(`Usage: netwright ${command.usage}`);
      return 2;
    }
    io.err(`netwright ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
