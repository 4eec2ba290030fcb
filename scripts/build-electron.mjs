// Bundles the Electron main process, the preload and every worker the main process starts into dist/electron
// with esbuild: zk-worker.cjs (the proving process, forked by utilityProcess) and verify-worker.cjs (the
// signature worker threads). The sources are the same TypeScript the CLI runs; import.meta.url is mapped to
// the bundle's own file URL in CommonJS, so adapters/fs/sibling-module.ts finds each worker beside main.cjs.
// test/packaging.test.ts checks that every file main.cjs loads or forks is here.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Native and runtime-resolved modules stay outside the bundles: better-sqlite3 and node-datachannel (WebRTC)
// find their .node binary relative to their own package, which is unpacked from the asar (electron-builder.yml).
export const EXTERNAL = ['electron', 'better-sqlite3', 'node-datachannel', '@zk-kit/eddsa-poseidon'];
const importMetaUrl = {
  define: { 'import.meta.url': '__defaust_import_meta_url' },
  banner: { js: "const __defaust_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};
/** The bundles of the main process's side, by output name (the packaging test reads this list). */
export const MAIN_SIDE = {
  'main.cjs': 'src-main/electron/main.ts',
  'zk-worker.cjs': 'src-main/adapters/zk/zk-worker.ts',
  'verify-worker.cjs': 'src-main/adapters/crypto/verify-worker.ts',
};
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

/** Builds every bundle into `<dist>/electron` (run as a script, or called by test/packaging.test.ts with a temporary dist). */
export async function buildAll(dist = 'dist') {
  await Promise.all([
    ...Object.entries(MAIN_SIDE).map(([out, entry]) =>
      build({ ...common, ...importMetaUrl, entryPoints: [entry], outfile: join(dist, 'electron', out), external: EXTERNAL }),
    ),
    build({
      ...common,
      platform: 'browser',
      entryPoints: ['src-preload/preload.ts'],
      minify: true,
      outfile: join(dist, 'electron', 'preload.cjs'),
      external: ['electron'],
    }),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll();
  console.log(`built dist/electron/{${Object.keys(MAIN_SIDE).join(',')},preload.cjs}`);
}
