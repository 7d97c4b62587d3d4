import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunControl } from '../../../src-main/training/control';
import { evaluate } from '../../../src-main/training/evaluate';
import { generateTokens } from '../../../src-main/training/generateText';
import { loadTextForModel } from '../../../src-main/training/languageModel';
import { createLoss, outputKind } from '../../../src-main/training/losses';
import { runJob } from '../../../src-main/training/runJob';
import { LanguageModelFile } from '../../../src-shared/api/language';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';
import { defaultTrainingFor } from '../../../src-shared/training/defaults';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { pythonTestFile } from './support';

/**
 * Issue 17 on the PyTorch engine: the character language model trains in torch with the same data
 * and loss as on TF.js, reports perplexity and a sample each epoch, and its checkpoint, back in
 * TF.js, gives the test loss PyTorch reported and writes text.
 */

const { folder } = pythonTestFile('engine-lm');

describe('the PyTorch engine trains a language model', () => {
  it('char-lm on the synthetic text: perplexity halves, samples each epoch, and the weights come back', async () => {
    const document = getTemplate('char-lm')!.build();
    const runDir = folder();
    const config = TrainingConfig.parse({ ...defaultTrainingFor(document), limit: 1200, testLimit: 200, epochs: 4, backend: 'pytorch-cpu', seed: 3 });
    const events: TrainingEvent[] = [];
    const end = await runJob(document, config, (e) => events.push(e), new RunControl(), { runDir });
    expect(end.status, end.message ?? '').toBe('completed');
    const backend = events.find((e) => e.type === 'backend');
    expect(backend?.type === 'backend' && backend.decision.backend).toBe('pytorch-cpu');

    const perplexities = events.flatMap((e) => (e.type === 'epoch' && e.metrics.perplexity !== undefined ? [e.metrics.perplexity] : []));
    expect(perplexities).toHaveLength(4);
    expect(perplexities[3]).toBeLessThan((perplexities[0] as number) / 2);
    const samples = events.filter((e) => e.type === 'log' && e.message.startsWith('Sample after epoch'));
    expect(samples).toHaveLength(4);
    const test = end.test!;
    expect(test.confusion).toEqual([]);
    expect(test.perplexity).toBeCloseTo(Math.exp(test.loss), 6);

    // The TF.js model with the checkpoint PyTorch trained: the same test loss on the same test text.
    const language = LanguageModelFile.parse(JSON.parse(readFileSync(path.join(runDir, 'language.json'), 'utf8')));
    expect(language.steps).toBe(35);
    expect(existsSync(path.join(runDir, 'checkpoints', 'best.pt'))).toBe(true);
    const model = await loadCheckpoint(path.join(runDir, 'checkpoints', 'best'));
    const fitted = await loadTextForModel(config.dataset as Extract<TrainingConfig['dataset'], { kind: 'synthetic-text' }>, { limit: 1200, testLimit: 200 }, [35], [35, 64], config.seed);
    if (!fitted.ok) throw new Error(fitted.message);
    const tfjs = await evaluate(model, fitted.data.test, Int32Array.from({ length: fitted.data.test.count }, (_, i) => i), [35], 64, createLoss(config.loss, 64, outputKind(model)));
    expect(tfjs.loss).toBeCloseTo(test.loss, 3);
    expect(tfjs.perplexity).toBeCloseTo(test.perplexity as number, 2);

    const ids = await generateTokens(model, Int32Array.from([...'the '].map((c) => language.vocabulary.indexOf(c))), 35, { count: 20 });
    expect(ids).toHaveLength(24);
    model.dispose();
  }, 240_000);
});
