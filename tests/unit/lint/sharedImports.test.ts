import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

/** Lints source text as if it were a file at `filePath`, with the project's real config. */
async function restrictedImportMessages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint keeps src-shared framework-free', () => {
  it.each([
    ["import { app } from 'electron';", 'electron'],
    ["import { mount } from 'svelte';", 'svelte'],
    ["import { writable } from 'svelte/store';", 'svelte'],
    ["import * as tf from '@tensorflow/tfjs';", 'TensorFlow.js'],
    ["import * as tf from '@tensorflow/tfjs-node-gpu';", 'TensorFlow.js'],
    ["import { readFile } from 'node:fs/promises';", 'Node builtins'],
    ["import fs from 'fs';", 'Node builtins'],
    ["import path from 'path';", 'Node builtins'],
    ["import { SvelteFlow } from '@xyflow/svelte';", 'UI libraries'],
    ["import { startWebHost } from '../../src-main/hosts/web/webHost';", 'src-main'],
  ])('fails on %s', async (code, expectedWord) => {
    const messages = await restrictedImportMessages(`${code}\nexport const x = 1;\n`, 'src-shared/graph/forbidden-fixture.ts');
    expect(messages.length).toBe(1);
    expect(messages[0]).toContain(expectedWord);
  });

  it('allows zod and imports inside src-shared', async () => {
    const messages = await restrictedImportMessages("import { z } from 'zod';\nimport { apiChannels } from '../api';\nexport const x = [z, apiChannels];\n", 'src-shared/graph/allowed-fixture.ts');
    expect(messages).toEqual([]);
  });

  it('lets src-main use node builtins', async () => {
    const messages = await restrictedImportMessages("import fs from 'node:fs';\nexport const x = fs;\n", 'src-main/fixture.ts');
    expect(messages).toEqual([]);
  });
});
