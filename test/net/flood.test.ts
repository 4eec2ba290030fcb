// A peer that floods a replica is held to the limits while honest requests still succeed: raw TCP
// connections that never finish the handshake beyond the pending-connection cap are closed at once; sync
// streams beyond the per-connection cap are reset; sessions beyond the per-peer cap are refused as busy —
// and through all of it an honest peer's pull is served. Every wait is for a condition the nodes show (closed
// sockets, stream states, the replica's session events), never for a fixed time: a busy machine only waits longer.
import { connect, type Socket } from 'node:net';
import type { Connection } from '@libp2p/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { startLoopbackNode, stopLoopback, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';
import { peerAt, type Libp2pPeer } from '../../src-main/adapters/p2p/network.ts';
import type { SyncSessionEvent } from '../../src-main/adapters/p2p/sync.ts';
import { SYNC_PROTOCOL } from '../../src-main/core/net/sync-messages.ts';
import { runPull, runPush } from '../../src-main/core/net/sync-session.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';

const PENDING = 8;
const STREAM_CAP = 4;
const SESSIONS_PER_PEER = 2;

/** Resolves once `holds()` is true; fails after `timeoutMs` (a bound for a loaded machine, not a pace). */
async function until(what: string, holds: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Dials until the connection is up (a refusal while the replica's pending slots are full is retried). */
async function dialUntilConnected(from: LoopbackPeer, to: Libp2pPeer): Promise<Connection> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await from.node.libp2p.dial(to.multiaddrs, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

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
      limits: { maxIncomingPendingConnections: PENDING, syncInboundStreams: STREAM_CAP, sessionsPerPeer: SESSIONS_PER_PEER, maxConcurrentSessions: 8, idleTimeoutMs: 60_000 },
      onSyncSession: (event) => events.push(event),
    });
    // The attacker's own outbound cap would stop it at 4 streams: it lets itself open more than the replica takes.
    attacker = await startLoopbackNode(crypto, { limits: { syncOutboundStreams: 64 } });
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
    // Only the pending cap's worth are kept waiting for a handshake; the rest are closed at once.
    await until('the replica to close the raw connections beyond its pending cap', () => closedEarly.length >= 60 - PENDING);
    expect(closedEarly.length).toBeLessThan(60);
    expect(replica.node.libp2p.getConnections().length).toBeLessThanOrEqual(replica.node.limits.maxConnections);

    for (const socket of sockets) socket.destroy();
    await dialUntilConnected(honest, target());
    const pulled = await honestPull();
    expect(pulled.length).toBe(length);
  }, 60_000);

  it('resets streams beyond the per-connection cap and refuses sessions beyond the per-peer cap, while an honest pull succeeds', async () => {
    events.length = 0;
    // One connection (retried until the replica takes it: the raw sockets of the test before may still hold
    // its pending slots), then 12 sync streams on it at once; the attacker never speaks on them. The streams wait
    // until the replica has finished upgrading the connection: yamux closes a connection that opens more than 10
    // streams before that ("early streams"), which on a busy machine ended every stream of the flood at once.
    const connection = await dialUntilConnected(attacker, target());
    await until('the replica to finish upgrading the connection', () => replica.node.libp2p.getConnections(attacker.node.libp2p.peerId).some((c) => c.status === 'open'));
    const opened = await Promise.allSettled(Array.from({ length: 12 }, () => connection.newStream(SYNC_PROTOCOL, { signal: AbortSignal.timeout(60_000) })));
    const streams = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const ended = () => opened.length - streams.length + streams.filter((s) => s.status === 'reset' || s.status === 'aborted').length;
    const busy = () => events.filter((e) => e.kind === 'refused' && e.code === 'sync/busy').length;
    // The replica resets every stream beyond its cap; of the 4 it takes, 2 hold a session and 2 are refused as busy.
    await until('the replica to reset the streams beyond its cap', () => ended() >= 12 - STREAM_CAP);
    await until('the replica to refuse the sessions beyond the per-peer cap', () => busy() >= STREAM_CAP - SESSIONS_PER_PEER);
    expect(busy()).toBe(STREAM_CAP - SESSIONS_PER_PEER);
    const held = replica.node.libp2p.getConnections(attacker.node.libp2p.peerId).flatMap((c) => c.streams).filter((s) => s.protocol === SYNC_PROTOCOL && s.direction === 'inbound');
    expect(held.length).toBeLessThanOrEqual(STREAM_CAP);

    const pulled = await honestPull();
    expect(pulled.length).toBe(length);
    for (const stream of streams) stream.abort(new Error('done'));
  }, 60_000);
});
