import { join } from 'node:path';
import { ApiError } from '../../src-shared/api';
import { exportModel, isExportError, supportedTargets } from '../export/exportModel';
import { openTrainedRun, type TrainedRun } from '../export/runWeights';
import { defaultWorkspaceDir } from '../files/workspace';
import { UsageError, type CliCommand } from './command';
import { loadCliDocument, type LoadedDocument } from './document';

const TARGETS = ['keras', 'pytorch', 'tfjs', 'onnx'] as const;
type Target = (typeof TARGETS)[number];

interface ExportArgs {
  file: string | null;
  template: string | null;
  to: Target | null;
  out: string | null;
  withTraining: boolean;
  /** A run id in the workspace's runs folder, or a run folder: export its trained weights. */
  weights: string | null;
}

function optionValue(args: readonly string[], i: number, name: string): { value: string; next: number } {
  const arg = args[i] as string;
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), next: i };
  const value = args[i + 1];
  if (value === undefined || value.startsWith('-')) throw new UsageError(`${name} needs a value.`);
  return { value, next: i + 1 };
}

function parseArgs(args: readonly string[]): ExportArgs {
  const parsed: ExportArgs = { file: null, template: null, to: null, out: null, withTraining: false, weights: null };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const option = arg.split('=')[0] as string;
    if (option === '--template' || option === '--to' || option === '-o' || option === '--out' || option === '--weights') {
      const { value, next } = optionValue(args, i, option);
      i = next;
      if (option === '--template') parsed.template = value;
      else if (option === '--weights') parsed.weights = value;
      else if (option === '--to') {
        if (!(TARGETS as readonly string[]).includes(value)) throw new UsageError(`unknown target '${value}'. Targets: ${TARGETS.join(', ')}.`);
        parsed.to = value as Target;
      } else parsed.out = value;
    } else if (arg === '--with-training') parsed.withTraining = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'.`);
    else if (parsed.file === null) parsed.file = arg;
    else throw new UsageError(`one file at a time (got '${parsed.file}' and '${arg}').`);
  }
  if (parsed.file !== null && parsed.template !== null) throw new UsageError('give either a .netwright file or --template NAME, not both.');
  if (parsed.file === null && parsed.template === null && parsed.weights === null) throw new UsageError('give a .netwright file, --template NAME or --weights RUN.');
  if (parsed.to === null) throw new UsageError(`--to is required (${TARGETS.join(', ')}).`);
  if (parsed.out === null) throw new UsageError('-o DIR is required.');
  if (parsed.withTraining && parsed.to !== 'pytorch') throw new UsageError('--with-training writes train.py, for --to pytorch only.');
  return parsed;
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
  usage: 'export <file | --template NAME | --weights RUN> --to keras|pytorch|tfjs|onnx -o DIR [--weights RUN] [--with-training (pytorch: also train.py)]',
  async run(args, io) {
    const parsed = parseArgs(args);
    const target = parsed.to as Target;
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
      const out = parsed.out as string;
      const job = { document: loaded.document, name: loaded.name, target, model: run?.model ?? null, config: run?.record.config ?? null, withTraining: parsed.withTraining };
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
