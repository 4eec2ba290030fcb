// A network that remembers (issue 13 items 1 and 2), on real homes (SQLite, node key files) on loopback:
// the owner publishes to 3 replicas and goes away; EVERY node stops and starts again (same ports, new
// processes' worth of objects); the replicas come back with the same peer ids, still hold the DHT and provider
// records and republish the owner-signed head record they kept; a grantee then reads the granted section and
// a new machine recovers the owner from the recovery phrase.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForRoutingTables } from '../../src-main/adapters/p2p/loopback.ts';
import { Home } from '../../src-main/app/home.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { NetworkHost } from '../../src-main/app/network/host.ts';
import { WalletService } from '../../src-main/app/wallet/service.ts';
import { readShared } from '../../src-main/app/sharing/shared.ts';
import type { Did } from '../../src-main/core/identity/did.ts';
import { tempDir } from '../helpers.ts';
import { LOOPBACK, until, value } from './loopback-wallet.ts';

const PASS = 'correct-horse-battery';
const NODES = 6;

/** The TCP listen address a node announced, without its /p2p part: where it listens again after a restart. */
const tcpListen = (net: NetService): string => net.addrs().find((a) => a.startsWith('/ip4/127.0.0.1/tcp/'))!.replace(/\/p2p\/.*$/u, '');

describe('a network whose nodes all restart', () => {
  const dir = tempDir('defaust-restart-');
  let nodes: NetService[] = [];
  let homes: Home[] = [];
  const listen: string[] = [];
  const peerIds: string[] = [];
  let bootstrap: string[] = [];
  let ownerId = '' as Did;
  let mnemonic = '';
  let publishedHead = '';
  const grantee = new Home(join(dir, 'grantee'));

  const startAll = async (): Promise<void> => {
    homes = [];
    nodes = [];
    for (let i = 0; i < NODES; i++) {
      const home = new Home(join(dir, `node-${i}`));
      const net = await NetService.start(home, { ...LOOPBACK, listen: [listen[i] ?? '/ip4/127.0.0.1/tcp/0'], bootstrap: i === 0 ? [] : bootstrap });
      if (i === 0) bootstrap = net.addrs().filter((a) => a.startsWith('/ip4/127.0.0.1/tcp/'));
      listen[i] = tcpListen(net);
      homes.push(home);
      nodes.push(net);
    }
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    for (const home of homes) home.close();
    nodes = [];
  };

  afterAll(async () => {
    await stopAll().catch(() => undefined);
    grantee.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('publishes to 3 replicas of a network of homes without identity, each with a node key file of mode 0600', async () => {
    await startAll();
    peerIds.push(...nodes.map((n) => n.peerId));
    for (const home of homes) expect(statSync(join(home.dir, 'node-key')).mode & 0o777).toBe(0o600);
    await waitForRoutingTables(nodes.map((n) => n.node), NODES - 2, 30_000);
    grantee.init(PASS);

    const home = new Home(join(dir, 'owner'));
    const host = new NetworkHost(home, { ...LOOPBACK, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap });
    const service = new WalletService(home, { network: host, idleLockMs: 0 });
    const created = value(await service.call('session:create', { passphrase: PASS }));
    ownerId = created.id as Did;
    mnemonic = created.words.join(' ');
    value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
    await waitForRoutingTables([host.current()!.node], 3, 20_000);
    value(await service.call('profile:set', { section: 'contact', path: 'email', value: 'ada@example.org' }));
    value(await service.call('access:grant', { grantee: grantee.id(), section: 'contact', rights: 'read', until: Date.now() + 86_400_000 }));
    const head = home.store.head(ownerId)!;
    await until('the last change to be published', async () => {
      const view = value(await service.call('network:status', {}));
      return view.status?.owner?.publishedSeq === head.seq && view.status.owner.replicas.length === 3 ? true : undefined;
    });
    publishedHead = head.cid;
    // Every replica keeps the owner-signed record of the head it holds (looked up once the push was stored).
    await until('the replicas to keep the head record', () => {
      const keeping = homes.filter((h) => h.heldRecords().get(ownerId)?.seq === head.seq);
      return keeping.length >= 3 ? keeping : undefined;
    });
    // The owner goes away for good.
    await host.stop();
    service.close();
    rmSync(home.dir, { recursive: true, force: true });
  }, 120_000);

  it('after every node stopped and started again: the same peer ids, the records republished, a grantee reads', async () => {
    await stopAll();
    const restartedAt = Date.now();
    await startAll();
    expect(nodes.map((n) => n.peerId)).toEqual(peerIds);
    const republished = (await Promise.all(nodes.map((n) => n.rejoined))).flat().filter((r) => r.id === ownerId);
    expect(republished.length).toBeGreaterThanOrEqual(3);
    expect(republished.every((r) => r.announced)).toBe(true);

    const net = await NetService.start(grantee, { ...LOOPBACK, ephemeral: true, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap });
    try {
      await waitForRoutingTables([net.node], 3, 20_000);
      const report = await net.recover(ownerId);
      expect(report.record.head.toString()).toBe(publishedHead);
      console.log(`restarted network served the read after ${Date.now() - restartedAt} ms`);
    } finally {
      await net.stop();
    }
    const view = await readShared({ home: grantee, keys: grantee.unlock(PASS) }, ownerId);
    expect(view.state.contact?.fields).toEqual({ email: 'ada@example.org' });
  }, 120_000);

  it('a new machine recovers the owner from the recovery phrase through the restarted network', async () => {
    const home = new Home(join(dir, 'owner-new-machine'));
    const host = new NetworkHost(home, { ...LOOPBACK, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap });
    const service = new WalletService(home, { network: host, idleLockMs: 0 });
    try {
      const status = value(await service.call('session:recover', { mnemonic, passphrase: PASS }));
      expect(status).toMatchObject({ state: 'unlocked', id: ownerId, chain: true });
      expect((await home.verify()).ok).toBe(true);
      const profile = value(await service.call('profile:get', {}));
      expect(Object.fromEntries(profile.sections.map((s) => [s.name, s.fields])).contact).toEqual({ email: 'ada@example.org' });
    } finally {
      await host.stop();
      service.close();
      home.close();
    }
  }, 120_000);
});
