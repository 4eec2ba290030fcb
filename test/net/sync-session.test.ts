// The sync protocol without a network: frames over any chunking, strict message decoding, and the pull and
// push sessions over an in-memory channel pair (every message still goes through the frame and message
// codecs), including peers that lie about sizes, send forks, or send what was not asked for.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { VerifyPool } from '../../src-main/adapters/crypto/verify-pool.ts';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { parseCid } from '../../src-main/core/chain/codec.ts';
import type { SignatureCheck } from '../../src-main/core/crypto/port.ts';
import type { Did } from '../../src-main/core/identity/did.ts';
import { SyncError } from '../../src-main/core/net/errors.ts';
import { encodeFrame, encodeVarint, FrameReader } from '../../src-main/core/net/frames.ts';
import { decodeSyncMessage, encodeSyncMessage, type SyncMessage } from '../../src-main/core/net/sync-messages.ts';
import {
  expectMessage, INTAKE_BATCH, runPull, runPush, servePull, servePush, type SyncChannel,
} from '../../src-main/core/net/sync-session.ts';
import type { ChainStore } from '../../src-main/core/ports.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from '../helpers.ts';

async function* chunks(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

/** Cuts `bytes` at the given points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

/**
 * Two ends of an in-memory channel; each message is framed, split into odd chunks and decoded again. With
 * `buffering`, a receiver can tell a message is already waiting (`ready`), as over a libp2p stream, so blocks
 * are verified in batches; without, each block is verified as it comes.
 */
function channelPair(buffering = false): [SyncChannel, SyncChannel] {
  const make = (inbox: Uint8Array[][], outbox: Uint8Array[][], wake: (() => void)[], wakeOther: (() => void)[]): SyncChannel => {
    let reader: FrameReader | null = null;
    const source = (async function* () {
      for (;;) {
        while (inbox.length === 0) await new Promise<void>((resolve) => wake.push(resolve));
        for (const part of inbox.shift()!) yield part;
      }
    })();
    const send = async (message: SyncMessage) => {
      const frame = encodeFrame(encodeSyncMessage(message));
      outbox.push(split(frame, [3, 17, 1000]));
      wakeOther.splice(0).forEach((resolve) => resolve());
    };
    return {
      send,
      async sendAll(messages) {
        for (const message of messages) await send(message);
      },
      async receive() {
        reader ??= new FrameReader(source);
        const payload = await reader.next();
        if (payload === null) throw new SyncError('closed', 'closed');
        return decodeSyncMessage(payload);
      },
      ...(buffering ? { ready: () => inbox.length > 0 || (reader?.hasFrame() ?? false) } : {}),
    };
  };
  const aToB: Uint8Array[][] = [];
  const bToA: Uint8Array[][] = [];
  const wakeA: (() => void)[] = [];
  const wakeB: (() => void)[] = [];
  return [make(bToA, aToB, wakeA, wakeB), make(aToB, bToA, wakeB, wakeA)];
}

function chain(blocks: number, media = 0): { store: ChainStore; id: Did; profile: Profile } {
  const store = new MemoryChainStore();
  const profile = Profile.create(deps(store, new TestClock()), ownerKeys());
  for (let i = 0; profile.length < blocks; i++) profile.set('fitness', `lap${i}`, i);
  if (media > 0) profile.attach('public', 'clip', crypto.randomBytes(media), 'clip.bin', 'application/octet-stream');
  return { store, id: profile.id, profile };
}

/** The server side as the node's handler runs it: read the pull, serve it. */
async function serve(channel: SyncChannel, store: ChainStore): Promise<void> {
  const pull = await expectMessage(channel, 'pull');
  await servePull(channel, store, pull.id, pull.from);
}

async function settle<T>(promise: Promise<T>): Promise<T | SyncError> {
  return promise.catch((error: unknown) => {
    if (error instanceof SyncError) return error;
    throw error;
  });
}

describe('frames', () => {
  it('read back the same payloads however the bytes are cut', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), async (payloads, cuts) => {
      const bytes = Uint8Array.from(payloads.flatMap((p) => [...encodeFrame(p)]));
      const reader = new FrameReader(chunks(split(bytes, cuts)), 1000);
      for (const payload of payloads) expect(await reader.next()).toEqual(payload);
      expect(await reader.next()).toBeNull();
    }), { numRuns: 200 });
  });

  it('refuse a frame over the cap before reading it, and a stream cut inside a frame', async () => {
    await expect(new FrameReader(chunks([encodeVarint(5000)]), 4096).next()).rejects.toMatchObject({ reason: 'frame-too-large' });
    await expect(new FrameReader(chunks([encodeFrame(new Uint8Array(10)).subarray(0, 6)])).next()).rejects.toMatchObject({ reason: 'closed' });
    await expect(new FrameReader(chunks([Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])])).next()).rejects.toMatchObject({ reason: 'protocol' });
  });
});

