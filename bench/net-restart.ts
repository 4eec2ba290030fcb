// The restart figure of `npm run bench -- net`: 6 homes without identity (SQLite, node key files) on loopback
// hold a published identity; every node stops and starts again on its port, and the figure is the time from
// the first restarted start until a fresh node's head-record lookup finds the record again (the restarted
// network serves a lookup again). Issue 13 item 1; test/net/restart.test.ts checks the same with a wallet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { waitForRoutingTables } from '../src-main/adapters/p2p/loopback.ts';
import { Home } from '../src-main/app/home.ts';
import { NetService } from '../src-main/app/network/service.ts';
import { LOOPBACK, until } from '../test/net/loopback-wallet.ts';

const NODES = 6;
const PASS = 'bench-passphrase';

/** Milliseconds from the restart of every node until a lookup of the published head record succeeds again. */
export async function restartFigure(): Promise<{ nodes: number; restartLookupMs: number; republished: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-restart-bench-'));
  let nets: NetService[] = [];
  let homes: Home[] = [];
  const listen: string[] = [];
  let bootstrap: string[] = [];
  const startAll = async () => {
    nets = [];
    homes = [];
    for (let i = 0; i < NODES; i++) {
      const home = new Home(join(dir, `node-${i}`));
      const net = await NetService.start(home, { ...LOOPBACK, listen: [listen[i] ?? '/ip4/127.0.0.1/tcp/0'], bootstrap: i === 0 ? [] : bootstrap });
      if (i === 0) bootstrap = net.addrs().filter((a) => a.startsWith('/ip4/127.0.0.1/tcp/'));
      listen[i] = net.addrs().find((a) => a.startsWith('/ip4/127.0.0.1/tcp/'))!.replace(/\/p2p\/.*$/u, '');
      homes.push(home);
      nets.push(net);
    }
  };
  const stopAll = async () => {
    await Promise.all(nets.map((n) => n.stop()));
    for (const home of homes) home.close();
    nets = [];
  };
  try {
    await startAll();
    await waitForRoutingTables(nets.map((n) => n.node), NODES - 2, 60_000);
    const ownerHome = new Home(join(dir, 'owner'));
    const { id, keys, profile } = ownerHome.init(PASS);
    profile.set('contact', 'email', 'bench@example.org');
    const owner = await NetService.start(ownerHome, { ...LOOPBACK, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap }, keys);
    await waitForRoutingTables([owner.node], 3, 30_000);
    const report = await owner.publish();
    if (report.replicas.length < 3) throw new Error(`published to ${report.replicas.length} replicas only`);
    await until('3 replicas keeping the head record', () => (homes.filter((h) => h.heldRecords().get(id) !== undefined).length >= 3 ? true : undefined), 120_000);
    await owner.stop();
    ownerHome.close();

    await stopAll();
    const restartedAt = performance.now();
    await startAll();
    const reader = await NetService.start(new Home(join(dir, 'reader')), { ...LOOPBACK, ephemeral: true, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap });
    try {
      await until('the restarted network to serve the lookup', async () => ((await reader.lookupHead(id))?.head.toString() === report.record.head.toString() ? true : undefined), 120_000);
    } finally {
      await reader.stop();
    }
    const restartLookupMs = Math.round(performance.now() - restartedAt);
    const republished = (await Promise.all(nets.map((n) => n.rejoined))).flat().filter((r) => r.id === id).length;
    return { nodes: NODES, restartLookupMs, republished };
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}
