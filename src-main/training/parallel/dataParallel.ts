/**
 * Data parallelism on the wasm backend: every core trains. The session keeps the model and the
 * optimizer; each replica (a worker thread with its own wasm instance and a copy of the model)
 * computes the gradients of its share of each batch while the session computes its own share's.
 * The session writes its weights into shared memory before the step, the replicas write their
 * gradients into shared memory, and the session sums them (weighted by share) and steps once, so a
 * step is the same mean-loss step as on one thread, up to floating-point order. Batch
 * normalisation uses each share's own statistics (as PyTorch's DistributedDataParallel does
 * without SyncBatchNorm); the moving statistics are the session's share's.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../../../src-shared/graph/schema';
import type { TrainingConfig } from '../../../src-shared/training/config';
import { FromReplica, type BatchShare, type ToReplica } from './replicaProtocol';

/** The most threads a run trains with. */
export const MAX_TRAINING_THREADS = 8;

/** One thread per core the machine offers, at most 8: what a run on wasm trains with. */
export function defaultTrainingThreads(): number {
  return Math.max(1, Math.min(MAX_TRAINING_THREADS, os.availableParallelism()));
}

/** A replica's figures for its share of a step. */
export interface ShareFigures {
  loss: number;
  accuracy: number;
  samples: number;
}

/**
 * A replica thread's script: the built bundle beside this one; running from source (tests, bench,
 * tsx), TypeScript loaders don't reach worker threads on Node 20, so the entry is bundled first,
 * into node_modules/.cache where its package imports resolve, named by its content (concurrent
 * processes write the same file, each by an atomic rename).
 */
let sourceBundle: Promise<URL> | null = null;
async function replicaScript(): Promise<URL> {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new URL('./replica-worker.js', here);
  sourceBundle ??= (async () => {
    const esbuild = await import('esbuild');
    const built = await esbuild.build({ entryPoints: [fileURLToPath(new URL('./replicaWorker.ts', here))], bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, logLevel: 'error' });
    const code = built.outputFiles[0]?.contents ?? new Uint8Array();
    const dir = path.join(fileURLToPath(new URL('../../../', here)), 'node_modules', '.cache', 'netwright');
    const file = path.join(dir, `replica-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    }
    return pathToFileURL(file);
  })();
  return sourceBundle;
}

class Replica {
  private pending: { resolve: (message: FromReplica) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (raw: unknown) => {
      const parsed = FromReplica.safeParse(raw);
      const message: FromReplica = parsed.success ? parsed.data : { type: 'error', message: 'a replica answered something unexpected.' };
      this.settle(message.type === 'error' ? new Error(message.message) : message);
    });
    worker.on('error', (error) => this.settle(error));
    worker.on('exit', (code) => this.settle(new Error(`a replica thread ended (exit code ${code}).`)));
  }

  private settle(outcome: FromReplica | Error): void {
    const pending = this.pending;
    this.pending = null;
    if (outcome instanceof Error) {
      this.failure ??= outcome;
      pending?.reject(outcome);
    } else pending?.resolve(outcome);
  }

  /** Sends `message` and waits for the replica's answer (one at a time). */
  ask(message: ToReplica, transfer: ArrayBuffer[] = []): Promise<FromReplica> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message, transfer);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

export class ReplicaPool {
  private constructor(
    private readonly replicas: Replica[],
    private readonly variables: tf.Variable[],
    private readonly trainable: Float32Array,
    private readonly gradients: Float32Array[],
  ) {}

  /** Threads that train, this one included. */
  get threads(): number {
    return this.replicas.length + 1;
  }

  /**
   * Starts `count` replicas of `model` (compiled from `document` with the run's seed), with its
   * current weights. Fails, saying why, when a replica can't mirror the model.
   */
  static async start(options: { document: GraphDocument; config: TrainingConfig; numClasses: number; model: tf.LayersModel; count: number }): Promise<ReplicaPool> {
    const { model, count } = options;
    const weights = model.weights.map((w) => w.read());
    if (weights.some((w) => w.dtype !== 'float32')) throw new Error('the model has weights that are not float32.');
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const size = variables.reduce((sum, v) => sum + v.size, 0);
    const trainable = new SharedArrayBuffer(size * 4);
    const values = weights.map((w) => w.dataSync() as Float32Array);
    const script = await replicaScript();
    const replicas: Replica[] = [];
    const gradients: Float32Array[] = [];
    try {
      await Promise.all(
        Array.from({ length: count }, async () => {
          const buffer = new SharedArrayBuffer(size * 4);
          const replica = new Replica(new Worker(script));
          replicas.push(replica);
          gradients.push(new Float32Array(buffer));
          const answer = await replica.ask({ type: 'init', document: options.document, seed: options.config.seed, loss: options.config.loss, numClasses: options.numClasses, weights: values, trainable, gradients: buffer });
          if (answer.type !== 'ready') throw new Error('a replica did not get ready.');
          const mismatch = answer.trainableShapes.length !== variables.length || answer.trainableShapes.some((shape, i) => shape.join('×') !== variables[i]?.shape.join('×'));
          if (mismatch) throw new Error("a replica's trainable weights differ from the session's.");
        }),
      );
    } catch (error) {
      await Promise.all(replicas.map((r) => r.terminate()));
      throw error;
    }
    return new ReplicaPool(replicas, variables, new Float32Array(trainable), gradients);
  }

  /**
   * Hands each replica its share with the session's current weights; resolves with the replicas'
   * figures once their gradients are in shared memory. The session computes its own share meanwhile.
   */
  dispatch(shares: BatchShare[]): Promise<ShareFigures[]> {
    let offset = 0;
    for (const variable of this.variables) {
      this.trainable.set(variable.dataSync() as Float32Array, offset);
      offset += variable.size;
    }
    return Promise.all(
      shares.map(async (share, i) => {
        const answer = await (this.replicas[i] as Replica).ask({ type: 'step', share }, [share.x.buffer as ArrayBuffer, share.y.buffer as ArrayBuffer]);
        if (answer.type !== 'stepped') throw new Error('a replica did not step.');
        return answer;
      }),
    );
  }

  /**
   * The step's mean-loss gradient of each variable: the session's own `grads` (over `ownSamples`)
   * and the replicas' (over theirs), weighted by samples. Variables without a gradient here are left out.
   */
  combine(grads: tf.NamedTensorMap, ownSamples: number, figures: ShareFigures[]): tf.NamedTensorMap {
    const total = ownSamples + figures.reduce((sum, f) => sum + f.samples, 0);
    const combined: tf.NamedTensorMap = {};
    let offset = 0;
    for (const variable of this.variables) {
      const own = grads[variable.name];
      const start = offset;
      offset += variable.size;
      if (!own) continue;
      combined[variable.name] = tf.tidy(() => {
        let sum = tf.mul(own, ownSamples / total);
        figures.forEach((f, i) => {
          const theirs = tf.tensor((this.gradients[i] as Float32Array).subarray(start, start + variable.size), variable.shape);
          sum = tf.add(sum, tf.mul(theirs, f.samples / total));
        });
        return sum;
      });
    }
    return combined;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.terminate()));
  }
}

/** Splits `count` samples into `parts` shares as even as can be (the first ones get the rest). */
export function shareSizes(count: number, parts: number): number[] {
  const base = Math.floor(count / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < count % parts ? 1 : 0));
}
