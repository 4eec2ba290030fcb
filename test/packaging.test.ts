// What electron-builder packs must exist and be what the packaged app looks for: every `files` root and
// extra resource is in the checkout, and the proving artifacts the lock names land under resources/circuits
// at the paths the lock gives (the packaged main process points DEFAUST_ZK_DIR there). Then the built
// output itself: every file the main process loads or forks exists, the bundles leave out only built-ins and
// shipped externals, and a proof completes from the built zk-worker bundle forked through the Electron
// adapter — with test/electron-shim standing in for Electron's utilityProcess (no Electron binary runs here).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without types
import { buildAll, EXTERNAL, MAIN_SIDE } from '../scripts/build-electron.mjs';
import { siblingModule } from '../src-main/adapters/fs/sibling-module.ts';
import { ProofCancelledError, Prover } from '../src-main/adapters/zk/prover.ts';
import { utf8 } from '../src-main/core/bytes.ts';
import { bytesToField } from '../src-main/core/identity/keys.ts';
import { digestToField, keyLeaf } from '../src-main/core/zk/field.ts';
import { featAuthorityInputs } from '../src-main/core/zk/inputs.ts';
import { PoseidonTree } from '../src-main/core/zk/merkle.ts';
import { mainProcessPaths } from '../src-main/electron/paths.ts';
import { forkUtilityProver } from '../src-main/electron/prover-process.ts';
import { utilityProcess } from './electron-shim/utility-process.ts';
import { crypto as testCrypto, ownerKeys } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string; filter?: string[] }[];
  electronFuses: Record<string, boolean>;
}

const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const lock = JSON.parse(readFileSync(join(ROOT, 'circuits', 'artifacts.lock.json'), 'utf8')) as { circuits: Record<string, Record<string, { file?: string }>> };

/** The file names a one-level filter such as `*.wasm` or `*.vkey.json` lets through. */
const passes = (filter: string[] | undefined, name: string) => filter === undefined || filter.some((f) => f.startsWith('*') && name.endsWith(f.slice(1)));

describe('electron-builder.yml', () => {
  it('names only things that exist in the checkout', () => {
    for (const resource of config.extraResources) expect(existsSync(join(ROOT, resource.from)), resource.from).toBe(true);
    for (const pattern of config.files.filter((f) => !f.startsWith('!'))) {
      const root = pattern.split('/**')[0]!;
      expect(existsSync(join(ROOT, root)) || root === 'dist/electron' || root === 'dist/renderer', pattern).toBe(true);
    }
  });

  it('ships every artifact of the lock at the path the lock gives, under resources/circuits', () => {
    const shipped = new Map<string, string>();
    for (const resource of config.extraResources) {
      if (!resource.to.startsWith('circuits')) continue;
      const from = join(ROOT, resource.from);
      const to = resource.to.slice('circuits'.length).replace(/^\//u, '');
      if (resource.from.endsWith('.json')) shipped.set(to, from);
      else for (const name of readdirSync(from)) if (passes(resource.filter, name)) shipped.set(to === '' ? name : `${to}/${name}`, join(from, name));
    }
    expect(shipped.has('artifacts.lock.json')).toBe(true);
    const files = Object.values(lock.circuits).flatMap((c) => Object.values(c).map((entry) => entry.file).filter((f): f is string => typeof f === 'string'));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) expect(shipped.has(file), `${file} is not packed where the lock says`).toBe(true);
  });

  it('unpacks the native modules from the asar and keeps the fuses that close Node entry points', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.asarUnpack.some((p) => p.includes('better-sqlite3'))).toBe(true);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});

