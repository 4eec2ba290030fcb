// Failing fast on a lone node (issue 13 item 7): with no peer to reach, `defaust publish` and `read` end with
// one `defaust: …` line on stderr well within 15 s (the bound here is 25 s for a loaded machine) instead of
// running out their DHT timeouts for minutes, and the wallet's "Publish now" ends with a plain typed error.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../../src-main/app/home.ts';
import { NetworkHost } from '../../src-main/app/network/host.ts';
import { WalletService } from '../../src-main/app/wallet/service.ts';
import { expectCleanError, PASS, run } from '../cli-helpers.ts';
import { tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/defaust.mjs', import.meta.url).pathname;
const BOUND_MS = 25_000;
const NOBODY = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

/** `defaust serve --json` alone on loopback, unattended; resolves with its addresses once it printed them. */
async function serveAlone(home: string): Promise<{ child: ChildProcess; addrs: string[] }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--home', home, '--json', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'], {
    env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined, DEFAUST_BOOTSTRAP: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const end = output.indexOf('\n');
      if (end >= 0) resolve(output.slice(0, end));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  return { child, addrs: (JSON.parse(line) as { addrs: string[] }).addrs };
}

function timed<T>(act: () => T): { result: T; ms: number } {
  const started = Date.now();
  const result = act();
  return { result, ms: Date.now() - started };
}

describe('a lone node', () => {
  const dir = tempDir('defaust-lone-');
  const A = join(dir, 'alice');
  let node: { child: ChildProcess; addrs: string[] } | null = null;

  beforeAll(async () => {
    expect(run(['--home', A, 'init']).code).toBe(0);
    node = await serveAlone(A);
  }, 90_000);

  afterAll(async () => {
    if (node !== null && node.child.exitCode === null) {
      const exited = new Promise((resolve) => node!.child.once('exit', resolve));
      node.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('`publish` through the running node that has no peer fails fast with one line', () => {
    const { result, ms } = timed(() => run(['--home', A, 'publish']));
    expectCleanError(result, /no peer answered within 5 s/u);
    expect(ms).toBeLessThan(BOUND_MS);
  }, 60_000);

  it('`read` through the running node that has no peer fails fast with one line', () => {
    const { result, ms } = timed(() => run(['--home', A, 'read', NOBODY]));
    expectCleanError(result, /no peer answered|no head record/u);
    expect(ms).toBeLessThan(BOUND_MS);
  }, 60_000);

  it('`publish` and `read` through a bootstrap address where no node runs fail fast with one line', () => {
    const B = join(dir, 'bob');
    expect(run(['--home', B, 'init']).code).toBe(0);
    const gone = '/ip4/127.0.0.1/tcp/9/p2p/12D3KooWMJnHvVm8F7U3BuTXNqPwPzpuJchvXLyyyiz6r2WgX3Qm';
    for (const args of [['publish', '--bootstrap', gone], ['read', NOBODY, '--bootstrap', gone]]) {
      const { result, ms } = timed(() => run(['--home', B, ...args]));
      expectCleanError(result, /no peer answered within 10 s through \/ip4\/127\.0\.0\.1\/tcp\/9/u);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  }, 90_000);

  it('the wallet\'s "Publish now" on a lone node ends with a typed error, not a spin', async () => {
    const home = new Home(join(dir, 'carol'));
    const host = new NetworkHost(home, { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, nat: false, transports: { webSockets: false, webRTC: false, relay: false } });
    const service = new WalletService(home, { network: host, idleLockMs: 0 });
    try {
      expect((await service.call('session:create', { passphrase: PASS })).ok).toBe(true);
      const started = Date.now();
      const result = await service.call('network:publish', {});
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
      expect(result).toMatchObject({ ok: false, error: { code: 'network/no-peers' } });
    } finally {
      await host.stop();
      service.close();
      home.close();
    }
  }, 60_000);
});
