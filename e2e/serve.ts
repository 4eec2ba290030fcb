// The served wallet and the browser that opens it, for the e2e tests and the timeline bench: a real
// `defaust serve` child process on a temporary home, and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const hasRenderer = existsSync(join(ROOT, 'dist', 'renderer', 'index.html'));

export interface Served {
  home: string;
  url: string;
  origin: string;
  port: number;
  token: string;
  stop(): Promise<void>;
}

/**
 * Starts `defaust serve --port 0` on a fresh temporary home (`prepare` may fill it first) and waits for its URL;
 * offline unless `args` say otherwise (the UI tests need no peers).
 */
export async function startServe(prefix = 'defaust-e2e-', prepare?: (home: string) => void, args: string[] = ['--offline']): Promise<Served> {
  const base = mkdtempSync(join(tmpdir(), prefix));
  const home = join(base, 'home');
  prepare?.(home);
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), 'serve', '--home', home, '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, DEFAUST_PASSPHRASE: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`defaust serve did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/u.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`defaust serve exited (${code}):\n${output}`)));
  });
  const parsed = new URL(url);
  return {
    home,
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.hash.replace('#token=', ''),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
