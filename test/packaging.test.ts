// What electron-builder packs must exist and be what the packaged app looks for: every `files` root and
// extra resource is in the checkout, and the proving artifacts the lock names land under resources/circuits
// at the paths the lock gives (the packaged main process points DEFAUST_ZK_DIR there).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
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
