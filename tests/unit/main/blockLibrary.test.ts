import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlockLibrary } from '../../../src-main/files/blockLibrary';
import type { ClipboardFragment } from '../../../src-shared/editing/clipboard';
import { CURRENT_DOCUMENT_VERSION } from '../../../src-shared/graph/schema';
import { testWorkspace } from '../../support/workspace';

/** One Block node whose definition holds a GRU and an LSTM: what "Save block to library" stores. */
function recurrentBlock(lstmParams: Record<string, string | number>): ClipboardFragment {
  return {
    format: 'netwright-fragment',
    nodes: [{ id: 'pair', type: 'Block', block: 'rec', params: {}, position: { x: 0, y: 0 } }],
    edges: [],
    blocks: [
      {
        id: 'rec',
        name: 'Recurrent pair',
        inputs: 1,
        nodes: [
          { id: 'gru', type: 'GRU', params: { units: 8, returnSequences: true }, position: { x: 0, y: 0 } },
          { id: 'lstm', type: 'LSTM', params: lstmParams, position: { x: 0, y: 100 } },
        ],
        edges: [
          { id: 'e1', source: '@input', sourcePort: 0, target: 'gru', targetPort: 0 },
          { id: 'e2', source: 'gru', sourcePort: 0, target: 'lstm', targetPort: 0 },
        ],
        outputs: [{ node: 'lstm', port: 0 }],
      },
    ],
  };
}

const innerParams = (fragment: ClipboardFragment | undefined) => Object.fromEntries((fragment?.blocks[0]?.nodes ?? []).map((n) => [n.id, n.params]));

describe('BlockLibrary', () => {
  it('migrates a block saved by Netwright 1 (no documentVersion): its LSTM and GRU keep hard-sigmoid gates', async () => {
    const dir = path.join(testWorkspace(), 'blocks');
    const library = new BlockLibrary(dir);
    await library.list(); // creates the folder
    writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ id: 'old', name: 'Old pair', fragment: recurrentBlock({ units: 4 }), savedAt: '2026-10-01T00:00:00Z' }));
    const [block] = await library.list();
    expect(innerParams(block?.fragment)).toEqual({
      gru: { units: 8, returnSequences: true, recurrentActivation: 'hardSigmoid' },
      lstm: { units: 4, recurrentActivation: 'hardSigmoid' },
    });
  });

  it('saves with the document version and reads a block saved now unchanged (new layers keep the sigmoid default)', async () => {
    const dir = path.join(testWorkspace(), 'blocks');
    const library = new BlockLibrary(dir);
    const fragment = recurrentBlock({ units: 4, recurrentActivation: 'hardSigmoid' });
    const saved = await library.save('New pair', fragment);
    expect((JSON.parse(readFileSync(path.join(dir, `${saved.id}.json`), 'utf8')) as { documentVersion: number }).documentVersion).toBe(CURRENT_DOCUMENT_VERSION);
    const [block] = await library.list();
    expect(block?.fragment).toEqual(fragment);
    expect(innerParams(block?.fragment).gru).toEqual({ units: 8, returnSequences: true });
  });
});
