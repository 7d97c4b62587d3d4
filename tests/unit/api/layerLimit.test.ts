import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlerContext } from '../../../src-main/api/context';
import { dispatch } from '../../../src-main/api/dispatch';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { ApiError } from '../../../src-shared/api';
import { MAX_LAYERS } from '../../../src-shared/graph/schema';
import { testWorkspace } from '../../support/workspace';

/** A hang guard, not a benchmark: far above what the refusal takes even on a busy machine. */
const FAST_REFUSAL_MS = 2000;
const HUGE = 100_000;

describe(`the ${MAX_LAYERS.toLocaleString('en-US')}-layer limit at the API`, () => {
  it('import.kerasJson refuses a 100,000-layer model.json at once, naming the limit', async () => {
    const layers = Array.from({ length: HUGE }, (_, i) => ({ class_name: 'Dense', config: { name: `d${i}`, units: 2, ...(i === 0 ? { batch_input_shape: [null, 2] } : {}) } }));
    const text = JSON.stringify({ class_name: 'Sequential', config: { layers } });
    const handlers = createApiHandlers(createHandlerContext('web', { workspaceDir: testWorkspace() }));
    const started = performance.now();
    const call = dispatch(handlers, 'import.kerasJson', { text, fileName: 'huge.json' });
    await expect(call).rejects.toThrow(ApiError);
    await expect(call).rejects.toThrow('huge.json: The model has 100,000 layers; Netwright works with at most 20,000.');
    expect(performance.now() - started).toBeLessThan(FAST_REFUSAL_MS);
  });

  it('files.open refuses a 100,000-layer document at once, naming the limit', async () => {
    const root = testWorkspace();
    const nodes = Array.from({ length: HUGE }, (_, i) => ({ id: `n${i}`, type: 'Dense', params: {}, position: { x: 0, y: i } }));
    writeFileSync(path.join(root, 'huge.netwright'), JSON.stringify({ format: 'netwright', version: 1, name: 'huge', nodes, edges: [] }));
    const handlers = createApiHandlers(createHandlerContext('web', { workspaceDir: root }));
    const started = performance.now();
    await expect(dispatch(handlers, 'files.open', { path: 'huge.netwright' })).rejects.toThrow("Cannot open 'huge.netwright': The document has 100,000 layers; Netwright works with at most 20,000.");
    expect(performance.now() - started).toBeLessThan(FAST_REFUSAL_MS);
  });
});