describe('sync messages', () => {
  it('decode only canonical, well-formed messages', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
      try {
        decodeSyncMessage(junk);
      } catch (error) {
        expect(error).toMatchObject({ reason: 'protocol' });
      }
    }), { numRuns: 300 });
    const head = parseCid('bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yje');
    const valid: SyncMessage[] = [
      { t: 'pull', id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', from: 3 },
      { t: 'ready', from: 0, head: null },
      { t: 'offer', cids: [head] },
      { t: 'end', length: 4, head },
      { t: 'error', code: 'over-quota', message: 'no', rule: null, seq: null },
    ];
    for (const message of valid) expect(decodeSyncMessage(encodeSyncMessage(message))).toEqual(message);
    const bad = [
      { t: 'pull', id: 'did:key:nope', from: 3 },
      { t: 'pull', id: valid[0]!.t === 'pull' ? valid[0]!.id : '', from: -1 },
      { t: 'ready', from: 0, head: null, extra: 1 },
      { t: 'error', code: 'made-up', message: '', rule: null, seq: null },
      { t: 'launch' },
    ];
    for (const message of bad) expect(() => decodeSyncMessage(encodeSyncMessage(message as unknown as SyncMessage))).toThrow(SyncError);
  });
});

describe('sync sessions', () => {
  it('pull a whole chain with its media, then only what follows', async () => {
    const { store, id, profile } = chain(30, 600_000);
    const mine = new MemoryChainStore();
    let [client, server] = channelPair();
    const serving = serve(server, store);
    const first = await runPull(client, crypto, mine, id);
    await serving;
    expect(first).toMatchObject({ added: 31, length: 31, head: profile.headCid });
    expect(mine.blobCids(id)).toEqual(store.blobCids(id));
    expect(mine.storedBytes(id)).toBe(store.storedBytes(id));

    profile.set('contact', 'email', 'x@example.org');
    [client, server] = channelPair();
    const again = serve(server, store);
    expect(await runPull(client, crypto, mine, id)).toMatchObject({ added: 1, length: 32, head: profile.headCid });
    await again;
  });

  it('push only what the replica lacks', async () => {
    const { store, id, profile } = chain(10);
    const replica = new MemoryChainStore();
    const policy = { crypto, store: replica, quotaFor: () => 1 << 20, afterStore: async () => true };
    for (const expected of [10, 3]) {
      const [owner, peer] = channelPair();
      const serving = (async () => servePush(peer, (await expectMessage(peer, 'push')), policy))();
      expect(await runPush(owner, store, id)).toMatchObject({ sent: expected, head: profile.headCid, provided: true });
      await serving;
      for (let i = 0; i < 3; i++) profile.set('contact', `f${i}`, i);
    }
  });

  it('count the bytes that arrive, not the size announced', async () => {
    const { store, id } = chain(40);
    const replica = new MemoryChainStore();
    const quota = Math.floor(store.storedBytes(id) / 2);
    const [owner, peer] = channelPair();
    const policy = { crypto, store: replica, quotaFor: () => quota, afterStore: async () => true };
    const serving = settle((async () => servePush(peer, { ...(await expectMessage(peer, 'push')), size: 10 }, policy))());
    const error = await settle(runPush(owner, store, id));
    expect(error).toMatchObject({ reason: 'over-quota', remote: true });
    expect(await serving).toMatchObject({ reason: 'over-quota', remote: false });
    expect(replica.head(id)).toBeUndefined();
  });

  it('refuse a continuation that forks from the chain held', async () => {
    const keys = ownerKeys();
    const a = new MemoryChainStore();
    const b = new MemoryChainStore();
    const pa = Profile.create(deps(a, new TestClock()), keys);
    for (let i = 0; i < 5; i++) pa.set('contact', 'n', i);
    // b holds the first 5 blocks of a, then its own continuation.
    for (const stored of a.headers(pa.id, 0, 5)) b.append(pa.id, [{ header: stored, bodies: [...a.bodiesOf(pa.id, stored.seq, stored.seq + 1)].map(([cid, bytes]) => ({ cid, bytes })) }]);
    const pb = Profile.open(deps(b, new TestClock(Date.UTC(2026, 0, 2))), keys);
    pb.set('contact', 'n', 'fork');
    const [client, server] = channelPair();
    const serving = settle(serve(server, a));
    const error = await settle(runPull(client, crypto, b, pa.id));
    expect(error).toMatchObject({ reason: 'bad-header', rule: 'prev' });
    expect(await serving).toBeInstanceOf(SyncError);
    expect(b.head(pa.id)!.cid).toBe(pb.headCid);
  });

  it('refuse blocks out of order, and blobs nobody asked for', async () => {
    const { store, id } = chain(6, 1000);
    const headers = [...store.headers(id)];
    const blockOf = (seq: number): SyncMessage => ({ t: 'block', header: headers[seq]!.bytes, bodies: [...store.bodiesOf(id, seq, seq + 1)].map(([cid, bytes]) => [parseCid(cid), bytes]) });

    let [client, server] = channelPair();
    let pulling = settle(runPull(client, crypto, new MemoryChainStore(), id));
    await expectMessage(server, 'pull');
    await server.send(blockOf(0));
    await server.send(blockOf(2));
    expect(await pulling).toMatchObject({ reason: 'bad-header', rule: 'seq', seq: 1 });

    [client, server] = channelPair();
    pulling = settle(runPull(client, crypto, new MemoryChainStore(), id));
    await expectMessage(server, 'pull');
    for (let seq = 0; seq < headers.length; seq++) await server.send(blockOf(seq));
    await server.send({ t: 'offer', cids: [] });
    await expectMessage(server, 'want');
    const blob = store.blobCids(id)[0]!;
    await server.send({ t: 'blob', cid: parseCid(blob), bytes: store.blob(blob)! });
    expect(await pulling).toMatchObject({ reason: 'protocol' });
  });

  describe('in batches, signatures on worker threads', () => {
    const pool = new VerifyPool(crypto.ed25519, { size: 2 });
    afterAll(() => pool.close());
    const long = chain(INTAKE_BATCH * 2 + 100);

    it('pull a chain of several batches, the same blocks as one at a time', async () => {
      const batched = new MemoryChainStore();
      const sizes: number[] = [];
      const counting = { verifyAll: (checks: readonly SignatureCheck[]) => (sizes.push(checks.length), pool.verifyAll(checks)) };
      const [client, server] = channelPair(true);
      const serving = serve(server, long.store);
      expect(await runPull(client, crypto, batched, long.id, Number.POSITIVE_INFINITY, counting)).toMatchObject({ added: long.profile.length, head: long.profile.headCid });
      await serving;
      expect([...batched.headers(long.id)]).toEqual([...long.store.headers(long.id)]);
      // Every block's signature checked once, most of them in full batches.
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(long.profile.length);
      expect(Math.max(...sizes)).toBe(INTAKE_BATCH);
    });

    it('refuse a bad signature in the second batch with its rule and seq, storing nothing', async () => {
      const bad = INTAKE_BATCH + 44;
      const headers = [...long.store.headers(long.id)];
      const blockOf = (seq: number): SyncMessage => {
        const header = headers[seq]!.bytes.slice();
        if (seq === bad) header[header.length - 5]! ^= 1;
        return { t: 'block', header, bodies: [...long.store.bodiesOf(long.id, seq, seq + 1)].map(([cid, bytes]) => [parseCid(cid), bytes]) };
      };
      const mine = new MemoryChainStore();
      const [client, server] = channelPair(true);
      const pulling = settle(runPull(client, crypto, mine, long.id, Number.POSITIVE_INFINITY, pool));
      await expectMessage(server, 'pull');
      for (let seq = 0; seq < headers.length; seq++) await server.send(blockOf(seq));
      expect(await pulling).toMatchObject({ reason: 'bad-header', rule: 'signature', seq: bad });
      expect(mine.head(long.id)).toBeUndefined();
    });
  });
});
