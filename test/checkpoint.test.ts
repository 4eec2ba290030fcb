// Checkpoints and the history root, in core: a write past every 256 blocks ends with a checkpoint over all
// headers before it; the writer's root survives a reopen from a snapshot; the verifier refuses a checkpoint
// (validly signed) whose root is wrong; head records commit to the root (v2) and old v1 records still validate.
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { CHECKPOINT_EVERY, checkpointMeta, storedHistory } from '../src-main/core/chain/checkpoint.ts';
import { decodeHeader, signHeader } from '../src-main/core/chain/header.ts';
import { ChainVerificationError } from '../src-main/core/chain/errors.ts';
import { verifyChain, verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { headKey, makeHeadRecord, validateHeadRecord } from '../src-main/core/net/head-record.ts';
import { decodeCanonical, encode, parseCid } from '../src-main/core/chain/codec.ts';
import { concatBytes } from '../src-main/core/bytes.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';

describe('checkpoints', () => {
  const store = new MemoryChainStore();
  const clock = new TestClock();
  const keys = ownerKeys();
  const profile = Profile.create(deps(store, clock), keys);
  while (profile.length < CHECKPOINT_EVERY + 20) profile.set('fitness', `lap${profile.length % 9}`, profile.length);

  it('a write that passes a multiple of 256 blocks ends with a checkpoint over every header before it', () => {
    const checkpoints = store.headersOfKind(profile.id, ['checkpoint']);
    expect(checkpoints.map((h) => h.seq)).toEqual([CHECKPOINT_EVERY]);
    const { header } = decodeHeader(crypto, checkpoints[0]!.bytes);
    expect(header.author).toBe(profile.id);
    const meta = checkpointMeta(header);
    expect(meta.size).toBe(CHECKPOINT_EVERY);
    expect(Buffer.from(meta.root)).toEqual(Buffer.from(storedHistory(crypto.sha256, store, profile.id, CHECKPOINT_EVERY).root()));
    expect(verifyStoredChain(crypto, store, profile.id).ok).toBe(true);
  });

  it('the writer keeps the root of all history, also when reopened from a snapshot', () => {
    const all = storedHistory(crypto.sha256, store, profile.id);
    expect(profile.historyRoot().size).toBe(profile.length);
    expect(Buffer.from(profile.historyRoot().root)).toEqual(Buffer.from(all.root()));
    expect(store.latestSnapshot(profile.id)).toBeDefined();
    const reopened = Profile.open(deps(store, clock), keys);
    expect(Buffer.from(reopened.historyRoot().root)).toEqual(Buffer.from(all.root()));
    const block = reopened.checkpoint();
    expect(block).toMatchObject({ kind: 'checkpoint', seq: all.size });
    expect(verifyStoredChain(crypto, store, profile.id).ok).toBe(true);
  });

  it('a reopen takes the accumulator from the snapshot, reading no header before it; an older snapshot without it still opens', () => {
    const all = storedHistory(crypto.sha256, store, profile.id);
    const snapshot = store.latestSnapshot(profile.id)!;
    const reads: number[] = [];
    const watched = new Proxy(store, {
      get(target, name, receiver) {
        if (name !== 'headers') return Reflect.get(target, name, receiver) as unknown;
        return (id: Did, from = 0, to?: number) => {
          reads.push(from);
          return target.headers(id, from, to);
        };
      },
    });
    expect(Buffer.from(Profile.open(deps(watched, clock), keys).historyRoot().root)).toEqual(Buffer.from(all.root()));
    expect(reads).toEqual([snapshot.seq + 1]);

    // A snapshot as written before the peaks were kept in it: the accumulator is rebuilt from the stored CIDs.
    const aad = encode(['defaust/snapshot/v1', profile.id, snapshot.seq, snapshot.cid]);
    const opened = decodeCanonical(crypto.aead.open(keys.localKey, snapshot.sealed.subarray(0, 12), snapshot.sealed.subarray(12), aad)!) as Record<string, unknown>;
    expect(opened.history).toMatchObject({ size: snapshot.seq + 1 });
    const { history: _, ...older } = opened;
    const nonce = crypto.randomBytes(12);
    store.putSnapshot(profile.id, { ...snapshot, sealed: concatBytes(nonce, crypto.aead.seal(keys.localKey, nonce, encode(older), aad)) });
    reads.length = 0;
    const reopened = Profile.open(deps(watched, clock), keys);
    expect(reads).toEqual([0, snapshot.seq + 1]);
    expect(Buffer.from(reopened.historyRoot().root)).toEqual(Buffer.from(all.root()));
    expect(reopened.current()).toEqual(profile.current());
    store.putSnapshot(profile.id, snapshot);
  });

  it('a checkpoint signed by the owner over a wrong root is refused by the verifier', () => {
    const headers = [...store.headers(profile.id)].map((h) => h.bytes);
    const { header } = decodeHeader(crypto, headers[CHECKPOINT_EVERY]!);
    const root = header.meta.root as Uint8Array;
    const wrong = signHeader(crypto, { ...header, meta: { root: root.map((b, i) => (i === 0 ? b ^ 1 : b)), size: CHECKPOINT_EVERY } }, keys.identity.ed25519Seed);
    const forged = [...headers.slice(0, CHECKPOINT_EVERY), wrong.bytes];
    expect(() => verifyChain(crypto, profile.id, forged)).toThrow(ChainVerificationError);
    try {
      verifyChain(crypto, profile.id, forged);
    } catch (error) {
      expect(error).toMatchObject({ rule: 'checkpoint', seq: CHECKPOINT_EVERY });
    }
    // And one whose size is not its seq is a schema error.
    const badSize = signHeader(crypto, { ...header, meta: { root, size: 3 } }, keys.identity.ed25519Seed);
    expect(() => verifyChain(crypto, profile.id, [...headers.slice(0, CHECKPOINT_EVERY), badSize.bytes])).toThrow(expect.objectContaining({ rule: 'schema' }) as Error);
    // A device may not sign one.
    const byDevice = signHeader(crypto, { ...header, author: profile.device }, keys.deviceSeed);
    expect(() => verifyChain(crypto, profile.id, [...headers.slice(0, CHECKPOINT_EVERY), byDevice.bytes])).toThrow(expect.objectContaining({ rule: 'author' }) as Error);
  });

  it('head records commit to the root (v2), and an old v1 record still validates', () => {
    const head = store.head(profile.id)!;
    const root = storedHistory(crypto.sha256, store, profile.id).root();
    const v2 = makeHeadRecord(crypto, { id: profile.id, seq: head.seq, head: parseCid(head.cid), ts: clock.now(), root }, keys.identity.ed25519Seed);
    const read = validateHeadRecord(crypto, headKey(profile.id), v2.bytes);
    expect(read.v).toBe(2);
    expect(Buffer.from(read.root!)).toEqual(Buffer.from(root));
    const v1 = makeHeadRecord(crypto, { id: profile.id, seq: head.seq, head: parseCid(head.cid), ts: clock.now() }, keys.identity.ed25519Seed);
    const old = validateHeadRecord(crypto, headKey(profile.id), v1.bytes);
    expect(old.v).toBe(1);
    expect(old.root).toBeUndefined();
    // The root is signed: changing it breaks the signature.
    const tampered = v2.bytes.slice();
    const at = Buffer.from(tampered).indexOf(Buffer.from(root));
    tampered[at]! ^= 1;
    expect(() => validateHeadRecord(crypto, headKey(profile.id), tampered)).toThrow(expect.objectContaining({ code: 'head/signature' }) as Error);
  });
});
