// Runs the real defaust command as a child process, as a person would from a terminal.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { expect } from 'vitest';

const BIN = new URL('../bin/defaust.mjs', import.meta.url).pathname;
const BATCH = new URL('./cli-batch.ts', import.meta.url).pathname;
export const PASS = 'correct horse battery';

export function run(args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) };
}

/**
 * Runs many command lines in one child process (test/cli-batch.ts: the CLI's `main`, one case after another),
 * for batteries too large to start Node for each. The results come back in the order of `cases`.
 */
export function runMany(cases: { args: string[]; env?: Record<string, string | undefined> }[], casesFile: string) {
  writeFileSync(casesFile, JSON.stringify(cases));
  const result = spawnSync(process.execPath, [BATCH, casesFile], {
    encoding: 'utf8',
    input: '',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined },
  });
  if (result.status !== 0) throw new Error(`the batch runner failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { code: number; stdout: string; stderr: string }[]).map((r) => ({ ...r, json: () => JSON.parse(r.stdout) }));
}

/** One clear line on stderr, no stack trace. */
export function expectCleanError(r: ReturnType<typeof run>, pattern: RegExp, code = 1) {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n')[0]).toMatch(/^defaust: /);
}
