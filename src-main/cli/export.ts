import { join } from 'node:path';
import { ApiError } from '../../src-shared/api';
import { ExportTarget } from '../../src-shared/api/exports';
import { exportModel, isExportError, supportedTargets } from '../export/exportModel';
import { openTrainedRun, type TrainedRun } from '../export/runWeights';
import { defaultWorkspaceDir } from '../files/workspace';
import { parseFlags, usageLine, type ArgSpec, type FlagTable } from './args';
import { UsageError, type CliCommand } from './command';
import { loadCliDocument, type LoadedDocument } from './document';

const spec = {
  flags: {
    template: { type: 'string', value: 'NAME' },
    weights: { type: 'string', value: 'RUN' },
    to: { type: 'choice', choices: ExportTarget.options, noun: 'target' },
    out: { type: 'string', value: 'DIR', short: 'o' },
    'with-training': { type: 'boolean' },
  },
  positional: 'file',
} as const satisfies ArgSpec<FlagTable>;

interface ExportArgs {
  file: string | null;
  template: string | null;
  to: ExportTarget;
  out: string;
  withTraining: boolean;
  /** A run id in the workspace's runs folder, or a run folder: export its trained weights. */
  weights: string | null;
}

function parseExportArgs(args: string[]): ExportArgs {
  const { values, positional } = parseFlags(spec, args);
  const parsed = { file: positional, template: values.template ?? null, weights: values.weights ?? null, withTraining: values['with-training'] === true };
  if (parsed.file !== null && parsed.template !== null) throw new UsageError('give either a .netwright file or --template NAME, not both.');
  if (parsed.file === null && parsed.template === null && parsed.weights === null) throw new UsageError('give a .netwright file, --template NAME or --weights RUN.');
  if (values.to === undefined) throw new UsageError(`--to is required (${ExportTarget.options.join(', ')}).`);
  if (values.out === undefined) throw new UsageError('-o DIR is required.');
  if (parsed.withTraining && values.to !== 'pytorch') throw new UsageError('--with-training writes train.py, for --to pytorch only.');
  return { ...parsed, to: values.to as ExportTarget, out: values.out };
}

async function load(args: ExportArgs, run: TrainedRun | null): Promise<LoadedDocument> {
  // --weights alone: the graph the run trained, as its run.json recorded it.
  if (run && args.file === null && args.template === null) return { ok: true, document: run.record.document, name: run.record.template ?? run.record.document.name };
  return loadCliDocument(args.file, args.template);
}

/** The run behind --weights, or null; an error message when it cannot be loaded. */
async function openRun(args: ExportArgs): Promise<{ ok: true; run: TrainedRun | null } | { ok: false; error: string }> {
  if (args.weights === null) return { ok: true, run: null };
  try {
    return { ok: true, run: await openTrainedRun(args.weights, join(defaultWorkspaceDir(), 'runs')) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.message };
    return { ok: false, error: `cannot read run '${args.weights}': ${error instanceof Error ? error.message : String(error)}` };
  }
}

const WEIGHT_FILES = /\.(pt|bin|onnx)$/;

/**
 * `netwright export <file | --template NAME | --weights RUN> --to TARGET -o DIR [--weights RUN] [--with-training]`:
 * the same writers as the app's File › Export. --weights adds a run's trained weights (its best
 * checkpoint, else its last); alone, it exports the graph the run trained. Exits 1 when the graph or
 * run cannot be exported, 2 for a target this build does not write.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: "Export a model as code and model files, optionally with a run's trained weights",
  usage: usageLine('export', '<file | --template NAME | --weights RUN>', spec.flags, { omit: ['template'], required: ['to', 'out'] }),
  async run(args, io) {
    const parsed = parseExportArgs(args);
    const target = parsed.to;
    const supported = supportedTargets();
    if (!supported.includes(target)) {
      io.err(`netwright export: --to ${target} is not yet supported; ${supported.join(' and ')} are.`);
      return 2;
    }
    const opened = await openRun(parsed);
    if (!opened.ok) {
      io.err(`netwright export: ${opened.error}`);
      return 1;
    }
    const run = opened.run;
    try {
      const loaded = await load(parsed, run);
      if (!loaded.ok) {
        io.err(`netwright export: ${loaded.error}`);
        return 1;
      }
      const out = parsed.out;
      const job = { document: loaded.document, name: loaded.name, target, model: run?.model ?? null, config: run?.record.config ?? null, withTraining: parsed.withTraining, language: run?.language ?? null, translation: run?.translation ?? null };
      const result = await exportModel(job, out);
      for (const file of result.files) {
        const origin = run && WEIGHT_FILES.test(file.name) ? ` (trained weights: run '${run.record.name}', ${run.checkpoint} checkpoint)` : '';
        io.out(`Wrote ${join(out, file.name)}${origin}`);
      }
      for (const note of result.notes) io.out(`Note: ${note}`);
      return 0;
    } catch (error) {
      if (!isExportError(error)) throw error;
      io.err(`netwright export: ${error.message}`);
      return 1;
    } finally {
      run?.model.dispose();
    }
  },
};
