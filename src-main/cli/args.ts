import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { UsageError } from './command';

/**
 * One declarative flag table per subcommand, parsed by node:util's parseArgs. Numbers are checked
 * against the zod schema the value ends up in (so ranges live in one place), choices come from the
 * shared zod enums, and every mistake is a UsageError: one line, then the usage, exit code 2.
 */
interface FlagBase {
  /** One letter: `-o` for `--out`. */
  short?: string;
  /** The TrainingConfig key the flag sets, so a schema issue at that key is reported as this flag's. */
  field?: string;
}
export type Flag =
  | (FlagBase & { type: 'boolean' })
  /** Free text: a name, a path; `value` names it in the usage line. */
  | (FlagBase & { type: 'string'; value: string })
  /** One of a list; `noun` words the error ("unknown target 'caffe'; choose one of: …"). */
  | (FlagBase & { type: 'choice'; choices: readonly string[]; noun: string })
  /** A number the schema accepts: its own range and whole-number rule. */
  | (FlagBase & { type: 'number'; value: string; schema: z.ZodType });

export type FlagTable = Record<string, Flag>;

export type FlagValues<T extends FlagTable> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : T[K] extends { type: 'number' } ? number : string;
};

export interface ArgSpec<T extends FlagTable> {
  flags: T;
  /** At most one positional argument, named so in messages (e.g. 'file'); none when absent. */
  positional?: string;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

type Issue = z.core.$ZodIssue;

/** A zod issue about one flag's value, in the flag's words: "--epochs must be at least 1, got '0'." */
export function flagIssueMessage(flag: string, issue: Issue, raw?: string): string {
  const got = raw === undefined ? '.' : `, got '${raw}'.`;
  switch (issue.code) {
    case 'too_small':
      return `${flag} must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}${got}`;
    case 'too_big':
      return `${flag} must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}${got}`;
    case 'invalid_type':
      return `${flag} must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}${got}`;
    default:
      return `${flag}: ${issue.message}${got}`;
  }
}

function wholeNumbersOnly(schema: z.ZodType): boolean {
  return schema.safeParse(0.5).error?.issues.some((i) => i.code === 'invalid_type' && i.expected === 'int') ?? false;
}

function parseNumber(flag: string, raw: string, schema: z.ZodType): number {
  const value = NUMBER.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value)) throw new UsageError(`${flag} must be ${wholeNumbersOnly(schema) ? 'a whole number' : 'a number'}, got '${raw}'.`);
  const checked = schema.safeParse(value);
  if (!checked.success) throw new UsageError(flagIssueMessage(flag, checked.error.issues[0] as Issue, raw));
  return value;
}

/** `--epochs -1` as `--epochs=-1`: parseArgs would take '-1' for an option, and the range check should answer. */
function joinNegativeNumbers(args: readonly string[], flags: FlagTable): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (arg.startsWith('--') && flags[arg.slice(2)]?.type === 'number' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** parseArgs' own errors, reworded in the CLI's voice. */
function usageErrorFrom(error: unknown): UsageError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-{1,2}[^' ,]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option '${option}'.`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return new UsageError(`${option} takes no value.`);
    if (/argument missing|ambiguous/.test(message)) return new UsageError(`${option} needs a value.`);
  }
  return new UsageError(message.split('\n')[0] as string);
}

/**
 * Parses `args` against a flag table. Unknown flags, missing values, numbers out of the schema's
 * range, unknown choices and surplus arguments are UsageErrors.
 *
 * @example
 * const { values, positional } = parseFlags({ flags: { json: { type: 'boolean' } }, positional: 'file' }, ['x.netwright', '--json']);
 */
export function parseFlags<T extends FlagTable>(spec: ArgSpec<T>, args: string[]): { values: FlagValues<T>; positional: string | null } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = { type: flag.type === 'boolean' ? 'boolean' : 'string', ...(flag.short ? { short: flag.short } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(args, spec.flags), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const values: Record<string, string | number | boolean> = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const flag = spec.flags[name] as Flag;
    if (typeof raw === 'boolean' || flag.type === 'boolean' || raw === undefined || Array.isArray(raw)) {
      values[name] = raw === true;
      continue;
    }
    const text = String(raw);
    if (flag.type === 'number') values[name] = parseNumber(`--${name}`, text, flag.schema);
    else if (flag.type === 'choice' && !flag.choices.includes(text)) throw new UsageError(`unknown ${flag.noun} '${text}'; choose one of: ${flag.choices.join(', ')}.`);
    else values[name] = text;
  }
  const [first, second] = parsed.positionals;
  if (first !== undefined && !spec.positional) throw new UsageError(`unexpected argument '${first}'.`);
  if (second !== undefined) throw new UsageError(`one ${spec.positional ?? 'argument'} at a time (got '${first}' and '${second}').`);
  return { values: values as FlagValues<T>, positional: first ?? null };
}

/**
 * The usage line of a command, from its flag table: `train <file | --template NAME> [--epochs N] [--json]`.
 * `omit` leaves out flags the lead already shows; `required` drops their brackets.
 */
export function usageLine(command: string, lead: string, flags: FlagTable, options: { required?: readonly string[]; omit?: readonly string[] } = {}): string {
  const { required = [], omit = [] } = options;
  const parts = Object.entries(flags).filter(([name]) => !omit.includes(name)).map(([name, flag]) => {
    const dashes = flag.short ? `-${flag.short}` : `--${name}`;
    const text = flag.type === 'boolean' ? dashes : `${dashes} ${flag.type === 'choice' ? flag.choices.join('|') : flag.value}`;
    return required.includes(name) ? text : `[${text}]`;
  });
  return [command, lead, ...parts].filter(Boolean).join(' ');
}
