// Bundles the Electron main process and the preload into dist/electron with esbuild. The sources are the
// same TypeScript the CLI runs; import.meta.url is mapped to the bundle's own file URL in CommonJS.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src-main/electron/main.ts'],
    outfile: 'dist/electron/main.cjs',
    // Native and runtime-resolved modules stay outside the bundle (better-sqlite3 is unpacked from the asar).
    external: ['electron', 'better-sqlite3', '@zk-kit/eddsa-poseidon'],
    define: { 'import.meta.url': '__defaust_import_meta_url' },
    banner: { js: "const __defaust_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  }),
  build({
    ...common,
    platform: 'browser',
    entryPoints: ['src-preload/preload.ts'],
    minify: true,
    outfile: 'dist/electron/preload.cjs',
    external: ['electron'],
  }),
]);
console.log('built dist/electron/main.cjs and dist/electron/preload.cjs');
