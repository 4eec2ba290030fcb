// The wallet on the network as people use it, on 10 real homes (SQLite, their own peer keys) on loopback:
// the owner's node starts when the wallet is created, every change is published by itself; a grantee reads
// the granted section from the replicas while the owner is offline and its home is gone; the owner recovers
// from the recovery phrase through the network (same chain, same profile); the peer id stays the same across
// restarts; a change request sent to the offline owner reaches the inbox when it returns; a lost replica is
// replaced; the peers it deals with most get a replica too; a replica over its bandwidth cap turns sessions away.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRoutingTables } from '../../src-main/adapters/p2p/loopback.ts';
import { peerAt } from '../../src-main/adapters/p2p/network.ts';
import { Home } from '../../src-main/app/home.ts';
import { savedLimits } from '../../src-main/app/network/limits.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { NetworkHost } from '../../src-main/app/network/host.ts';
import { proposeToFile } from '../../src-main/app/requests/propose.ts';
import { readShared } from '../../src-main/app/sharing/shared.ts';
import { WalletService } from '../../src-main/app/wallet/service.ts';
import { SyncError } from '../../src-main/core/net/errors.ts';
import { runPull } from '../../src-main/core/net/sync-session.ts';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { crypto, tempDir } from '../helpers.ts';
import { LOOPBACK, until, value } from './loopback-wallet.ts';

const PASS = 'correct-horse-battery';
const REPLICA_NODES = 9;

