import { mkdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { exportKeras } from '../../src-shared/export/keras';
import { KerasExportError } from '../../src-shared/export/kerasGraph';
import { exportKerasJson } from '../../src-shared/export/kerasJson';
import { exportPyTorch, PyTorchExportError, pythonIdentifier } from '../../src-shared/export/pytorch';
import { parseDocumentText } from '../../src-shared/graph/parse';
import type { GraphDocument } from '../../src-shared/graph/schema';
import { getTemplate, templateNames } from '../../src-shared/templates/index';
import { writeFileAtomic } from '../files/atomicWrite';
import { UsageError, type CliCommand } from './command';

const TARGETS = ['keras', 'pytorch', 'tfjs', 'onnx'] as const;
type Target = (typeof TARGETS)[number];

interface ExportArgs {
  file: string | null;
  template: string | null;
  to: Target | null;
  out: string | null;
}

function optionValue(args: readonly string[], i: number, name: string): { value: string; next: number } {
  const arg = args[i] as string;
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), next: i };
  const value = args[i + 1];
  if (value === undefined || value.startsWith('-')) throw new UsageError(`${name} needs a value.`);
  return { value, next: i + 1 };
}

function parseArgs(args: readonly string[]): ExportArgs {
  const parsed: ExportArgs = { file: null, template: null, to: null, out: null };
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
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'.`);
    else if (parsed.file === null) parsed.file = arg;
    else throw new UsageError(`one file at a time (got '${parsed.file}' and '${arg}').`);
  }
  if ((parsed.file === null) === (parsed.template === null)) throw new UsageError('give either a .netwright file or --template NAME.');
  if (parsed.to === null) throw new UsageError(`--to is required (${TARGETS.join(', ')}).`);
  if (parsed.out === null) throw new UsageError('-o DIR is required.');
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

/** The files a target writes for a document: a Python module named after it (`from <name> import ...`), and more. */
const writers: Partial<Record<Target, (document: GraphDocument, module: string) => { name: string; content: string }[]>> = {
  pytorch: (document, module) => [{ name: `${module}.py`, content: exportPyTorch(document) }],
  keras: (document, module) => [
    { name: `${module}.py`, content: exportKeras(document) },
    { name: 'model.json', content: exportKerasJson(document) },
  ],
};

/**
 * `netwright export <file | --template NAME> --to pytorch|keras -o DIR`: writes DIR/<name>.py (PyTorch:
 * `class Net(nn.Module)`; Keras: `build_model()`) and, for Keras, DIR/model.json. Other targets answer
 * "not yet". Exits 1 when the graph cannot be exported.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export a model as code (PyTorch, Keras)',
  usage: 'export <file | --template NAME> --to keras|pytorch|tfjs|onnx -o DIR',
  async run(args, io) {
    const parsed = parseArgs(args);
    const writer = writers[parsed.to as Target];
    if (!writer) {
      io.err(`netwright export: --to ${parsed.to} is not yet supported; ${Object.keys(writers).join(' and ')} are.`);
      return 2;
    }
    const loaded = await load(parsed);
    if (!loaded.ok) {
      io.err(`netwright export: ${loaded.error}`);
      return 1;
    }
    let files: { name: string; content: string }[];
    try {
      files = writer(loaded.document, pythonIdentifier(loaded.name, 'model'));
    } catch (error) {
      if (!(error instanceof PyTorchExportError || error instanceof KerasExportError)) throw error;
      io.err(`netwright export: ${error.message}`);
      return 1;
    }
    await mkdir(parsed.out as string, { recursive: true });
    for (const { name, content } of files) {
      const file = join(parsed.out as string, name);
      await writeFileAtomic(file, content);
      io.out(`Wrote ${file}`);
    }
    return 0;
  },
};
