import type * as tf from '@tensorflow/tfjs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExportTarget, ExportedFile } from '../../src-shared/api/exports';
import { exportKeras } from '../../src-shared/export/keras';
import { exportKerasJson } from '../../src-shared/export/kerasJson';
import { exportPyTorch, pythonIdentifier } from '../../src-shared/export/pytorch';
import type { GraphDocument } from '../../src-shared/graph/schema';
import type { TrainingConfig } from '../../src-shared/training/config';
import { writeFileAtomic } from '../files/atomicWrite';

/** What one export needs: the graph, its name, and optionally trained weights and the run's config. */
export interface ExportJob {
  document: GraphDocument;
  name: string;
  target: ExportTarget;
  /** Trained (or freshly compiled) weights; null exports code only where the target allows. */
  model: tf.LayersModel | null;
  config: TrainingConfig | null;
  withTraining: boolean;
}

export interface ExportResult {
  files: ExportedFile[];
  /** The main source file's name and text. */
  preview: { name: string; text: string } | null;
}

/** Thrown for a graph or option a target cannot honour; the message says what to change. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

type TargetWriter = (job: ExportJob, write: (name: string, content: string | Uint8Array) => Promise<void>) => Promise<{ preview: string | null }>;

const writers: Partial<Record<ExportTarget, TargetWriter>> = {
  pytorch: async (job, write) => {
    const module = `${pythonIdentifier(job.name, 'model')}.py`;
    await write(module, exportPyTorch(job.document));
    return { preview: module };
  },
  // Code and topology; trained weights are not written for Keras (yet).
  keras: async (job, write) => {
    const module = `${pythonIdentifier(job.name, 'model')}.py`;
    await write(module, exportKeras(job.document));
    await write('model.json', exportKerasJson(job.document));
    return { preview: module };
  },
};

/** The targets this build can write. */
export function supportedTargets(): ExportTarget[] {
  return Object.keys(writers) as ExportTarget[];
}

/** Writes the export's files into `outDir` (created), each atomically, and lists them. */
export async function exportModel(job: ExportJob, outDir: string): Promise<ExportResult> {
  const writer = writers[job.target];
  if (!writer) throw new ExportError(`Export to ${job.target} is not available in this version; targets: ${supportedTargets().join(', ')}.`);
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const texts = new Map<string, string>();
  const { preview } = await writer(job, async (name, content) => {
    await writeFileAtomic(path.join(outDir, name), content);
    written.push(name);
    if (typeof content === 'string') texts.set(name, content);
  });
  const files = await Promise.all(written.map(async (name) => ({ name, bytes: (await stat(path.join(outDir, name))).size })));
  const text = preview === null ? undefined : texts.get(preview);
  return { files, preview: preview !== null && text !== undefined ? { name: preview, text } : null };
}
