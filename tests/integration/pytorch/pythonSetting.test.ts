import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerContext } from '../../../src-main/api/context';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { setPythonProbe } from '../../../src-main/training/backendProbe';
import { testWorkspace } from '../../support/workspace';
import { TEST_PYTHON } from './support';

/**
 * Issue 13: the interpreter set in the app's settings is tried after NETWRIGHT_PYTHON and before
 * python3 / python on PATH; it is kept in the workspace settings, so it holds after a restart.
 */
const saved = process.env.NETWRIGHT_PYTHON;
beforeAll(() => {
  delete process.env.NETWRIGHT_PYTHON;
  setPythonProbe(null);
});
afterAll(() => {
  if (saved === undefined) delete process.env.NETWRIGHT_PYTHON;
  else process.env.NETWRIGHT_PYTHON = saved;
  setPythonProbe(null);
});

describe('the Python setting', () => {
  it('is used for PyTorch, kept in the workspace, and checked when set', async () => {
    const workspaceDir = testWorkspace();
    const first = createApiHandlers(createHandlerContext('web', { workspaceDir }));
    const set = await first['settings.setPython']({ path: TEST_PYTHON });
    expect(set.path).toBe(TEST_PYTHON);
    expect(set.candidates[0]).toMatchObject({ command: TEST_PYTHON, source: 'settings', usable: true });
    expect(set.candidates[0]?.detail).toMatch(/^PyTorch \d/);
    const info = await first['app.info']({});
    expect(info.backends.find((b) => b.id === 'pytorch-cpu')?.usable).toBe(true);

    // A restart: a new context over the same workspace reads the setting back.
    setPythonProbe(null);
    const again = createApiHandlers(createHandlerContext('web', { workspaceDir }));
    expect((await again['settings.python']({})).path).toBe(TEST_PYTHON);

    await expect(again['settings.setPython']({ path: 'python3' })).rejects.toThrow(/full path/);
    await expect(again['settings.setPython']({ path: '/no/such/python' })).rejects.toThrow(/There is no file/);
    expect((await again['settings.python']({})).path).toBe(TEST_PYTHON);
    const cleared = await again['settings.setPython']({ path: null });
    expect(cleared.path).toBeNull();
    expect(cleared.candidates.every((c) => c.source === 'PATH')).toBe(true);
  }, 120_000);

  it('has no Browse dialog in the web host', async () => {
    const handlers = createApiHandlers(createHandlerContext('web', { workspaceDir: testWorkspace() }));
    await expect(handlers['settings.browsePython']({})).rejects.toThrow(/desktop app/);
  });
});
