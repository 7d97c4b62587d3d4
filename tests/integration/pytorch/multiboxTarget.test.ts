import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchTargets, fitDetectionData } from '../../../src-main/training/detection/detectionData';
import { loadDataset } from '../../../src-main/training/trainingData';
import { analyze } from '../../../src-shared/analysis/analyze';
import { detectionHead, packAnchors } from '../../../src-shared/analysis/anchors';
import { taskDefinitions } from '../../../src-shared/export/pytorchTasks';
import { SMALL_SSD_SIZE, smallTinySsd } from '../training/smallTinySsd';
import { TEST_PYTHON } from './support';

/**
 * Issue 13: the PyTorch engine builds d2l's multibox targets in torch, a batch at a time; for the
 * same batch they equal the TF.js engine's (src-shared/analysis/anchors/packedTarget.ts) to 1e-4:
 * class ids exactly, offsets and masks to 1e-4. The batch mixes images with several objects, one,
 * and none, and a box duplicated so that the greedy pairing meets ties.
 */

const folder = mkdtempSync(path.join(os.tmpdir(), 'netwright-multibox-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const DRIVER = `import json, math, sys
import torch
import torch.nn.functional as F
${taskDefinitions('detect', 'sparseCategoricalCrossentropy', 'logits')}

spec = json.load(open(sys.argv[1]))
anchors = torch.tensor(spec['anchors'], dtype=torch.float32)
centers = torch.stack([(anchors[:, 0] + anchors[:, 2]) / 2, (anchors[:, 1] + anchors[:, 3]) / 2, anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]], dim=-1)
images = spec['images']
k = max(len(objects) for objects in images)
boxes = torch.zeros((len(images), k, 4))
classes = torch.zeros((len(images), k), dtype=torch.long)
valid = torch.zeros((len(images), k), dtype=torch.bool)
for i, objects in enumerate(images):
    for j, (class_id, box) in enumerate(objects):
        boxes[i, j] = torch.tensor(box)
        classes[i, j] = class_id
        valid[i, j] = True
labels, offsets, masks = multibox_target(anchors, centers, boxes, classes, valid)
print(json.dumps({'labels': labels.flatten().tolist(), 'offsets': offsets.flatten().tolist(), 'masks': masks.flatten().tolist()}))
`;

describe('multibox targets in torch', () => {
  it('equal the TF.js engine\'s on the same batch', async () => {
    const document = smallTinySsd();
    const found = detectionHead(document, analyze(document));
    if (!found.ok) throw new Error(found.message);
    const shape = [SMALL_SSD_SIZE, SMALL_SSD_SIZE, 3];
    const fitted = fitDetectionData(await loadDataset({ kind: 'synthetic-detection' }, { limit: 12, testLimit: 1 }, shape), found.head, shape);
    if (!fitted.ok) throw new Error(fitted.message);
    const split = fitted.data.train;
    // Image 0 keeps its objects plus a copy of its first box (ties); image 1 has none.
    split.objects[0] = [...(split.objects[0] ?? []), ...(split.objects[0] ?? []).slice(0, 1)];
    split.objects[1] = [];
    const indices = Int32Array.from({ length: split.count }, (_, i) => i);
    const packed = packAnchors(found.head.anchors);
    const expected = batchTargets(split, packed, indices, 0, split.count);
    expect(split.objects.some((o) => o.length > 1)).toBe(true);

    const spec = path.join(folder, 'spec.json');
    writeFileSync(spec, JSON.stringify({ anchors: found.head.anchors, images: split.objects.map((objects) => objects.map((o) => [o.classId, o.box])) }));
    writeFileSync(path.join(folder, 'driver.py'), DRIVER);
    const run = spawnSync(TEST_PYTHON, [path.join(folder, 'driver.py'), spec], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    const torch = JSON.parse(run.stdout) as { labels: number[]; offsets: number[]; masks: number[] };

    expect(torch.labels).toEqual(Array.from(expected.classLabels));
    expect(torch.masks).toEqual(Array.from(expected.masks));
    const worst = torch.offsets.reduce((max, v, i) => Math.max(max, Math.abs(v - (expected.offsets[i] as number))), 0);
    expect(worst).toBeLessThan(1e-4);
    expect(Array.from(expected.classLabels).filter((l) => l > 0).length).toBeGreaterThan(split.count);
  }, 120_000);
});
