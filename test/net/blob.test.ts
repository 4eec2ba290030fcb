// `/defaust/blob/1.0.0` between real nodes: a peer fetches sealed media chunks by CID from a replica without
// the chain; chunks the replica lacks are left out; a peer that sends bytes not matching the CID is caught.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { MemoryLogger } from '../../src-main/adapters/log/memory-log.ts';
import { startLoopbackNode, stopLoopback, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';
import { peerAt } from '../../src-main/adapters/p2p/network.ts';
import { runSession } from '../../src-main/adapters/p2p/sync.ts';
import { cidOf, parseCid, RAW } from '../../src-main/core/chain/codec.ts';
import { BLOB_PROTOCOL, fetchBlobs, MAX_BLOBS_PER_REQUEST } from '../../src-main/core/net/blob-session.ts';
import { SyncError } from '../../src-main/core/net/errors.ts';
import { expectMessage } from '../../src-main/core/net/sync-session.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';

describe('media chunks by CID', () => {
  let replica: LoopbackPeer;
  let viewer: LoopbackPeer;
  let liar: LoopbackPeer;
  let chunkCids: string[] = [];
  const replicaLog = new MemoryLogger();

  beforeAll(async () => {
    const store = new MemoryChainStore();
    const profile = Profile.create(deps(store, new TestClock(Date.now())), ownerKeys());
    profile.attach('public', 'clip', crypto.randomBytes(700_000), 'clip.bin', 'application/octet-stream');
    chunkCids = store.blobCids(profile.id);
    replica = await startLoopbackNode(crypto, { store, log: replicaLog });
    viewer = await startLoopbackNode(crypto);
    liar = await startLoopbackNode(crypto);
    // A peer that answers every request with the right CIDs and the wrong bytes.
    await liar.node.libp2p.unhandle(BLOB_PROTOCOL);
    await liar.node.libp2p.handle(BLOB_PROTOCOL, async (stream) => {
      await runSession(stream, { maxFrameBytes: 4 << 20, idleTimeoutMs: 5000, sessionTimeoutMs: 10_000 }, async (channel) => {
        const want = await expectMessage(channel, 'want');
        await channel.send({ t: 'offer', cids: want.cids });
        for (const cid of want.cids) await channel.send({ t: 'blob', cid, bytes: crypto.randomBytes(64) });
      }).catch(() => undefined);
    });
  }, 30_000);

  afterAll(async () => {
    await stopLoopback([replica, viewer, liar]);
  }, 20_000);

  const at = (peer: LoopbackPeer) => peerAt(peer.node.libp2p.peerId, peer.node.libp2p.getMultiaddrs());

  it('fetches the chunks a replica holds, each matching its CID, and leaves out the ones it lacks', async () => {
    expect(chunkCids.length).toBeGreaterThan(1);
    const unknown = cidOf(crypto.sha256, crypto.randomBytes(64), RAW);
    const wanted = [...chunkCids.map(parseCid), unknown].filter((cid, i, all) => all.findIndex((c) => c.equals(cid)) === i);
    const got = await viewer.node.network.withBlobs(at(replica), (channel) => fetchBlobs(channel, crypto, wanted));
    expect([...got.keys()].sort()).toEqual([...chunkCids].sort());
    for (const cid of chunkCids) expect(got.get(cid)).toEqual(replica.store.blob(cid));
    expect(viewer.node.traffic.totalIn).toBeGreaterThan(700_000);
  }, 30_000);

  it('a blob session that fails on the serving side is logged there with its code', async () => {
    await viewer.node.network.withBlobs(at(replica), (channel) => channel.send({ t: 'pull', id: 'did:key:z6Mk' as never, from: 0 })).catch(() => undefined);
    await expect.poll(() => replicaLog.entries.find((e) => e.event === 'blob session failed'), { timeout: 10_000, interval: 10 }).toBeDefined();
    expect(replicaLog.entries.find((e) => e.event === 'blob session failed')).toMatchObject({ level: 'debug', fields: { code: expect.stringMatching(/^sync\//u) } });
  }, 30_000);

  it('catches bytes that do not hash to the CID asked for', async () => {
    const error = await viewer.node.network.withBlobs(at(liar), (channel) => fetchBlobs(channel, crypto, [parseCid(chunkCids[0]!)])).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('sync/bad-blob');
  }, 30_000);

  it('refuses an empty or oversized request before sending it', async () => {
    await expect(viewer.node.network.withBlobs(at(replica), (channel) => fetchBlobs(channel, crypto, []))).rejects.toMatchObject({ code: 'sync/protocol' });
    const many = Array.from({ length: MAX_BLOBS_PER_REQUEST + 1 }, () => parseCid(chunkCids[0]!));
    await expect(viewer.node.network.withBlobs(at(replica), (channel) => fetchBlobs(channel, crypto, many))).rejects.toMatchObject({ code: 'sync/protocol' });
  }, 30_000);
});
