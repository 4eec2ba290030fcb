// Replicas repair the chains they host (HostedChains.repair, found missing while building `npm run net --
// --simulate`): an owner publishes to 3 replicas and leaves for good; 2 of the 3 replicas leave too. Before, only
// the owner's node restored replicas, so the chain now lived on one node and died with it. The last replica's
// repair finds fewer than R live replicas and pushes the chain to the closest peers; after that replica leaves
// as well, a fresh node still recovers the whole verifying chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHeldRecordStore } from '../../src-main/adapters/db/held-record-store.ts';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { MemoryRequestStore } from '../../src-main/adapters/db/request-store.ts';
import { connectAll, startLoopbackNode, stopLoopback, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';
import { createReplication } from '../../src-main/adapters/p2p/replication.ts';
import { HostedChains } from '../../src-main/app/network/hosted.ts';
import { verifyStoredChain } from '../../src-main/core/chain/verify.ts';
import type { Logger } from '../../src-main/core/log.ts';
import { Replicator } from '../../src-main/core/net/replicator.ts';
import { Profile, type OwnerKeys } from '../../src-main/core/profile/profile.ts';
import { crypto } from '../helpers.ts';
import { until } from './loopback-wallet.ts';

const NODES = 7;
const clock = { now: () => Date.now() };
const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Host {
  peer: LoopbackPeer;
  hosted: HostedChains;
  held: MemoryHeldRecordStore;
}

async function startHost(bootstrap: string[]): Promise<Host> {
  let hosted: HostedChains | null = null;
  const peer = await startLoopbackNode(crypto, {
    bootstrap,
    mailbox: false,
    limits: { queryTimeoutMs: 30_000 },
    onHeadRecord: (record, bytes) => {
      hosted?.offer(record, bytes);
    },
    onReplicaStored: (id) => {
      void hosted?.stored(id).catch(() => undefined);
    },
  });
  const held = new MemoryHeldRecordStore();
  hosted = new HostedChains({ crypto, store: peer.store, held, network: peer.node.network, clock, log });
  return { peer, hosted, held };
}

describe('a replica repairs the chain it hosts while the owner is away', () => {
  const hosts: Host[] = [];
  const stopped = new Set<Host>();
  const stop = async (host: Host) => {
    stopped.add(host);
    await host.peer.node.stop();
  };

  beforeAll(async () => {
    hosts.push(await startHost([]));
    for (let i = 1; i < NODES; i++) hosts.push(await startHost(hosts[0]!.peer.node.multiaddrs()));
    // Everyone meets everyone: the tables fill at once instead of through slow self-queries.
    await connectAll(hosts.map((h) => h.peer.node), hosts.map((h) => h.peer.node), 120_000);
  }, 240_000);

  afterAll(async () => {
    await stopLoopback(hosts.filter((h) => !stopped.has(h)).map((h) => h.peer));
  });

  it('restores R replicas from the held record, so the chain outlives its last original replica', async () => {
    const bytes = (label: string) => crypto.sha256(new TextEncoder().encode(`hosted-repair/${label}`));
    const keys: OwnerKeys = { identity: { ed25519Seed: bytes('ed'), x25519Secret: bytes('x'), babyJubjubSecret: bytes('bj') }, deviceSeed: bytes('device'), localKey: bytes('local') };
    const owner = hosts[0]!;
    const profile = Profile.create({ crypto, store: owner.peer.store, clock, requests: new MemoryRequestStore() }, keys);
    profile.set('contact', 'email', 'away@example.org');
    const id = profile.id;
    const report = await createReplication(owner.peer.node, { clock }).publish(id, keys.identity.ed25519Seed);
    expect(report.replicas.length).toBe(3);
    const replicas = report.replicas.map((r) => hosts.find((h) => h.peer.node.peerId === r.peer)!);
    await until('every replica holding the head record', () => (replicas.every((h) => h.held.get(id) !== undefined) ? true : undefined), 120_000);

    // The owner and two of the three replicas leave for good.
    await stop(owner);
    await stop(replicas[1]!);
    await stop(replicas[2]!);
    const survivor = replicas[0]!;
    const [repaired] = await survivor.hosted.repair(createReplication(survivor.peer.node, { clock }));
    expect(repaired!.live).toBe(0);
    expect(repaired!.replicas).toBeGreaterThanOrEqual(3);
    const newcomers = hosts.filter((h) => !stopped.has(h) && h !== survivor && h.peer.store.head(id)?.cid === profile.headCid);
    expect(newcomers.length).toBeGreaterThanOrEqual(3);

    // The last original replica leaves too; a fresh node recovers the whole chain from the new ones.
    await stop(survivor);
    const fresh = await startHost(newcomers[0]!.peer.node.multiaddrs());
    hosts.push(fresh);
    await connectAll([fresh.peer.node], hosts.filter((h) => !stopped.has(h) && h !== fresh).map((h) => h.peer.node), 60_000);
    const store = new MemoryChainStore();
    const recovered = await new Replicator({ crypto, store, clock, network: fresh.peer.node.network }).recoverFromNetwork(id);
    expect(recovered.record.head.toString()).toBe(profile.headCid);
    expect(verifyStoredChain(crypto, store, id).ok).toBe(true);
    expect(store.head(id)?.cid).toBe(profile.headCid);
  }, 400_000);
});
