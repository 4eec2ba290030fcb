// Many writers on one home at once, as a person with two terminals (or a script) would cause: real defaust
// processes started together, each setting its own field. Every one must land, on one valid chain.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { PASS, run } from './cli-helpers.ts';

const BIN = new URL('../bin/defaust.mjs', import.meta.url).pathname;
const WRITERS = 10;
const ROUNDS = 3;

function runAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrent CLI writers on one home', { timeout: 600_000 }, () => {
  const home = join(tempDir(), 'busy');
  const h = ['--home', home];

  beforeAll(() => {
    const r = run([...h, 'init']);
    expect(r.code, r.stderr).toBe(0);
  });

  it(`${WRITERS} concurrent sets land, ${ROUNDS} rounds running, on one chain that verifies`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const before = (run([...h, 'log', '--json']).json() as unknown[]).length;
      const results = await Promise.all(Array.from({ length: WRITERS }, (_, i) => runAsync([...h, 'set', 'contact', `f${round}-${i}`, `v${round}-${i}`])));
      expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
      expect((run([...h, 'log', '--json']).json() as unknown[]).length).toBe(before + WRITERS);
      const verify = run([...h, 'verify', '--json']);
      expect(verify.code, verify.stdout).toBe(0);
      const fields = (run([...h, 'show', 'contact', '--json']).json() as { contact: Record<string, unknown> }).contact;
      for (let i = 0; i < WRITERS; i++) expect(fields[`f${round}-${i}`]).toBe(`v${round}-${i}`);
    }
  });
});
