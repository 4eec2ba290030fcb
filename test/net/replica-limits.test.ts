// A replica on a real node verifies every pushed header before it stores anything and keeps to its quota:
// a chain with a bad signature or a tampered body, a chain over the quota and a forked chain are refused
// with a typed error, and the replica's store is left as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { peerAt } from '../../src-main/adapters/p2p/network.ts';
import type { SyncSessionEvent } from '../../src-main/adapters/p2p/sync.ts';
import { decodeCanonical, encode } from '../../src-main/core/chain/codec.ts';
import type { Did } from '../../src-main/core/identity/did.ts';
import { SyncError } from '../../src-main/core/net/errors.ts';
import { runPush } from '../../src-main/core/net/sync-session.ts';
import type { ChainStore } from '../../src-main/core/ports.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';
import { startLoopbackNode, stopLoopback, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';

const QUOTA = 64 * 1024;

/** A copy of a chain with some header or body bytes changed (the store does not check what it is given). */
function tamperedCopy(source: ChainStore, id: Did, change: { header?: (seq: number, bytes: Uint8Array) => Uint8Array; body?: (seq: number, bytes: Uint8Array) => Uint8Array }): ChainStore {
  const copy = new MemoryChainStore();
  for (const stored of source.headers(id)) {
    const bodies = [...source.bodiesOf(id, stored.seq, stored.seq + 1)].map(([cid, bytes]) => ({ cid, bytes: change.body?.(stored.seq, bytes) ?? bytes }));
    copy.append(id, [{ header: { ...stored, bytes: change.header?.(stored.seq, stored.bytes) ?? stored.bytes }, bodies }]);
  }
  return copy;
}

/** The header with one bit of its signature flipped, still canonical DAG-CBOR. */
function badSignature(bytes: Uint8Array): Uint8Array {
  const header = decodeCanonical(bytes) as { sig: Uint8Array };
  const sig = header.sig.slice();
  sig[0]! ^= 0x01;
  return encode({ ...header, sig });
}

function flipLast(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[out.length - 1]! ^= 0x01;
  return out;
}

async function pushError(from: LoopbackPeer, to: LoopbackPeer, store: ChainStore, id: Did): Promise<SyncError> {
  const target = peerAt(to.node.libp2p.peerId, to.node.libp2p.getMultiaddrs());
  const error = await from.node.network.withSync(target, (channel) => runPush(channel, store, id)).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

describe('a replica on a real node', () => {
  let replica: LoopbackPeer;
  let sender: LoopbackPeer;
  const events: SyncSessionEvent[] = [];
  const clock = new TestClock(Date.now());
  const keys = ownerKeys();
  const source = new MemoryChainStore();
  let id: Did;

  beforeAll(async () => {
    const profile = Profile.create(deps(source, clock), keys);
    for (let i = 0; i < 5; i++) profile.set('contact', `field${i}`, `value ${i}`);
    id = profile.id;
    replica = await startLoopbackNode(crypto, { limits: { quotaBytes: QUOTA }, onSyncSession: (event) => events.push(event) });
    sender = await startLoopbackNode(crypto);
  }, 20_000);

  afterAll(() => stopLoopback([replica, sender]), 20_000);

  it('refuses a chain with a bad signature, naming the rule and the block', async () => {
    const bad = tamperedCopy(source, id, { header: (seq, bytes) => (seq === 2 ? badSignature(bytes) : bytes) });
    const error = await pushError(sender, replica, bad, id);
    expect(error).toMatchObject({ code: 'sync/bad-header', reason: 'bad-header', rule: 'signature', remote: true, seq: 2 });
    expect(replica.store.head(id)).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ kind: 'push', id, ok: false, code: 'sync/bad-header' });
  }, 20_000);

  it('refuses a chain whose body does not match its header', async () => {
    const bad = tamperedCopy(source, id, { body: (seq, bytes) => (seq === 4 ? flipLast(bytes) : bytes) });
    const error = await pushError(sender, replica, bad, id);
    expect(error).toMatchObject({ reason: 'bad-body', rule: 'body-cid', seq: 4, remote: true });
    expect(replica.store.head(id)).toBeUndefined();
  }, 20_000);

  it('refuses an archive over its quota before taking a block', async () => {
    const big = new MemoryChainStore();
    const bigProfile = Profile.create(deps(big, clock), ownerKeys());
    bigProfile.attach('public', 'film', crypto.randomBytes(QUOTA * 2), 'film.mp4', 'video/mp4');
    const error = await pushError(sender, replica, big, bigProfile.id);
    expect(error).toMatchObject({ code: 'sync/over-quota', remote: true });
    expect(replica.store.head(bigProfile.id)).toBeUndefined();
    expect(replica.store.blobCids(bigProfile.id)).toEqual([]);
  }, 20_000);

  it('keeps for others only what the disk can give above the free space it keeps, and more once the disk has room', async () => {
    const MIN_FREE = 10 * 1024 * 1024;
    let free = MIN_FREE + 4 * 1024;
    const tight = await startLoopbackNode(crypto, { limits: { minFreeDiskBytes: MIN_FREE }, freeDiskBytes: () => free });
    try {
      const film = new MemoryChainStore();
      const filmProfile = Profile.create(deps(film, clock), ownerKeys());
      filmProfile.attach('public', 'film', crypto.randomBytes(64 * 1024), 'film.mp4', 'video/mp4');
      const error = await pushError(sender, tight, film, filmProfile.id);
      expect(error).toMatchObject({ code: 'sync/over-quota', remote: true });
      expect(error.message).toMatch(/exceeds the \d+ bytes this peer keeps/u);
      expect(tight.store.head(filmProfile.id)).toBeUndefined();
      free = MIN_FREE + 1024 * 1024;
      const target = peerAt(tight.node.libp2p.peerId, tight.node.libp2p.getMultiaddrs());
      const outcome = await sender.node.network.withSync(target, (channel) => runPush(channel, film, filmProfile.id));
      expect(outcome.length).toBe(film.head(filmProfile.id)!.seq + 1);
    } finally {
      await stopLoopback([tight]);
    }
  }, 30_000);

  it('takes a valid chain, then refuses a fork of it as equivocation', async () => {
    const target = peerAt(replica.node.libp2p.peerId, replica.node.libp2p.getMultiaddrs());
    const outcome = await sender.node.network.withSync(target, (channel) => runPush(channel, source, id));
    const length = source.head(id)!.seq + 1;
    expect(outcome).toMatchObject({ sent: length, length });
    expect(replica.store.head(id)?.cid).toBe(source.head(id)!.cid);

    // The same identity key writes a different chain elsewhere: seq 0 already differs.
    const forked = new MemoryChainStore();
    const fork = Profile.create(deps(forked, new TestClock(clock.now() + 5)), keys);
    for (let i = 0; i < 7; i++) fork.set('contact', `other${i}`, i);
    const error = await pushError(sender, replica, forked, id);
    expect(error).toMatchObject({ reason: 'equivocation', remote: true });
    expect(replica.store.head(id)?.cid).toBe(source.head(id)!.cid);
  }, 20_000);
});
