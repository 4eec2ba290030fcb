// Runs the real defaust command as a child process, as a person would from a terminal.
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

const BIN = new URL('../bin/defaust.mjs', import.meta.url).pathname;
export const PASS = 'correct horse battery';

export function run(args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) };
}

/** One clear line on stderr, no stack trace. */
export function expectCleanError(r: ReturnType<typeof run>, pattern: RegExp, code = 1) {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n')[0]).toMatch(/^defaust: /);
}
