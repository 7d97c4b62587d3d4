import { formatSummary, summary } from '../../src-shared/analysis/summary';
import { parseFlags, usageLine, type ArgSpec, type FlagTable } from './args';
import { UsageError, type CliCommand } from './command';
import { loadCliDocument } from './document';

const spec = {
  flags: {
    template: { type: 'string', value: 'NAME' },
    json: { type: 'boolean' },
    expand: { type: 'boolean' },
  },
  positional: 'file',
} as const satisfies ArgSpec<FlagTable>;

/**
 * `netwright summary <file | --template NAME> [--json] [--expand]`: the Keras-style table of a model.
 * Exits 1 when the model has errors (the summary still prints, errors included).
 */
export const summaryCommand: CliCommand = {
  name: 'summary',
  summary: 'Print layers, output shapes, parameters and FLOPs of a model',
  usage: usageLine('summary', '<file | --template NAME>', spec.flags, { omit: ['template'] }),
  async run(args, io) {
    const { values, positional } = parseFlags(spec, args);
    if ((positional === null) === (values.template === undefined)) throw new UsageError('give either a .netwright file or --template NAME.');
    const loaded = await loadCliDocument(positional, values.template ?? null);
    if (!loaded.ok) {
      io.err(`netwright summary: ${loaded.error}`);
      return 1;
    }
    const result = summary(loaded.document, { expandBlocks: values.expand === true });
    io.out(values.json ? JSON.stringify(result, null, 2) : formatSummary(result));
    return result.errors.length > 0 ? 1 : 0;
  },
};
