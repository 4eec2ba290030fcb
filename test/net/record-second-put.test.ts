// Publishing when the DHT is only partly known: the head record gets a second put when too few peers took the
// first (a node that has just joined, or a slow, loaded network), once the looks for replicas taught the node
// more of the network. The network here is a scripted NetworkPort: what the core decides is under test, and
// how many peers a real put reaches depends on timing (test/net/replication.test.ts runs real nodes).
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { Replicator, type NetworkPort, type PeerRef } from '../../src-main/core/net/replicator.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';

/** A network whose puts reach `reach[i]` peers on the i-th put (the last number repeats). */
function learningNetwork(reach: number[]): NetworkPort<PeerRef> & { puts: number } {
  const network = {
    self: 'self',
    puts: 0,
    async putRecord() {
      return reach[Math.min(network.puts++, reach.length - 1)]!;
    },
    getRecords: async () => [],
    closestPeers: async () => [],
    provide: async () => undefined,
    findProviders: async () => [],
    reachable: async () => false,
    withSync: async () => {
      throw new Error('no peer');
    },
    withBlobs: async () => {
      throw new Error('no peer');
    },
  };
  return network;
}

describe('the head record on a partly known network', () => {
  const clock = new TestClock();
  const store = new MemoryChainStore();
  const keys = ownerKeys();
  const profile = Profile.create(deps(store, clock), keys);

  it('is put again when the first put reached fewer than R peers, and the report counts the better put', async () => {
    const network = learningNetwork([1, 5]);
    const report = await new Replicator({ crypto, store, clock, network, replicas: 3 }).publish(profile.id, keys.identity.ed25519Seed, { announce: false });
    expect(network.puts).toBe(2);
    expect(report.recordPeers).toBe(5);
  });

  it('is put once when the first put reached R peers, and a worse second put never lowers the count', async () => {
    const enough = learningNetwork([3]);
    await new Replicator({ crypto, store, clock, network: enough, replicas: 3 }).publish(profile.id, keys.identity.ed25519Seed, { announce: false });
    expect(enough.puts).toBe(1);
    const worse = learningNetwork([2, 0]);
    expect((await new Replicator({ crypto, store, clock, network: worse, replicas: 3 }).publish(profile.id, keys.identity.ed25519Seed, { announce: false })).recordPeers).toBe(2);
  });
});
