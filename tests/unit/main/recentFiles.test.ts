import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../src-main/files/workspace';
import { runEditor } from '../../support/runEditor';
import { testWorkspace } from '../../support/workspace';

describe('recent files', () => {
  it('keeps every entry when two processes save documents at the same time', async () => {
    const root = testWorkspace();
    await Promise.all([runEditor(['recent', root, 'app', '15']), runEditor(['recent', root, 'cli', '15'])]);
    // Each process last touched its own six files, and the list holds twelve: all must be there.
    const names = (await new Workspace(root).recent()).map((r) => path.basename(r.path)).sort();
    expect(names).toEqual(['app', 'cli'].flatMap((p) => Array.from({ length: 6 }, (_, i) => `${p}-${i}.netwright`)).sort());
  });
});
