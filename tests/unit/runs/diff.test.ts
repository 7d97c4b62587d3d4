import { describe, expect, it } from 'vitest';
import { diffGraphs, diffValues } from '../../../src-shared/runs/diff';
import { removeNodes, setParam } from '../../../src-shared/graph/ops';
import { getTemplate } from '../../../src-shared/templates';
import { TrainingConfig } from '../../../src-shared/training/config';

describe('run diffs', () => {
  it('finds changed params, removed layers and lost connections between two graphs', () => {
    const a = getTemplate('lenet5')!.build();
    const b = removeNodes(setParam(a, 'conv1', 'filters', 16), ['fc2']);
    const diff = diffGraphs(a, b);
    expect(diff.changed).toEqual([{ id: 'conv1', type: 'Conv2D', params: [{ key: 'filters', from: 6, to: 16 }] }]);
    expect(diff.removed).toEqual([{ id: 'fc2', type: 'Dense' }]);
    expect(diff.added).toEqual([]);
    expect(diff.connectionsRemoved).toBe(2);
    expect(diffGraphs(a, a)).toEqual({ added: [], removed: [], changed: [], connectionsAdded: 0, connectionsRemoved: 0 });
  });

  it('lists the config values that differ as dotted keys', () => {
    const a = TrainingConfig.parse({ learningRate: 0.01 });
    const b = TrainingConfig.parse({ learningRate: 0.001, schedule: { kind: 'step', gamma: 0.5, everyEpochs: 2 } });
    expect(diffValues(a, b).map((c) => c.key)).toEqual(['learningRate', 'schedule.everyEpochs', 'schedule.gamma', 'schedule.kind']);
  });
});