describe('the wallet on a loopback network of real homes', () => {
  const dir = tempDir('defaust-wallet-net-');
  const replicas: NetService[] = [];
  const homeOf = new Map<NetService, Home>();
  let bootstrap: string[] = [];
  const cleanup: (() => Promise<void> | void)[] = [];

  let ownerId = '';
  let mnemonic = '';
  let grantee: Home;
  let publishedHead = '';
  let publishedSeq = -1;

  beforeAll(async () => {
    for (let i = 0; i < REPLICA_NODES; i++) {
      const home = new Home(join(dir, `replica-${i}`));
      const net = await NetService.start(home, { ...LOOPBACK, bootstrap });
      if (i === 0) bootstrap = net.addrs();
      replicas.push(net);
      homeOf.set(net, home);
    }
    await waitForRoutingTables(replicas.map((r) => r.node), REPLICA_NODES - 2, 30_000);
    grantee = new Home(join(dir, 'grantee'));
    grantee.init(PASS);
  }, 60_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    await Promise.all(replicas.map((r) => r.stop().catch(() => undefined)));
    for (const home of [...homeOf.values(), grantee]) home.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('starts the node with the new wallet and publishes each change by itself to 3 replicas', async () => {
    const home = new Home(join(dir, 'owner'));
    const host = new NetworkHost(home, { ...LOOPBACK, bootstrap });
    const service = new WalletService(home, { network: host, idleLockMs: 0 });
    cleanup.push(() => host.stop(), () => service.close());

    const created = value(await service.call('session:create', { passphrase: PASS }));
    ownerId = created.id;
    mnemonic = created.words.join(' ');
    value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
    const net = host.current();
    expect(net).not.toBeNull();
    await waitForRoutingTables([net!.node], 3, 20_000);

    value(await service.call('profile:set', { section: 'contact', path: 'email', value: 'ada@example.org' }));
    value(await service.call('access:grant', { grantee: grantee.id(), section: 'contact', rights: 'read', until: Date.now() + 86_400_000 }));
    value(await service.call('profile:set', { section: 'health', path: 'blood', value: 'AB-' }));
    const head = home.store.head(ownerId)!;

    const status = await until('the last change to be published', async () => {
      const view = value(await service.call('network:status', {}));
      return view.status?.owner?.publishedSeq === head.seq && view.status.owner.replicas.length === 3 ? view.status : undefined;
    });
    expect(status.owner!.replicas.every((r) => r.live && r.length === head.seq + 1)).toBe(true);
    const holders = replicas.filter((r) => r.node.store.head(ownerId)?.cid === head.cid);
    expect(holders.length).toBeGreaterThanOrEqual(3);
    publishedHead = head.cid;
    publishedSeq = head.seq;

    // The owner goes offline for good: node stopped, home deleted.
    await host.stop();
    service.close();
    rmSync(home.dir, { recursive: true, force: true });
  }, 90_000);

  it('lets the grantee read the granted section from the replicas while the owner is offline, and nothing else', async () => {
    const net = await NetService.start(grantee, { ...LOOPBACK, bootstrap });
    cleanup.push(() => net.stop());
    await waitForRoutingTables([net.node], 3, 20_000);
    const report = await net.recover(ownerId as never);
    expect(report.record.head.toString()).toBe(publishedHead);
    const reader = { home: grantee, keys: grantee.unlock(PASS) };
    const view = await readShared(reader, ownerId as never);
    expect(view.state.contact?.fields).toEqual({ email: 'ada@example.org' });
    expect(view.state.health).toBeUndefined();
    await expect(readShared(reader, ownerId as never, { section: 'health' })).rejects.toThrow(/no grant for section health/u);
    await net.stop();
  }, 60_000);

  it('recovers the owner from the recovery phrase through the network: same chain, same profile, a stable peer id', async () => {
    const home = new Home(join(dir, 'owner-again'));
    const host = new NetworkHost(home, { ...LOOPBACK, bootstrap });
    const service = new WalletService(home, { network: host, idleLockMs: 0 });
    cleanup.push(() => host.stop(), () => service.close());

    const status = value(await service.call('session:recover', { mnemonic, passphrase: PASS }));
    expect(status).toMatchObject({ state: 'unlocked', id: ownerId, chain: true });
    expect(home.store.header(ownerId as never, publishedSeq)?.cid).toBe(publishedHead);
    expect((await home.verify()).ok).toBe(true);
    const profile = value(await service.call('profile:get', {}));
    const fields = Object.fromEntries(profile.sections.map((s) => [s.name, s.fields]));
    expect(fields.contact).toEqual({ email: 'ada@example.org' });
    expect(fields.health).toEqual({ blood: 'AB-' });
    expect(value(await service.call('access:list', {})).grants.map((g) => g.grantee)).toEqual([grantee.id()]);

    // The new device's certificate is a change like any other: it is published by itself.
    const head = home.store.head(ownerId as never)!;
    expect(head.seq).toBe(publishedSeq + 1);
    await until('the new device block to be published', async () => (value(await service.call('network:status', {})).status?.owner?.publishedSeq === head.seq ? true : undefined));

    // Restarting the node keeps its peer id (derived from the device's sealed local secret).
    const peerId = host.current()!.peerId;
    await host.stop();
    const again = new NetworkHost(home, { ...LOOPBACK, bootstrap });
    cleanup.push(() => again.stop());
    const restarted = await again.unlocked(home.unlock(PASS));
    expect(restarted.peerId).toBe(peerId);
    await again.stop();
  }, 90_000);

  it('delivers a change request sent while the owner is offline when the owner comes back', async () => {
    const home = new Home(join(dir, 'owner-again'));
    let host = new NetworkHost(home, { ...LOOPBACK, bootstrap });
    let service = new WalletService(home, { network: host, idleLockMs: 0 });
    cleanup.push(() => host.stop(), () => service.close());
    value(await service.call('session:unlock', { passphrase: PASS }));
    value(await service.call('access:grant', { grantee: grantee.id(), section: 'fitness', rights: 'propose', until: Date.now() + 86_400_000 }));
    const granted = home.store.head(ownerId as never)!.seq;
    await until('the grant to be published', async () => (value(await service.call('network:status', {})).status?.owner?.publishedSeq === granted ? true : undefined));
    await host.stop();
    service.close();

    // The owner is offline: the grantee reads the newest archive from the replicas and proposes.
    const keys = grantee.unlock(PASS);
    const net = await NetService.start(grantee, { ...LOOPBACK, bootstrap }, keys);
    cleanup.push(() => net.stop());
    await waitForRoutingTables([net.node], 3, 20_000);
    await net.recover(ownerId as never);
    const base = grantee.store.head(ownerId as never)!.seq;
    expect(base).toBe(granted);
    const { id, envelope } = proposeToFile({ home: grantee, keys }, { owner: ownerId as never, section: 'fitness', ops: [{ op: 'set', path: 'weight', value: 58.5 }], base });
    const sent = await net.send(ownerId as never, envelope);
    expect(sent.deposited).toBeGreaterThanOrEqual(3);
    await net.stop();

    // The owner comes back: unlocking fetches the mail, the request is in the inbox with its diff.
    host = new NetworkHost(home, { ...LOOPBACK, bootstrap });
    service = new WalletService(home, { network: host, idleLockMs: 0 });
    value(await service.call('session:unlock', { passphrase: PASS }));
    const request = await until('the request in the inbox', async () => value(await service.call('inbox:list', {})).requests.find((r) => r.id === id));
    expect(request).toMatchObject({ from: grantee.id(), section: 'fitness', status: 'pending', changes: [{ path: 'weight', after: 58.5 }] });
    expect(home.receivedMail().list(ownerId as never).map((m) => [m.id, m.state])).toEqual([[sent.id, 'taken']]);
    // Fetched again (another mailbox, a crash before the ack): handled once.
    const again = value(await service.call('network:fetchMail', {}));
    expect(again.routed).toEqual([]);
    // With a job, the fetch reports its stages: the mailboxes found, then each one asked (n of m).
    value(await service.call('network:fetchMail', { job: 'job-mail-fetch' }));
    const job = value(await service.call('jobs:status', { job: 'job-mail-fetch' })).job;
    expect(job).toMatchObject({ stage: 'fetching', finished: true, error: null });
    expect(job!.total).toBeGreaterThanOrEqual(1);
    expect(job!.done).toBe(job!.total);
    await host.stop();
    service.close();
  }, 120_000);

  it('asks a witness through the network from the Feats screen; the witness answers from its inbox; the answer comes back; a coach\'s list is adopted', async () => {
    const holderHome = new Home(join(dir, 'owner-again'));
    const holderHost = new NetworkHost(holderHome, { ...LOOPBACK, bootstrap });
    const holder = new WalletService(holderHome, { network: holderHost, idleLockMs: 0 });
    const witnessHost = new NetworkHost(grantee, { ...LOOPBACK, bootstrap });
    const witness = new WalletService(grantee, { network: witnessHost, idleLockMs: 0 });
    cleanup.push(() => holderHost.stop(), () => holder.close(), () => witnessHost.stop());
    value(await holder.call('session:unlock', { passphrase: PASS }));
    value(await witness.call('session:unlock', { passphrase: PASS }));
    await waitForRoutingTables([holderHost.current()!.node, witnessHost.current()!.node], 3, 20_000);

    value(await holder.call('trust:add', { did: grantee.id(), featType: 'climb' })); // only a trusted witness's yes counts
    const { claim } = value(await holder.call('feats:claim', { title: 'Rock climb 6a', type: 'climb', policy: { kind: 'k-of-n', k: 1 } }));
    const asked = value(await holder.call('feats:requestWitnesses', { claim: claim.cid, witnesses: [grantee.id()] }));
    expect(asked.requests).toEqual([{ witness: grantee.id(), delivered: true, file: null }]);

    // The request arrives with the next fetch (the one the unlock started may already have taken it in).
    const pending = await until('the request in the witness inbox', async () => {
      value(await witness.call('network:fetchMail', {}));
      const waiting = value(await witness.call('witness:pending', {})).requests;
      return waiting.length > 0 ? waiting : undefined;
    });
    expect(pending.map((p) => p.from)).toEqual([ownerId]);
    const opened = value(await witness.call('witness:open', { mail: pending[0]!.id }));
    expect(opened.request.claim).toMatchObject({ cid: claim.cid, title: 'Rock climb 6a', holder: ownerId });
    const signed = value(await witness.call('witness:sign', { mail: pending[0]!.id, verdict: 'yes' }));
    expect(signed.sent).toBe(true);
    expect(value(await witness.call('witness:pending', {})).requests).toEqual([]);

    const status = await until('the answer in the holder\'s chain', async () => {
      value(await holder.call('network:fetchMail', {}));
      const found = value(await holder.call('feats:list', {})).claims.find((f) => f.cid === claim.cid)?.status;
      return found?.met ? found : undefined;
    });
    expect(status).toMatchObject({ met: true, have: 1, need: 1 });
    expect(holderHome.receivedMail().list(ownerId as never, { format: 'defaust/attest-reply' }).map((m) => m.state)).toEqual(['taken']);

    // The witness is also a climbing coach with a published trust list; the holder adopts it from the network.
    const listedWitness = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    value(await witness.call('trust:add', { did: listedWitness, featType: 'climb', authority: false, listed: true }));
    const coachHead = grantee.store.head(grantee.id())!.seq;
    await until('the coach\'s list to be published', async () => (value(await witness.call('network:status', {})).status?.owner?.publishedSeq === coachHead ? true : undefined));
    value(await holder.call('trust:add', { did: grantee.id(), featType: 'climb', authority: true }));
    const synced = value(await holder.call('trust:sync', {}));
    expect(synced.authorities).toEqual([{ authority: grantee.id(), fetched: true, problem: null, witnesses: 1 }]);
    expect(value(await holder.call('trust:list', {})).entries).toContainEqual({ did: listedWitness, featType: 'climb', authority: false, listed: true, via: grantee.id() });
    await holderHost.stop();
    holder.close();
    await witnessHost.stop();
  }, 120_000);

  it('replaces a replica that went away', async () => {
    const home = new Home(join(dir, 'owner-again'));
    const net = await NetService.start(home, { ...LOOPBACK, bootstrap }, home.unlock(PASS));
    cleanup.push(() => net.stop());
    await waitForRoutingTables([net.node], 3, 20_000);
    const first = await net.publish();
    expect(first.replicas).toHaveLength(3);
    // The earlier tests left copies on more nodes than the 3 closest (each publish, the favourites): replicas
    // go away until only 2 that hold the chain answer, whichever those are (peer ids are random).
    const holders = replicas.filter((r) => r.node.store.head(ownerId as never) !== undefined);
    const keep = [...holders.filter((r) => r === replicas[0]), ...holders.filter((r) => r !== replicas[0])].slice(0, 2);
    const gone = holders.filter((r) => !keep.includes(r));
    expect(gone.length).toBeGreaterThanOrEqual(1);
    for (const r of gone) {
      await r.stop();
      replicas.splice(replicas.indexOf(r), 1);
    }

    const repaired = await net.repair();
    expect(repaired.repaired).toBe(true);
    const live = net.status().owner!.replicas;
    expect(live).toHaveLength(3);
    for (const r of gone) expect(live.map((x) => x.peer)).not.toContain(r.peerId);
    await net.stop();
  }, 90_000);

  it('gives a replica to the peers it deals with most, besides the 3 closest', async () => {
    const home = new Home(join(dir, 'owner-again'));
    const net = await NetService.start(home, { ...LOOPBACK, bootstrap }, home.unlock(PASS));
    cleanup.push(() => net.stop());
    const friendHome = new Home(join(dir, 'friend'));
    const friend = await NetService.start(friendHome, { ...LOOPBACK, bootstrap });
    cleanup.push(() => friend.stop(), () => friendHome.close());
    const owner = peerAt(net.node.libp2p.peerId, net.node.libp2p.getMultiaddrs());
    for (let i = 0; i < 2; i++) await friend.node.network.withSync(owner, (channel) => runPull(channel, crypto, new MemoryChainStore(), ownerId as never));
    expect(net.favourites().map((p) => p.id)).toEqual([friend.peerId]);

    const report = await net.publish();
    expect(report.replicas.map((r) => r.peer)).toContain(friend.peerId);
    expect(report.replicas.length).toBeGreaterThanOrEqual(3);
    expect(friend.node.store.head(ownerId as never)?.seq).toBe(home.store.head(ownerId as never)!.seq);
    await net.stop();

    // After a restart the node still knows whom it deals with most: once the friend is connected, it is a favourite again.
    const again = await NetService.start(home, { ...LOOPBACK, bootstrap }, home.unlock(PASS));
    cleanup.push(() => again.stop());
    expect(again.favourites()).toEqual([]);
    await again.node.libp2p.dial(friend.node.libp2p.getMultiaddrs());
    await until('the friend to be a favourite again', () => (again.favourites().some((p) => p.id === friend.peerId) ? true : undefined), 10_000);
    await again.stop();
    await friend.stop();
  }, 90_000);

  it('keeps limits in the home and turns sessions away once the bandwidth cap of the minute is spent', async () => {
    const replica = replicas.find((r) => r.node.store.head(ownerId as never) !== undefined)!;
    const home = homeOf.get(replica)!;
    // A cap one byte above what this minute has carried so far: the next session may start, none after it.
    const cap = replica.status().usage.thisMinute.out + 1;
    replica.setLimits({ bandwidthOutPerMinute: cap });
    expect(savedLimits(home)).toMatchObject({ bandwidthOutPerMinute: cap });
    expect(replica.status().limits.bandwidthOutPerMinute).toBe(cap);

    const reader = await NetService.start(grantee, { ...LOOPBACK, bootstrap });
    cleanup.push(() => reader.stop());
    const target = peerAt(replica.node.libp2p.peerId, replica.node.libp2p.getMultiaddrs());
    const pull = () => reader.node.network.withSync(target, (channel) => runPull(channel, crypto, new MemoryChainStore(), ownerId as never));
    await pull(); // the first session spends the minute's budget
    const refused = await pull().then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(SyncError);
    expect((refused as SyncError).code).toBe('sync/busy');
    expect(replica.status().usage.thisMinute.out).toBeGreaterThan(cap);

    replica.setLimits({ bandwidthOutPerMinute: 0 });
    await expect(pull()).resolves.toMatchObject({ length: expect.any(Number) });
    await reader.stop();
  }, 60_000);
});
