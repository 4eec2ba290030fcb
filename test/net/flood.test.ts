// A peer that floods a replica is held to the limits while honest requests still succeed: raw TCP
// connections that never finish the handshake beyond the pending-connection cap are closed at once; sync
// streams beyond the per-connection cap are reset; sessions beyond the per-peer cap are refused as busy —
// and through all of it an honest peer's pull is served.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { startLoopbackNode, stopLoopback, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';
import { peerAt } from '../../src-main/adapters/p2p/network.ts';
import type { SyncSessionEvent } from '../../src-main/adapters/p2p/sync.ts';
import { SYNC_PROTOCOL } from '../../src-main/core/net/sync-messages.ts';
import { runPull, runPush } from '../../src-main/core/net/sync-session.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';

const PENDING = 8;

describe('a replica under a flood', () => {
  let replica: LoopbackPeer;
  let attacker: LoopbackPeer;
  let honest: LoopbackPeer;
  const events: SyncSessionEvent[] = [];
  const sockets: Socket[] = [];
  let id: ReturnType<typeof Profile.create>['id'];
  let length = 0;

  beforeAll(async () => {
    replica = await startLoopbackNode(crypto, {
      limits: { maxIncomingPendingConnections: PENDING, syncInboundStreams: 4, sessionsPerPeer: 2, maxConcurrentSessions: 8, idleTimeoutMs: 20_000 },
      onSyncSession: (event) => events.push(event),
    });
    attacker = await startLoopbackNode(crypto);
    honest = await startLoopbackNode(crypto);
    // The replica holds a chain the honest peer wants.
    const source = new MemoryChainStore();
    const profile = Profile.create(deps(source, new TestClock(Date.now())), ownerKeys());
    profile.set('public', 'name', 'Ada');
    id = profile.id;
    length = source.head(id)!.seq + 1;
    const owner = await startLoopbackNode(crypto, { store: source, ownIdentities: () => [id] });
    await owner.node.network.withSync(peerAt(replica.node.libp2p.peerId, replica.node.libp2p.getMultiaddrs()), (channel) => runPush(channel, source, id));
    await stopLoopback([owner]);
  }, 30_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await stopLoopback([replica, attacker, honest]);
  }, 20_000);

  const target = () => peerAt(replica.node.libp2p.peerId, replica.node.libp2p.getMultiaddrs());
  const honestPull = () => honest.node.network.withSync(target(), (channel) => runPull(channel, crypto, new MemoryChainStore(), id));

  it('closes raw connections beyond the pending cap, and still serves an honest peer', async () => {
    const [, host, port] = /^\/ip4\/([\d.]+)\/tcp\/(\d+)/u.exec(replica.node.libp2p.getMultiaddrs()[0]!.toString())!;
    const address = { host: host!, port: Number(port) };
    const closedEarly: number[] = [];
    await Promise.all(Array.from({ length: 60 }, (_, i) => new Promise<void>((resolve) => {
      const socket = connect(address.port, address.host, () => resolve());
      socket.on('error', () => resolve());
      socket.on('close', () => closedEarly.push(i));
      sockets.push(socket);
    })));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Only the pending cap's worth are kept waiting for a handshake; the rest were closed at once.
    expect(closedEarly.length).toBeGreaterThanOrEqual(60 - PENDING);
    expect(replica.node.libp2p.getConnections().length).toBeLessThanOrEqual(replica.node.limits.maxConnections);

    for (const socket of sockets) socket.destroy();
    const pulled = await honestPull();
    expect(pulled.length).toBe(length);
  }, 60_000);

  it('resets streams beyond the per-connection cap and refuses sessions beyond the per-peer cap, while an honest pull succeeds', async () => {
    events.length = 0;
    const opened = await Promise.allSettled(Array.from({ length: 12 }, () => attacker.node.libp2p.dialProtocol(replica.node.libp2p.getMultiaddrs()[0]!, SYNC_PROTOCOL, { signal: AbortSignal.timeout(10_000) })));
    const streams = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    // Give the replica a moment to see every stream; the attacker never speaks on them.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = events.filter((e) => e.kind === 'refused' && e.code === 'sync/busy').length;
    // At most 4 streams per connection reach the handler; of those, 2 hold a session and the others are refused.
    expect(streams.length).toBeGreaterThan(0);
    expect(busy).toBeGreaterThanOrEqual(Math.min(streams.length, 4) - 2);

    const pulled = await honestPull();
    expect(pulled.length).toBe(length);
    for (const stream of streams) stream.abort(new Error('done'));
  }, 60_000);
});
