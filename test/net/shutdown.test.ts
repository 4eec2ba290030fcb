// A node with no peers stops at once: a publish in flight (its DHT queries run to their 15 s timeouts on a
// lone node, three of them in a row) ends with what it found when the node stops, so `stop()` resolves in
// well under 5 s, and a real `defaust serve` exits 0 soon after SIGTERM instead of about a minute later. And a
// command that joins through a bootstrap address nobody answers at says so after its 10 s wait for a peer.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Home } from '../../src-main/app/home.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { expectCleanError, run } from '../cli-helpers.ts';
import { tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/defaust.mjs', import.meta.url).pathname;
const PASS = 'correct-horse-battery';
/** What a loaded machine may take to stop (the target is 5 s; without the fix it took 54–60 s). */
const BOUND_MS = 10_000;

describe('shutting down a node with no peers', () => {
  const dir = tempDir('defaust-shutdown-');
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('ends a publish in flight when the node stops', async () => {
    const home = new Home(join(dir, 'lone'));
    home.init(PASS);
    cleanup.push(() => home.close());
    const net = await NetService.start(home, { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, nat: false, transports: { webSockets: false, webRTC: false, relay: false } }, home.unlock(PASS));
    // publish() starts its first DHT query before it returns: it is in flight when stop() is called.
    const publishing = net.publish().then(() => 'settled', () => 'settled');
    const start = performance.now();
    await net.stop();
    expect(await publishing).toBe('settled');
    expect(performance.now() - start).toBeLessThan(BOUND_MS);
  }, 60_000);

  it('`defaust serve` exits 0 within the bound after SIGTERM', async () => {
    const homeDir = join(dir, 'serve');
    new Home(homeDir).init(PASS);
    const child = spawn(process.execPath, [BIN, 'serve', '--home', homeDir, '--json', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'], {
      env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) resolve();
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before it started:\n${output}`)));
    });
    // Unattended, serve publishes 2 s after the unlock (the burst delay); stop it while that publish runs.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const start = performance.now();
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
    expect(performance.now() - start).toBeLessThan(BOUND_MS);
  }, 90_000);

  it('`defaust publish` through a bootstrap address nobody answers at fails fast with one clear line', async () => {
    const homeDir = join(dir, 'publisher');
    new Home(homeDir).init(PASS);
    const nobody = '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWFV5eE67HzeAMvCfMDANBtDY9sEBir3an3HqUjz82sm2b';
    const start = performance.now();
    const result = run(['--home', homeDir, 'publish', '--bootstrap', nobody], { env: { DEFAUST_PASSPHRASE: PASS } });
    // Issue 13 asks ≤ 15 s (10 s of it is the wait for a first peer); it took 59 s and printed "published … 0 replica(s)".
    expect(performance.now() - start).toBeLessThan(25_000);
    expectCleanError(result, /no peer answered within 10 s through \/ip4\/127\.0\.0\.1\/tcp\/1\//u);
  }, 60_000);
});
