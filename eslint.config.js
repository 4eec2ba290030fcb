// Lint rules that keep the architecture honest: core stays pure, electron stays in its folder.
import tseslint from 'typescript-eslint';

// Bare module names (exact) and package scopes (patterns) that core must not import.
const forbiddenInCore = ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'better-sqlite3', 'libp2p', 'snarkjs', 'electron', 'tweetnacl'];
const forbiddenPatternsInCore = ['node:*', '@libp2p/*', '@chainsafe/*'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', 'circuits/build/**', 'release/**', 'e2e/artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}', 'src-preload/**/*.ts'],
    ignores: ['src-main/electron/**', 'src-preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['electron'], message: 'Only src-main/electron and src-preload import electron.' }],
      }],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: forbiddenInCore.map((name) => ({ name, message: 'src-main/core is pure: reach the world through a port.' })),
        patterns: [{ group: forbiddenPatternsInCore, message: 'src-main/core is pure: reach the world through a port.' }],
      }],
    },
  },
);
