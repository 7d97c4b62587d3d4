import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { PyTorchExportError } from '../../src-shared/export/pytorch';
import { TfjsExportError } from '../../src-shared/export/tfjs';
import { parseDocumentText } from '../../src-shared/graph/parse';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { getTemplate, templateNames } from '../../src-shared/templates/index';
import { CompileError } from '../compiler/compile';
import { exportModel } from '../export/exportModel';
import { UsageError, type CliCommand } from './command';

const TARGETS = ['keras', 'pytorch', 'tfjs', 'onnx'] as const;
type Target = (typeof TARGETS)[number];

interface ExportArgs {
  file: string | null;
  template: string | null;
  to: Target | null;
  out: string | null;
  withTraining: boolean;
}

function optionValue(args: readonly string[], i: number, name: string): { value: string; next: number } {
  const arg = args[i] as string;
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), next: i };
  const value = args[i + 1];
  if (value === undefined || value.startsWith('-')) throw new UsageError(`${name} needs a value.`);
  return { value, next: i + 1 };
}

function parseArgs(args: readonly string[]): ExportArgs {
  const parsed: ExportArgs = { file: null, template: null, to: null, out: null, withTraining: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const option = arg.split('=')[0] as string;
    if (option === '--template' || option === '--to' || option === '-o' || option === '--out') {
      const { value, next } = optionValue(args, i, option);
      i = next;
      if (option === '--template') parsed.template = value;
      else if (option === '--to') {
        if (!(TARGETS as readonly string[]).includes(value)) throw new UsageError(`unknown target '${value}'. Targets: ${TARGETS.join(', ')}.`);
        parsed.to = value as Target;
      } else parsed.out = value;
    } else if (arg === '--with-training') parsed.withTraining = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'.`);
    else if (parsed.file === null) parsed.file = arg;
    else throw new UsageError(`one file at a time (got '${parsed.file}' and '${arg}').`);
  }
  if ((parsed.file === null) === (parsed.template === null)) throw new UsageError('give either a .netwright file or --template NAME.');
  if (parsed.to === null) throw new UsageError(`--to is required (${TARGETS.join(', ')}).`);
  if (parsed.out === null) throw new UsageError('-o DIR is required.');
  if (parsed.withTraining && parsed.to !== 'pytorch') throw new UsageError('--with-training writes train.py, for --to pytorch only.');
  return parsed;
}

async function load(args: ExportArgs): Promise<{ ok: true; document: GraphDocument; name: string } | { ok: false; error: string }> {
  if (args.template !== null) {
    const template = getTemplate(args.template);
    if (!template) throw new UsageError(`unknown template '${args.template}'. Templates: ${templateNames.join(', ')}.`);
    return { ok: true, document: template.build(), name: template.name };
  }
  const file = args.file as string;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = parseDocumentText(text);
  return parsed.ok ? { ok: true, document: parsed.document, name: basename(file, extname(file)) } : { ok: false, error: `${file}: ${parsed.error}` };
}

/**
 * `netwright export <file | --template NAME> --to pytorch|tfjs -o DIR`: PyTorch writes DIR/<name>.py
 * (`class Net(nn.Module)`), plus DIR/train.py with --with-training; TF.js writes DIR/model.js (an ES
 * module building the model with tf.layers) and DIR/model.json + weights.bin (a seeded fresh model).
 * Other targets answer "not yet". Exits 1 when the graph cannot be exported.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export a model as code (PyTorch, TF.js)',
  usage: 'export <file | --template NAME> --to keras|pytorch|tfjs|onnx -o DIR [--with-training (pytorch: also train.py)]',
  async run(args, io) {
    const parsed = parseArgs(args);
    if (parsed.to !== 'pytorch' && parsed.to !== 'tfjs') {
      io.err(`netwright export: --to ${parsed.to} is not yet supported; pytorch and tfjs are.`);
      return 2;
    }
    const loaded = await load(parsed);
    if (!loaded.ok) {
      io.err(`netwright export: ${loaded.error}`);
      return 1;
    }
    const out = parsed.out as string;
    try {
      const job = { document: loaded.document, name: loaded.name, target: parsed.to, model: null, config: null, withTraining: parsed.withTraining };
      const result = await exportModel(job, out);
      for (const file of result.files) io.out(`Wrote ${join(out, file.name)}`);
    } catch (error) {
      if (!(error instanceof PyTorchExportError || error instanceof TfjsExportError || error instanceof CompileError)) throw error;
      io.err(`netwright export: ${error.message}`);
      return 1;
    }
    return 0;
  },
};
