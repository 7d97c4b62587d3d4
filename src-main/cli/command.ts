/** One `netwright <name>` subcommand. `run` returns the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Where a command writes; tests pass their own to capture output. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** Raised for bad arguments: printed with the usage, exit code 2. */
export class UsageError extends Error {}
