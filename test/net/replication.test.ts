// Replication and recovery on a real loopback network of 10 nodes plus the owner's: publish (head record +
// push to the 3 closest peers), an incremental republish, then the owner's node and store are gone and a
// fresh node with the same keys recovers the same head and the same decrypted profile through the network.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { SqliteChainStore } from '../../src-main/adapters/db/sqlite-store.ts';
import { createReplication } from '../../src-main/adapters/p2p/replication.ts';
import { verifyStoredChain } from '../../src-main/core/chain/verify.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, tempDir, TestClock } from '../helpers.ts';
import { startLoopbackNetwork, startLoopbackNode, stopLoopback, waitForRoutingTables, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';

const NODES = 10;

describe('replication on a loopback network', () => {
  let network: LoopbackPeer[] = [];
  let owner: LoopbackPeer | undefined;
  let fresh: LoopbackPeer | undefined;
  let freshStore: SqliteChainStore | undefined;

  beforeAll(async () => {
    network = await startLoopbackNetwork(crypto, NODES);
    await waitForRoutingTables(network.map((p) => p.node), NODES - 1, 20_000);
  }, 30_000);

  afterAll(async () => {
    await stopLoopback([...network, owner, fresh]);
    freshStore?.close();
  }, 20_000);

  it('publishes to 3 replicas, survives the loss of the owner, and recovers the same profile', async () => {
    const clock = new TestClock(Date.now());
    const keys = ownerKeys();
    const ownerStore = new MemoryChainStore();
    const profile = Profile.create(deps(ownerStore, clock), keys);
    profile.set('contact', 'email', 'ada@example.org');
    profile.set('public', 'name', 'Ada');
    profile.attach('public', 'avatar', crypto.randomBytes(300_000), 'avatar.png', 'image/png');
    const id = profile.id;

    owner = await startLoopbackNode(crypto, { store: ownerStore, bootstrap: network[0]!.node.multiaddrs(), ownIdentities: () => [id] });
    await waitForRoutingTables([owner.node], 5, 15_000);
    const replication = createReplication(owner.node, { clock, replicas: 3 });

    const first = await replication.publish(id, keys.identity.ed25519Seed);
    expect(first.failures).toEqual([]);
    expect(first.replicas).toHaveLength(3);
    expect(first.recordPeers).toBeGreaterThanOrEqual(3);
    expect(first.record.seq).toBe(profile.length - 1);
    for (const replica of first.replicas) {
      const peer = network.find((p) => p.node.peerId === replica.peer)!;
      expect(peer.store.head(id)?.cid).toBe(profile.headCid);
      expect(replica.provided).toBe(true);
      expect(verifyStoredChain(crypto, peer.store, id).ok).toBe(true);
    }

    // A republish sends the replicas only what they lack.
    clock.advance(1000);
    profile.set('contact', 'phone', '+44 20 7946 0000');
    profile.append('fitness', 'runs', 5);
    const second = await replication.publish(id, keys.identity.ed25519Seed);
    expect(second.replicas).toHaveLength(3);
    expect(second.replicas.every((r) => r.sent === 2)).toBe(true);
    expect(second.record.seq).toBe(first.record.seq + 2);
    const lookup = await createReplication(network[7]!.node, { clock }).lookupHead(id);
    expect(lookup?.seq).toBe(second.record.seq);
    expect(lookup?.head.toString()).toBe(profile.headCid);

    // A keyless republish of that record releases nothing written since: the replicas get the head it names, no more.
    profile.set('contact', 'city', 'Bern');
    const republished = await replication.republish(id, second.recordBytes);
    expect(republished.replicas.every((r) => r.length === second.record.seq + 1 && r.sent === 0)).toBe(true);
    for (const replica of republished.replicas) expect(network.find((p) => p.node.peerId === replica.peer)!.store.head(id)?.seq).toBe(second.record.seq);
    const third = await replication.publish(id, keys.identity.ed25519Seed);
    expect(third.replicas.every((r) => r.sent === 1)).toBe(true);

    const expected = profile.current();
    const head = profile.headCid;
    const replicaIds = third.replicas.map((r) => r.peer);

    // The owner's machine is lost: node stopped, store dropped.
    await owner.node.stop();
    owner = undefined;

    freshStore = new SqliteChainStore(join(tempDir(), 'recovered.db'));
    fresh = await startLoopbackNode(crypto, { store: freshStore, bootstrap: network[5]!.node.multiaddrs(), ownIdentities: () => [id] });
    await waitForRoutingTables([fresh.node], 5, 15_000);
    const recovery = await createReplication(fresh.node, { clock }).recoverFromNetwork(id);
    expect(recovery.record.head.toString()).toBe(head);
    expect(replicaIds).toContain(recovery.from);
    expect(freshStore.head(id)?.cid).toBe(head);
    expect(verifyStoredChain(crypto, freshStore, id)).toMatchObject({ ok: true, head });
    expect(freshStore.blobCids(id)).toEqual(ownerStore.blobCids(id));

    const reopened = Profile.open(deps(freshStore, clock), keys);
    expect(reopened.headCid).toBe(head);
    expect(reopened.current()).toEqual(expected);
  }, 60_000);
});
