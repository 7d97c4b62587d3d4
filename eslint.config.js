// Lint rules. The one that matters most: src-shared stays framework-free, so it can be
// used by the renderer, the main process, the CLI and tests alike.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import svelteParser from 'svelte-eslint-parser';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

export const sharedForbiddenImports = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'src-shared must not use Node builtins: side effects belong in src-main.',
  })),
  patterns: [
    { group: ['node:*'], message: 'src-shared must not use Node builtins: side effects belong in src-main.' },
    { group: ['electron', 'electron/*'], message: 'src-shared must not import electron.' },
    { group: ['svelte', 'svelte/*', '@xyflow/*'], message: 'src-shared must not import svelte or UI libraries.' },
    { group: ['@tensorflow/*'], message: 'src-shared must not import TensorFlow.js: the compiler lives in src-main.' },
    { group: ['**/src-main/**', '**/src-renderer/**', '../../src-main/*', '../../src-renderer/*'], message: 'src-shared imports neither src-main nor src-renderer.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/fixtures/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parser: svelteParser,
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sharedForbiddenImports] },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-main/**', '../../src-main/*', 'electron'], message: 'The renderer talks to the backend only through the API client.' },
          { group: ['node:*'], message: 'The renderer runs in a browser: no Node builtins.' },
        ],
      }],
    },
  },
);
