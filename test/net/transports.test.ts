// The transports besides TCP start and carry DeFaust traffic in Node: sync pulls over WebSockets, over
// WebRTC-direct, and over a WebRTC connection set up through a circuit relay v2 reservation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { peerAt } from '../../src-main/adapters/p2p/network.ts';
import { createDefaustNode, type DefaustNode } from '../../src-main/adapters/p2p/node.ts';
import { runSession } from '../../src-main/adapters/p2p/sync.ts';
import { SYNC_PROTOCOL } from '../../src-main/core/net/sync-messages.ts';
import { runPull } from '../../src-main/core/net/sync-session.ts';
import type { ChainStore } from '../../src-main/core/ports.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';

async function node(store: ChainStore, listen: string[], relayServer = false): Promise<DefaustNode> {
  return createDefaustNode({
    crypto, store, listen, relayServer, mdns: false, privateAddresses: true, iceServers: [],
    limits: { inboundConnectionsPerHostPerSecond: 1000, maxIncomingPendingConnections: 100 },
  });
}

function chainIn(store: ChainStore, name: string): Profile {
  const profile = Profile.create(deps(store, new TestClock()), ownerKeys());
  profile.set('public', 'name', name);
  return profile;
}

describe('transports', () => {
  const nodes: DefaustNode[] = [];
  const relayStore = new MemoryChainStore();
  let relay: DefaustNode;

  beforeAll(async () => {
    relay = await node(relayStore, ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws', '/ip4/127.0.0.1/udp/0/webrtc-direct'], true);
    nodes.push(relay);
  }, 20_000);

  afterAll(() => Promise.all(nodes.map((n) => n.stop())), 20_000);

  const addressOf = (n: DefaustNode, part: string) => n.libp2p.getMultiaddrs().filter((ma) => ma.toString().includes(part));

  it('syncs a chain over WebSockets', async () => {
    const profile = chainIn(relayStore, 'over websockets');
    const mine = new MemoryChainStore();
    const client = await node(mine, ['/ip4/127.0.0.1/tcp/0']);
    nodes.push(client);
    const ws = addressOf(relay, '/ws/');
    expect(ws).toHaveLength(1);
    const result = await client.network.withSync(peerAt(relay.libp2p.peerId, ws), (channel) => runPull(channel, crypto, mine, profile.id));
    expect(result.head).toBe(profile.headCid);
    expect(client.libp2p.getConnections(relay.libp2p.peerId).some((c) => c.remoteAddr.toString().includes('/ws/'))).toBe(true);
  }, 20_000);

  it('syncs a chain over WebRTC-direct', async () => {
    const profile = chainIn(relayStore, 'over webrtc-direct');
    const mine = new MemoryChainStore();
    const client = await node(mine, ['/ip4/127.0.0.1/tcp/0']);
    nodes.push(client);
    const direct = addressOf(relay, '/webrtc-direct/');
    expect(direct).toHaveLength(1);
    const result = await client.network.withSync(peerAt(relay.libp2p.peerId, direct), (channel) => runPull(channel, crypto, mine, profile.id));
    expect(result.head).toBe(profile.headCid);
    expect(client.libp2p.getConnections(relay.libp2p.peerId).some((c) => c.remoteAddr.toString().includes('/webrtc-direct/'))).toBe(true);
  }, 20_000);

  it('syncs a chain over WebRTC set up through a relay reservation', async () => {
    const listenerStore = new MemoryChainStore();
    const profile = chainIn(listenerStore, 'over webrtc');
    const mine = new MemoryChainStore();
    const listener = await node(listenerStore, ['/ip4/127.0.0.1/tcp/0', '/p2p-circuit', '/webrtc']);
    const dialer = await node(mine, ['/ip4/127.0.0.1/tcp/0']);
    nodes.push(listener, dialer);
    await listener.libp2p.dial(addressOf(relay, '/tcp/').filter((ma) => !ma.toString().includes('/ws'))[0]!);
    const deadline = Date.now() + 10_000;
    while (addressOf(listener, '/p2p-circuit/webrtc').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const viaRelay = addressOf(listener, '/p2p-circuit/webrtc')[0];
    expect(viaRelay).toBeDefined();
    // In this sandbox about one WebRTC dial in five fails: libdatachannel refuses a trickled host candidate,
    // closes the peer connection, and libp2p gives up after its 6 s per-address limit (docs/network.md).
    // A new attempt succeeds, so the test allows three.
    let connection;
    for (let attempt = 1; connection === undefined; attempt++) {
      try {
        // force: a failed try may leave a direct connection (DCUtR over the relayed one) that a plain dial would return.
        connection = await dialer.libp2p.dial(viaRelay!, { signal: AbortSignal.timeout(10_000), force: true });
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    expect(connection.remoteAddr.toString()).toContain('/p2p-circuit/webrtc');
    expect(connection.limits).toBeUndefined(); // a direct WebRTC connection, not the limited relayed one
    const stream = await connection.newStream(SYNC_PROTOCOL, { signal: AbortSignal.timeout(10_000) });
    const result = await runSession(stream, dialer.limits, (channel) => runPull(channel, crypto, mine, profile.id));
    expect(result.head).toBe(profile.headCid);
  }, 45_000);
});
