// Lint rules that keep the architecture honest: core stays pure, electron stays in its folder.
import tseslint from 'typescript-eslint';

const nodeOnly = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'];
const runtimeAdapters = ['better-sqlite3', 'libp2p', '@libp2p/*', '@chainsafe/*', 'snarkjs', 'electron', 'tweetnacl'];

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
        patterns: [{ group: [...nodeOnly, ...runtimeAdapters], message: 'src-main/core is pure: reach the world through a port.' }],
      }],
    },
  },
);
