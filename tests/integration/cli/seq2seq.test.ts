import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli';
import type { TrainingEvent } from '../../../src-shared/training/events';
import { workspaceForFile } from '../../support/workspace';
import { useTestPython } from '../pytorch/support';

/**
 * Issue 17's encoder–decoder proof, through the CLI as a person would run it: the seq2seq template on the
 * synthetic date task, its encoder's final state handed to the decoder through the state ports, trained
 * with teacher forcing and a masked loss, then greedy decoding of test dates it never saw, scored with
 * BLEU (k = 4 over characters). About 75 s on one thread of this 2-core machine.
 */

workspaceForFile('cli-seq2seq');

async function train(args: string[]): Promise<{ code: number; events: TrainingEvent[]; errors: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main(['train', '--template', 'seq2seq-dates', '--json', '--no-record', ...args], { out: (l) => lines.push(l), err: (l) => errors.push(l) });
  return { code, events: lines.map((l) => JSON.parse(l) as TrainingEvent), errors };
}

describe('netwright train --template seq2seq-dates', () => {
  it('translates written dates it never saw to ISO with BLEU ≥ 0.9, printing translations each epoch', async () => {
    const started = performance.now();
    const { code, events, errors } = await train(['--epochs', '6', '--limit', '8000', '--test-limit', '200']);
    const end = events.at(-1);
    const test = end?.type === 'end' ? end.test : null;
    console.log(`seq2seq-dates, 6 epochs of 8,000 pairs: ${((performance.now() - started) / 1000).toFixed(0)} s, test BLEU ${test?.bleu?.toFixed(3)}`);
    expect(errors).toEqual([]);
    expect(code, end?.type === 'end' ? (end.message ?? '') : '').toBe(0);
    expect(events.find((e) => e.type === 'dataset')).toMatchObject({ name: 'Synthetic dates → ISO', train: 7200, validation: 800, test: 200 });
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(logs.filter((l) => l.startsWith('Epoch '))).toHaveLength(6);
    expect(logs.at(-1)).toMatch(/^Epoch 6 translations: .+ => \d{4}-\d{2}-\d{2}, bleu \d\.\d{3}/u);
    expect(test?.bleu).toBeGreaterThanOrEqual(0.9);
    expect(test?.translations).toHaveLength(5);
    for (const t of test?.translations ?? []) expect(t.target).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
  }, 600_000);

  it('refuses sentence pairs on a graph that is no encoder–decoder, with what to change', async () => {
    const lines: string[] = [];
    const code = await main(['train', '--template', 'char-lm', '--dataset', 'synthetic-pairs:numbers', '--json', '--no-record', '--epochs', '1'], { out: (l) => lines.push(l), err: () => undefined });
    const end = lines.map((l) => JSON.parse(l) as TrainingEvent).at(-1);
    expect(code).not.toBe(0);
    expect(end?.type === 'end' && end.message).toMatch(/An encoder–decoder reads two token inputs.*This graph has 1 input\. Start from the seq2seq template\./u);
  });

  it('refuses the PyTorch engine, which does not train encoder–decoders yet', async () => {
    const restore = useTestPython();
    const { code, events } = await train(['--epochs', '1', '--limit', '64', '--backend', 'pytorch']).finally(restore);
    const end = events.at(-1);
    expect(code).not.toBe(0);
    expect(end?.type === 'end' && end.message).toMatch(/PyTorch engine does not train encoder–decoders yet: choose a TensorFlow\.js backend/u);
  });
});
