// One identity, two devices (issue 13 item 6), on real homes and libp2p nodes on loopback: both devices write
// and publish at the same moment. The writer lease lets one publish first; the other takes in what it
// published and writes its own blocks again after it. The network ends with one valid chain holding both
// devices' changes, and no home — replica or device — holds evidence of equivocation against the owner.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForRoutingTables } from '../../src-main/adapters/p2p/loopback.ts';
import { Home } from '../../src-main/app/home.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { verifyStoredChain } from '../../src-main/core/chain/verify.ts';
import { didFromPublicKey, type Did } from '../../src-main/core/identity/did.ts';
import { headKeyBytes } from '../../src-main/core/net/head-record.ts';
import { runClaim } from '../../src-main/core/net/sync-session.ts';
import { MAX_LEASE_MS, signLeaseClaim } from '../../src-main/core/net/writer-lease.ts';
import type { OwnerKeys } from '../../src-main/core/profile/profile.ts';
import { crypto, tempDir } from '../helpers.ts';
import { LOOPBACK, until } from './loopback-wallet.ts';

const PASS = 'correct-horse-battery';
const REPLICAS = 4;

describe('two devices of one identity publishing at once', () => {
  const dir = tempDir('defaust-two-devices-');
  const homes: Home[] = [];
  const nets: NetService[] = [];
  let bootstrap: string[] = [];
  let owner: { id: Did; seed: Uint8Array; net: NetService } | null = null;

  const start = async (home: Home, keys: OwnerKeys | null = null): Promise<NetService> => {
    const net = await NetService.start(home, { ...LOOPBACK, bootstrap }, keys);
    if (bootstrap.length === 0) bootstrap = net.addrs().filter((a) => a.startsWith('/ip4/127.0.0.1/tcp/'));
    homes.push(home);
    nets.push(net);
    return net;
  };

  afterAll(async () => {
    await Promise.all(nets.map((n) => n.stop().catch(() => undefined)));
    for (const home of homes) home.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('ends with one chain that verifies, holds both devices\' changes and convicts nobody', async () => {
    for (let i = 0; i < REPLICAS; i++) await start(new Home(join(dir, `replica-${i}`)));
    const homeA = new Home(join(dir, 'device-a'));
    const made = homeA.init(PASS, 'laptop');
    const id = made.id;
    made.profile.set('contact', 'email', 'ada@example.org');
    const netA = await start(homeA, made.keys);
    owner = { id, seed: made.keys.identity.ed25519Seed, net: netA };
    await waitForRoutingTables(nets.map((n) => n.node), 3, 30_000);
    const first = await netA.publish();
    expect(first.rebased).toBeNull();
    expect(first.replicas.length).toBeGreaterThanOrEqual(3);

    // Device B: the same words on another machine, its chain from the network (B certifies itself: a block A lacks).
    const homeB = new Home(join(dir, 'device-b'));
    homeB.recover(made.mnemonic, PASS);
    const keysB = homeB.unlock(PASS);
    const netB = await start(homeB, keysB);
    await waitForRoutingTables([netB.node], 3, 20_000);
    await netB.replication.recoverFromNetwork(id);
    const profileB = homeB.openSessionWith(keysB).profile;
    const profileA = made.profile;

    // Both write while neither has seen the other, then both publish at once.
    profileA.set('contact', 'phone', '+41 79 000 00 01');
    profileB.set('public', 'name', 'Ada on the tablet');
    const [a, b] = await Promise.all([netA.publish(), netB.publish()]);
    const rebased = [a, b].filter((r) => r.rebased !== null);
    expect(rebased).toHaveLength(1);
    expect(rebased[0]!.rebased!.replayed).toBeGreaterThan(0);
    const last = rebased[0] === a ? a : b;

    // The one that published last holds the chain of record; the other device has it already (when the push
    // reached its node) or takes it in by its next publish, with nothing of its own to write again.
    const behind = last === a ? { net: netB, home: homeB, profile: profileB } : { net: netA, home: homeA, profile: profileA };
    const again = await behind.net.publish();
    expect(again.rebased?.replayed ?? 0).toBe(0);
    expect(behind.home.store.head(id)!.cid).toBe(last.record.head.toString());
    for (const profile of [profileA, profileB]) {
      profile.refresh();
      expect(profile.current().contact?.fields).toMatchObject({ email: 'ada@example.org', phone: '+41 79 000 00 01' });
      expect(profile.current().public?.fields).toMatchObject({ name: 'Ada on the tablet' });
    }

    // Every home that holds the chain holds this one, and it verifies; nobody keeps evidence against the owner.
    const head = last.record.head.toString();
    const holders = await until('the replicas to hold the chain of record', () => {
      const holding = homes.filter((h) => h.openStore().head(id)?.cid === head);
      return holding.length >= 3 ? holding : undefined;
    }, 30_000);
    for (const home of holders) expect(verifyStoredChain(crypto, home.openStore(), id as Did).ok).toBe(true);
    for (const home of homes) {
      const other = home.openStore().head(id);
      // A home that holds less holds a prefix of it: no second history anywhere.
      if (other !== undefined) expect(other.cid).toBe(holders[0]!.openStore().header(id, other.seq)?.cid);
      expect(home.evidence().about(id)).toEqual([]);
    }
  }, 180_000);

  it('gives up with replication/leased, naming the holder and publishing nothing, while another device holds the lease', async () => {
    const { id, seed, net } = owner!;
    const holder = didFromPublicKey(crypto.ed25519.publicKey(crypto.randomBytes(32)));
    const peers = (await net.node.network.closestPeers(headKeyBytes(id))).slice(0, net.replication.replicas);
    const claim = signLeaseClaim(crypto, { id, writer: holder, ts: Date.now(), ms: MAX_LEASE_MS }, seed);
    const answers = await Promise.all(peers.map((peer) => net.node.network.withSync(peer, (channel) => runClaim(channel, claim))));
    expect(answers.every((answer) => answer.granted)).toBe(true);
    const before = await net.replication.lookupHead(id);
    const startedAt = Date.now();
    const refused = await net.publish().then(() => null, (error: unknown) => error);
    expect(refused).toMatchObject({ code: 'replication/leased' });
    expect((refused as Error).message).toContain(holder);
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect((await net.replication.lookupHead(id))?.ts).toBe(before?.ts);
    // The Network screen and `net status` say why the latest changes are not out.
    expect(net.status().owner?.publishFailure).toMatchObject({ code: 'replication/leased' });

    // The other device lets go: the next publish goes out, and the failure is no longer shown.
    const release = signLeaseClaim(crypto, { id, writer: holder, ts: Date.now(), ms: 0 }, seed);
    await Promise.all(peers.map((peer) => net.node.network.withSync(peer, (channel) => runClaim(channel, release))));
    expect((await net.publish()).replicas.length).toBeGreaterThan(0);
    expect(net.status().owner?.publishFailure).toBeNull();
  }, 60_000);
});
