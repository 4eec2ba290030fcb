// A pull over real libp2p streams on loopback is verified in batches: the sender writes a page of blocks
// in few stream writes (FramedChannel.sendAll) and the receiver sees the run of them as already here
// (FramedChannel.ready looks at what the stream delivered, not only at the frame it is reading). Before,
// each block went out as its own write, the receiver saw the line quiet after every one, and every batch
// held a single block, so the signature workers never got a batch worth sending them.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { SqliteChainStore } from '../../src-main/adapters/db/sqlite-store.ts';
import { startLoopbackNode, stopLoopback, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';
import { peerAt } from '../../src-main/adapters/p2p/network.ts';
import { verifyStoredChain } from '../../src-main/core/chain/verify.ts';
import { inlineSignatureVerifier, type SignatureBatchVerifier } from '../../src-main/core/crypto/port.ts';
import { runPull } from '../../src-main/core/net/sync-session.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, tempDir, TestClock } from '../helpers.ts';

describe('a pull over libp2p streams', () => {
  const peers: LoopbackPeer[] = [];
  let store: SqliteChainStore | undefined;
  afterAll(async () => {
    await stopLoopback(peers);
    store?.close();
  }, 20_000);

  it('verifies the blocks in batches, not one by one, and imports the whole chain', async () => {
    const held = new MemoryChainStore();
    const clock = new TestClock(Date.now());
    const profile = Profile.create(deps(held, clock), ownerKeys());
    for (let i = 0; i < 599; i++) profile.set('fitness', `lap${i % 40}`, i);
    const replica = await startLoopbackNode(crypto, { store: held });
    const puller = await startLoopbackNode(crypto, {});
    peers.push(replica, puller);

    // The real one-thread verifier, with the size of every batch it is given written down.
    const inline = inlineSignatureVerifier(crypto.ed25519);
    const batches: number[] = [];
    const recording: SignatureBatchVerifier = {
      verifyAll: (checks) => {
        batches.push(checks.length);
        return inline.verifyAll(checks);
      },
    };
    store = new SqliteChainStore(join(tempDir(), 'pulled.db'));
    const target = peerAt(replica.node.libp2p.peerId, replica.node.libp2p.getMultiaddrs());
    const result = await puller.node.network.withSync(target, (channel) => runPull(channel, crypto, store!, profile.id, Number.POSITIVE_INFINITY, recording));

    expect(result.length).toBe(profile.length);
    expect(store.head(profile.id)?.cid).toBe(profile.headCid);
    expect(verifyStoredChain(crypto, store, profile.id).ok).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(profile.length);
    // A 60 KiB write holds about 80 of these blocks; however TCP cuts it, the batches are many blocks each.
    expect(batches.length).toBeLessThanOrEqual(profile.length / 8);
  }, 60_000);
});
