// Lint rules that keep the architecture honest: core stays pure, core/chain imports no feature, nothing casts
// a port to a concrete store, electron stays in its folder, the renderer reaches the wallet only through the
// contract (no Node, no main-process code); src-shared holds the plain rules (limits, names, formats) that
// core, the contract and the renderer all import. Import cycles are refused by `npm run lint:cycles` (madge).
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'net', 'module', 'url', 'util', 'zlib'];
const runtimeAdapters = ['better-sqlite3', 'libp2p', 'snarkjs', 'electron', 'tweetnacl'];
// Bare module names are matched exactly (`paths`), so a relative '../crypto/port.ts' is not mistaken for 'crypto'.
const exact = (names, message) => names.map((name) => ({ name, message }));

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
        paths: exact(['electron'], 'Only src-main/electron and src-preload import electron.'),
      }],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: exact([...nodeBuiltins, ...runtimeAdapters], 'src-main/core is pure: reach the world through a port.'),
        patterns: [{ group: ['node:*', '@libp2p/*', '@chainsafe/*'], message: 'src-main/core is pure: reach the world through a port.' }],
      }],
    },
  },
  {
    // core/chain is the format every feature builds on: features register folds with it and import it, never
    // the other way. (This block replaces the core block's rule for these files, so it repeats purity.)
    files: ['src-main/core/chain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: exact([...nodeBuiltins, ...runtimeAdapters], 'src-main/core is pure: reach the world through a port.'),
        patterns: [
          { group: ['node:*', '@libp2p/*', '@chainsafe/*'], message: 'src-main/core is pure: reach the world through a port.' },
          {
            group: ['access', 'feats', 'registry', 'profile', 'requests', 'devices'].flatMap((f) => [`../${f}/*`, `**/core/${f}/*`]),
            message: 'core/chain knows no feature: move the rule into the chain format, or let the feature register it (ChainFold).',
          },
        ],
      }],
    },
  },
  {
    // Only the composition root knows the concrete stores; everyone else holds a port (core/ports.ts).
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'TSAsExpression > TSTypeReference > Identifier[name=/^Sqlite/]',
        message: 'No casts to a concrete store: give the port what the code needs, or let the composition root (app/home.ts) build it.',
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: exact([...nodeBuiltins, ...runtimeAdapters, 'zod'], 'The renderer talks to the wallet only through lib/api.ts and the contract.'),
        patterns: [
          { group: ['node:*'], message: 'The renderer has no Node.' },
          { group: ['**/src-main/**'], message: 'The renderer never imports main-process code; use the contract.' },
        ],
      }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: exact([...nodeBuiltins, ...runtimeAdapters, 'zod'], 'src-shared holds plain rules every floor imports: no Node, no zod, no adapters.'),
        patterns: [{ group: ['node:*', '@libp2p/*', '@chainsafe/*', '**/src-main/**', '**/src-preload/**', '**/src-renderer/**'], message: 'src-shared imports nothing of the floors that import it.' }],
      }],
    },
  },
  {
    files: ['src-preload/api/contract.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: exact([...nodeBuiltins, ...runtimeAdapters], 'The contract is shared with the renderer: zod only.'),
        patterns: [{ group: ['node:*', '**/src-main/**'], message: 'The contract is shared with the renderer: zod only.' }],
      }],
    },
  },
);
