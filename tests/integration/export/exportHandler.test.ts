import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileDocument } from '../../../src-main/compiler/compile';
import { exportFolderName, handleExport } from '../../../src-main/export/exportHandler';
import { saveCheckpoint } from '../../../src-main/runs/checkpoint';
import { RunStore } from '../../../src-main/runs/runStore';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'netwright-export-'));
const runs = new RunStore(path.join(workspace, 'runs'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const lenet = () => getTemplate('lenet5')?.build() ?? (() => { throw new Error('no lenet5'); })();

/** A LeNet run with a (seeded, untrained) 'last' checkpoint, as a run that finished an epoch has. */
async function runWithCheckpoint(name: string): Promise<string> {
  const record = await runs.create(lenet(), TrainingConfig.parse({}), name);
  const { model } = compileDocument(lenet(), { seed: 3 });
  await saveCheckpoint(model, path.join(runs.runDir(record.id), 'checkpoints', 'last'));
  model.dispose();
  return record.id;
}

describe('export folder names', () => {
  it.each([
    ['LeNet-5', 'pytorch', 'LeNet-5-pytorch'],
    ['My net / v2', 'onnx', 'My-net-v2-onnx'],
    ['../../etc', 'keras', 'etc-keras'],
    ['   ', 'tfjs', 'network-tfjs'],
  ])('%s → %s', (name, target, folder) => {
    expect(exportFolderName(name, target)).toBe(folder);
  });
});

describe('export.model', () => {
  it('writes the PyTorch module into <workspace>/exports and previews it', async () => {
    const result = await handleExport({ document: lenet(), name: 'LeNet-5', target: 'pytorch', runId: null, withTraining: false }, { workspaceRoot: workspace, runs });
    expect(result.folder).toBe(path.join(workspace, 'exports', 'LeNet-5-pytorch'));
    expect(result.files.map((f) => f.name)).toContain('LeNet_5.py');
    expect(result.preview?.text).toBe(readFileSync(path.join(result.folder, 'LeNet_5.py'), 'utf8'));
    expect(result.weights).toMatch(/^none/);
    expect(result.notes).toEqual([]);
  });

  it.each([
    ['tfjs', /^untrained: a seeded fresh initialisation$/, []],
    ['keras', /^none/, []],
  ] as const)('says which weights a %s export of the open graph holds', async (target, weights, notes) => {
    const result = await handleExport({ document: lenet(), name: 'LeNet-5', target, runId: null, withTraining: false }, { workspaceRoot: workspace, runs });
    expect(result.weights).toMatch(weights);
    expect(result.notes).toEqual(notes);
  });

  it("keeps a run's weights apart from the notes: a Keras export says it left them out", async () => {
    const result = await handleExport({ document: lenet(), name: 'LeNet-5', target: 'keras', runId: await runWithCheckpoint('for keras'), withTraining: false }, { workspaceRoot: workspace, runs });
    expect(result.weights).toMatch(/^none/);
    expect(result.notes).toEqual([expect.stringMatching(/^Trained weights are not written for Keras\./)]);
  });

  it("writes a run's trained weights beside the module as <name>.pt, which load_trained() reads", async () => {
    const result = await handleExport({ document: lenet(), name: 'LeNet-5', target: 'pytorch', runId: await runWithCheckpoint('trained'), withTraining: false }, { workspaceRoot: workspace, runs });
    expect(result.files.map((f) => f.name).sort()).toEqual(['LeNet_5.pt', 'LeNet_5.py']);
    expect(result.weights).toBe("trained: run 'trained', last checkpoint");
    expect(result.notes).toEqual([]);
    expect(result.preview?.text).toContain('os.path.dirname(os.path.abspath(__file__)), "LeNet_5.pt")');
    // A zip (torch.save's format) holding the state_dict's pickle.
    const bytes = readFileSync(path.join(result.folder, 'LeNet_5.pt'));
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect(bytes.includes(Buffer.from('archive/data.pkl'))).toBe(true);
  });

  it('refuses a run that saved no weights, saying which runs can be exported', async () => {
    const record = await runs.create(lenet(), TrainingConfig.parse({}), 'never trained');
    await expect(handleExport({ document: lenet(), name: 'LeNet-5', target: 'pytorch', runId: record.id, withTraining: false }, { workspaceRoot: workspace, runs })).rejects.toThrow(
      /Run 'never trained' has no saved weights .*Pick a run that finished an epoch/,
    );
  });
});
