// Runs the real defaust command as a child process, as a person would from a terminal, and real
// `defaust serve` nodes on loopback for the network scenarios.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

/** A running `defaust serve` node: its home, its peer and the addresses it listens on. */
export interface ServedNode {
  home: string;
  peerId: string;
  addrs: string[];
  child: ChildProcess;
}

/** `defaust serve --json` on loopback: its first JSON line names the peer, its addresses and the UI's URL. */
export async function serve(home: string, bootstrap: string[], env: Record<string, string | undefined> = {}): Promise<ServedNode> {
  const child = spawn(process.execPath, [BIN, 'serve', '--home', home, '--json', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', ...bootstrap.flatMap((b) => ['--bootstrap', b])], {
    env: { ...process.env, DEFAUST_PASSPHRASE: undefined, DEFAUST_HOME: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const end = output.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(output.slice(0, end));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  const started = JSON.parse(line) as { peerId: string; addrs: string[]; url: string };
  expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/u);
  return { home, peerId: started.peerId, addrs: started.addrs, child };
}

/** Stops a served node with SIGTERM and waits until it has exited. */
export async function stopNode(node: ServedNode | undefined): Promise<void> {
  if (node === undefined || node.child.exitCode !== null) return;
  const exited = new Promise((resolve) => node.child.once('exit', resolve));
  node.child.kill('SIGTERM');
  await exited;
}
