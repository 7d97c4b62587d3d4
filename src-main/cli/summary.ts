import { formatSummary, summary } from '../../src-shared/analysis/summary';
import { UsageError, type CliCommand } from './command';
import { loadCliDocument } from './document';

interface SummaryArgs {
  file: string | null;
  template: string | null;
  json: boolean;
  expand: boolean;
}

function parseArgs(args: readonly string[]): SummaryArgs {
  const parsed: SummaryArgs = { file: null, template: null, json: false, expand: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') parsed.json = true;
    else if (arg === '--expand') parsed.expand = true;
    else if (arg === '--template' || arg.startsWith('--template=')) {
      const value = arg === '--template' ? args[++i] : arg.slice('--template='.length);
      if (!value) throw new UsageError('--template needs a name; `netwright templates` lists them.');
      parsed.template = value;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'.`);
    else if (parsed.file === null) parsed.file = arg;
    else throw new UsageError(`one file at a time (got '${parsed.file}' and '${arg}').`);
  }
  if ((parsed.file === null) === (parsed.template === null)) throw new UsageError('give either a .netwright file or --template NAME.');
  return parsed;
}

/**
 * `netwright summary <file | --template NAME> [--json] [--expand]`: the Keras-style table of a model.
 * Exits 1 when the model has errors (the summary still prints, errors included).
 */
export const summaryCommand: CliCommand = {
  name: 'summary',
  summary: 'Print layers, output shapes, parameters and FLOPs of a model',
  usage: 'summary <file | --template NAME> [--json] [--expand]',
  async run(args, io) {
    const parsed = parseArgs(args);
    const loaded = await loadCliDocument(parsed.file, parsed.template);
    if (!loaded.ok) {
      io.err(`netwright summary: ${loaded.error}`);
      return 1;
    }
    const result = summary(loaded.document, { expandBlocks: parsed.expand });
    io.out(parsed.json ? JSON.stringify(result, null, 2) : formatSummary(result));
    return result.errors.length > 0 ? 1 : 0;
  },
};
