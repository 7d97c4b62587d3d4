import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api';
import { languageChannels } from '../../src-shared/api/language';
import { locateRun } from '../export/runWeights';
import { defaultWorkspaceDir } from '../files/workspace';
import { generateFromRun } from '../runs/languageSample';
import { parseFlags, usageLine, type ArgSpec, type FlagTable } from './args';
import { UsageError, type CliCommand } from './command';

const request = languageChannels['runs.generateText'].request.shape;

const spec = {
  flags: {
    prompt: { type: 'string', value: 'TEXT' },
    count: { type: 'number', value: 'N', schema: request.count.unwrap() },
    temperature: { type: 'number', value: 'X', schema: request.temperature.unwrap() },
    seed: { type: 'number', value: 'N', schema: z.number().int().min(0).max(2 ** 31 - 1) },
  },
  positional: 'run',
} as const satisfies ArgSpec<FlagTable>;

/**
 * `netwright generate RUN [--prompt TEXT] [--count N] [--temperature X] [--seed N]`: a language-model
 * run continues the prompt, as the runs browser's Write text does (greedy at temperature 0, the
 * default; drawn at a higher one). Exits 1 when the run is no language model or has no weights yet.
 */
export const generateCommand: CliCommand = {
  name: 'generate',
  summary: "Write text with a language-model run: a prompt's continuation",
  usage: usageLine('generate', '<run folder | run id>', spec.flags),
  async run(args, io) {
    const { values, positional } = parseFlags(spec, args);
    if (positional === null) throw new UsageError('name the run: its folder, or its id in the workspace\'s runs folder.');
    try {
      const { store, id } = await locateRun(positional, join(defaultWorkspaceDir(), 'runs'));
      const text = await generateFromRun(store, { id, prompt: values.prompt ?? '', count: values.count ?? 50, temperature: values.temperature ?? 0, ...(values.seed === undefined ? {} : { seed: values.seed }) });
      io.out(`${text.prompt}${text.continuation}`);
      if (text.unknownTokens > 0) io.err(`Note: ${text.unknownTokens} ${text.unit === 'char' ? 'character' : 'word'}${text.unknownTokens === 1 ? '' : 's'} of the prompt are not in the vocabulary and read as <unk>.`);
      return 0;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      io.err(`netwright generate: ${error.message}`);
      return 1;
    }
  },
};