// The built output, made afresh in a temporary dist by the same build as `npm run build` (electron bundles by
// scripts/build-electron.mjs, the renderer by vite), so this test never races one that reads ./dist.
describe('the built desktop bundles', { timeout: 300_000 }, () => {
  const dist = mkdtempSync(join(tmpdir(), 'defaust-dist-'));
  const electron = join(dist, 'electron');
  const prover = () => new Prover(undefined, forkUtilityProver(utilityProcess, join(electron, 'zk-worker.cjs')));

  beforeAll(async () => {
    await buildAll(dist);
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', join(dist, 'renderer'), '--emptyOutDir'], { cwd: ROOT, stdio: 'ignore' });
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('holds every file the main process loads, serves or forks, at the paths main.ts computes', () => {
    const paths = mainProcessPaths(electron, false, '/nowhere');
    for (const [what, path] of Object.entries(paths)) if (what !== 'circuits') expect(existsSync(path), `${what}: ${path}`).toBe(true);
    expect(existsSync(join(paths.renderer, 'index.html'))).toBe(true);
    for (const out of Object.keys(MAIN_SIDE)) expect(existsSync(join(electron, out)), out).toBe(true);
    // The workers are found beside main.cjs by the same rule the adapters use.
    const main = pathToFileURL(join(electron, 'main.cjs')).href;
    expect(fileURLToPath(siblingModule(main, 'zk-worker'))).toBe(paths.zkWorker);
    expect(fileURLToPath(siblingModule(main, 'verify-worker'))).toBe(paths.verifyWorker);
    // Circuits: the checkout's beside dist/ unpackaged, resources/circuits (extraResources above) packaged.
    expect(existsSync(join(mainProcessPaths(join(ROOT, 'dist', 'electron'), false, '/nowhere').circuits, 'artifacts.lock.json'))).toBe(true);
    expect(mainProcessPaths(join('/opt/DeFaust/resources/app.asar/dist/electron'), true, '/opt/DeFaust/resources').circuits).toBe(join('/opt/DeFaust/resources', 'circuits'));
    // electron-builder packs them: `files` takes dist/electron and dist/renderer whole.
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**']));
  });

  it('leaves out of the bundles only Node built-ins and the externals, each resolvable and shipped as a dependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const resolveFrom = createRequire(join(ROOT, 'dist', 'electron', 'main.cjs'));
    // ws tries these optional speed-ups inside a try; they are not installed and not needed.
    const optional = new Set(['bufferutil', 'utf-8-validate']);
    for (const out of Object.keys(MAIN_SIDE)) {
      const code = readFileSync(join(electron, out), 'utf8');
      const bare = [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/gu)].map((m) => m[1]!))].filter((name) => !isBuiltin(name) && !optional.has(name));
      for (const specifier of bare) {
        const name = packageOf(specifier);
        expect(EXTERNAL, `${out} requires ${specifier}`).toContain(name);
        if (name === 'electron') continue; // the runtime itself
        expect(() => resolveFrom.resolve(specifier), `${specifier} resolves beside the bundle`).not.toThrow();
        const direct = name in pkg.dependencies;
        const transitive = Object.keys(pkg.dependencies).some((dep) => existsSync(join(ROOT, 'node_modules', dep, 'package.json')) && name in ((JSON.parse(readFileSync(join(ROOT, 'node_modules', dep, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}));
        expect(direct || transitive, `${name} is a production dependency (electron-builder ships only those)`).toBe(true);
      }
    }
    // The native ones load a .node binary from their own package: unpacked from the asar.
    for (const native of ['better-sqlite3', 'node-datachannel']) {
      expect(EXTERNAL).toContain(native);
      expect(config.asarUnpack, native).toContain(`node_modules/${native}/**`);
    }
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true); // rebuilt for Electron's Node
  });

  it('makes and verifies a proof from the BUILT zk-worker bundle through the utilityProcess adapter (a child_process shim stands in for Electron)', async () => {
    const p = prover();
    try {
      const stages: string[] = [];
      const forks = utilityProcess.forks;
      const proof = await p.prove('featAuthority', authorityInputs(), (s) => stages.push(s));
      expect(stages).toEqual(['loading', 'witness', 'proving', 'done']);
      expect(utilityProcess.forks).toBe(forks + 1);
      expect(await p.verify('featAuthority', proof)).toBe(true);
      expect(await p.verify('featAuthority', { ...proof, publicSignals: proof.publicSignals.map((s, i) => (i === 0 ? '1' : s)) })).toBe(false);
    } finally {
      await p.close();
    }
  });

  it('a cancelled proof rejects with ProofCancelledError (its utility process is killed), and the next one completes', async () => {
    const p = prover();
    try {
      const abort = new AbortController();
      const cancelled = p.prove('featAuthority', authorityInputs(), (stage) => {
        if (stage === 'witness') abort.abort();
      }, abort.signal);
      await expect(cancelled).rejects.toBeInstanceOf(ProofCancelledError);
      const proof = await p.prove('featAuthority', authorityInputs());
      expect(await p.verify('featAuthority', proof)).toBe(true);
    } finally {
      await p.close();
    }
  });
});

/** The package a bare specifier names (`node-datachannel/polyfill` → `node-datachannel`, `@a/b/c` → `@a/b`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Inputs for the smallest circuit: one trusted authority signs a claim. */
function authorityInputs() {
  const secret = ownerKeys().identity.babyJubjubSecret;
  const pub = testCrypto.babyJubjub.publicKey(secret);
  const depth = (lock.circuits as unknown as Record<string, { params: { depth: number } }>).featAuthority!.params.depth;
  const claimHash = digestToField(testCrypto.sha256(utf8('packaging smoke test claim')));
  const nonce = bytesToField(testCrypto.randomBytes(16));
  return featAuthorityInputs(new PoseidonTree(depth, [keyLeaf(pub)]), claimHash, nonce, [{ babyJubjub: pub, ...testCrypto.babyJubjub.sign(secret, claimHash) }]);
}
