// The chain verifier: random valid chains are accepted; every kind of mutation is refused with the error
// of the rule it breaks and the seq where it breaks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { cidOf, decodeCanonical, encode, type CID } from '../src-main/core/chain/codec.ts';
import { ChainVerificationError, type ChainRule } from '../src-main/core/chain/errors.ts';
import { decodeHeader, signHeader, unsignedBytes, unsignedBytesOf, type UnsignedHeader } from '../src-main/core/chain/header.ts';
import { ChainVerifier, verifyChain, verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { CHECKPOINT_EVERY } from '../src-main/core/chain/checkpoint.ts';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import { Profile, type OwnerKeys } from '../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';

interface Fixture {
  keys: OwnerKeys;
  profile: Profile;
  store: MemoryChainStore;
  headers: Uint8Array[];
  bodies: Map<string, Uint8Array>;
}

const KEYS = ownerKeys();

/** A chain of genesis, device-add, section-keys and `writes` deltas in random sections. */
function chain(writes: number, seed = 1): Fixture {
  const store = new MemoryChainStore();
  const clock = new TestClock();
  const profile = Profile.create(deps(store, clock), KEYS);
  const sections = ['public', 'contact', 'health', 'fitness', 'feats'];
  for (let i = 0; i < writes; i++) {
    clock.advance(1000 + ((seed * 7919 + i * 104729) % 5000));
    profile.set(sections[(seed + i) % sections.length]!, `field${i % 4}`, `value ${i}`);
  }
  const headers = [...store.headers(profile.id)].map((h) => h.bytes);
  const bodies = new Map<string, Uint8Array>();
  for (const bytes of headers) for (const ref of decodeHeader(crypto, bytes).header.bodies) bodies.set(ref.cid.toString(), store.body(ref.cid.toString())!);
  return { keys: KEYS, profile, store, headers, bodies };
}

function verify(f: Fixture, headers = f.headers, bodies = f.bodies) {
  return verifyChain(crypto, f.profile.id, headers, (cid) => bodies.get(cid.toString()));
}

function expectRule(run: () => unknown, rule: ChainRule, seq: number): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ChainVerificationError);
    const e = error as ChainVerificationError;
    expect({ rule: e.rule, seq: e.seq }).toEqual({ rule, seq });
    expect(e.code).toBe(`chain/${rule}`);
    return;
  }
  throw new Error(`expected a ${rule} failure at seq ${seq}, but the chain verified`);
}

/** Re-signs header `seq` after `change`, by `signer` (the identity key unless told). */
function resign(f: Fixture, seq: number, change: (h: UnsignedHeader) => void, signer?: Uint8Array): Uint8Array[] {
  const { header } = decodeHeader(crypto, f.headers[seq]!);
  const unsigned: UnsignedHeader = { ...header };
  delete (unsigned as Partial<typeof header>).sig;
  change(unsigned);
  const seed = signer ?? (unsigned.author === f.profile.id ? f.keys.identity.ed25519Seed : f.keys.deviceSeed);
  const copy = [...f.headers];
  copy[seq] = signHeader(crypto, unsigned, seed).bytes;
  return copy;
}

describe('valid chains', () => {
  it('random valid chains verify, with their head and length', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 1000 }), (writes, seed) => {
      const f = chain(writes, seed);
      const result = verify(f);
      return result.length === writes + 3 && result.head?.toString() === f.profile.headCid;
    }), { numRuns: 25 });
  });

  it('a stored chain verifies through the store port', () => {
    const f = chain(5);
    expect(verifyStoredChain(crypto, f.store, f.profile.id)).toMatchObject({ ok: true, length: 8, head: f.profile.headCid });
  });

  it('the signed bytes cut from a header equal the re-encoded header without sig', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 99 }), (writes, seed) => {
      for (const bytes of chain(writes, seed).headers) {
        const block = decodeHeader(crypto, bytes);
        if (Buffer.compare(unsignedBytesOf(block), unsignedBytes(block.header)) !== 0) return false;
      }
      return true;
    }), { numRuns: 10 });
    const big = decodeHeader(crypto, chain(1).headers[3]!);
    const far = { ...big.header, seq: 70_000, ts: 2 ** 40 };
    const bytes = encode(far);
    expect(unsignedBytesOf({ ...big, header: far, bytes })).toEqual(unsignedBytes(far));
  });

  it('headers stay verifiable without their bodies', () => {
    const f = chain(6);
    expect(verify(f, f.headers, new Map()).length).toBe(9);
  });
});

describe('every mutation is refused with its own rule', () => {
  const f = chain(12, 3);
  const deltaSeqs = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const pick = fc.constantFrom(...deltaSeqs);

  it('a flipped bit anywhere in any header is refused (never accepted, never another error type)', () => {
    fc.assert(fc.property(fc.nat({ max: f.headers.length - 1 }), fc.nat(), fc.nat({ max: 7 }), (seq, at, bit) => {
      const copy = [...f.headers];
      const bytes = copy[seq]!.slice();
      bytes[at % bytes.length]! ^= 1 << bit;
      copy[seq] = bytes;
      try {
        verify(f, copy);
        return false;
      } catch (error) {
        return error instanceof ChainVerificationError && error.seq === seq;
      }
    }), { numRuns: 400 });
  });

  it('a flipped signature bit: signature', () => {
    fc.assert(fc.property(pick, fc.nat({ max: 63 }), (seq, at) => {
      const { header } = decodeHeader(crypto, f.headers[seq]!);
      const sig = header.sig.slice();
      sig[at]! ^= 0x01;
      const copy = [...f.headers];
      copy[seq] = encode({ ...header, sig });
      expectRule(() => verify(f, copy), 'signature', seq);
    }), { numRuns: 30 });
  });

  it('two blocks swapped: seq', () => {
    fc.assert(fc.property(fc.integer({ min: 3, max: 13 }), (seq) => {
      const copy = [...f.headers];
      [copy[seq], copy[seq + 1]] = [copy[seq + 1]!, copy[seq]!];
      expectRule(() => verify(f, copy), 'seq', seq);
    }), { numRuns: 10 });
  });

  it('a block dropped: seq', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 13 }), (seq) => {
      const copy = f.headers.filter((_, i) => i !== seq);
      expectRule(() => verify(f, copy), 'seq', seq);
    }), { numRuns: 10 });
  });

  it('a duplicate seq (a second block claiming the same place): seq', () => {
    fc.assert(fc.property(pick, (seq) => {
      const copy = [...f.headers];
      copy.splice(seq + 1, 0, f.headers[seq]!);
      expectRule(() => verify(f, copy), 'seq', seq + 1);
    }), { numRuns: 10 });
  });

  it('a wrong prev: prev', () => {
    fc.assert(fc.property(pick, fc.uint8Array({ minLength: 8, maxLength: 8 }), (seq, junk) => {
      const copy = resign(f, seq, (h) => { h.prev = cidOf(crypto.sha256, junk); });
      expectRule(() => verify(f, copy), 'prev', seq);
    }), { numRuns: 10 });
  });

  it('a foreign signer: author', () => {
    fc.assert(fc.property(pick, fc.uint8Array({ minLength: 32, maxLength: 32 }), (seq, stranger) => {
      const copy = resign(f, seq, (h) => { h.author = didFromPublicKey(crypto.ed25519.publicKey(stranger)); }, stranger);
      expectRule(() => verify(f, copy), 'author', seq);
    }), { numRuns: 10 });
  });

  it('a device signing what only the identity key may sign: author', () => {
    const copy = resign(f, 1, (h) => { h.author = f.profile.device; }, f.keys.deviceSeed);
    expectRule(() => verify(f, copy), 'author', 1);
  });

  it('a block from the wrong identity: identity', () => {
    const other = ownerKeys();
    const otherId = didFromPublicKey(crypto.ed25519.publicKey(other.identity.ed25519Seed));
    const copy = resign(f, 5, (h) => { h.id = otherId; });
    expectRule(() => verify(f, copy), 'identity', 5);
  });

  it('time going back beyond the tolerance: timestamp', () => {
    const copy = resign(f, 6, (h) => { h.ts -= 60 * 60 * 1000; });
    expectRule(() => verify(f, copy), 'timestamp', 6);
  });

  it('a body that does not match its CID: body-cid', () => {
    const { header } = decodeHeader(crypto, f.headers[7]!);
    const bodies = new Map(f.bodies);
    const key = header.bodies[0]!.cid.toString();
    const tampered = bodies.get(key)!.slice();
    tampered[tampered.length - 1]! ^= 1;
    bodies.set(key, tampered);
    expectRule(() => verify(f, f.headers, bodies), 'body-cid', 7);
  });

  it('a non-canonical header (same value, longer integer encoding): canonical', () => {
    const bytes = f.headers[4]!;
    const hex = Buffer.from(bytes).toString('hex');
    // "seq" key then the small int 4 (0x04) → the non-minimal 0x1804
    const mutated = Buffer.from(hex.replace('637365710' + '4', '63736571' + '1804'), 'hex');
    expect(mutated.length).toBe(bytes.length + 1);
    const copy = [...f.headers];
    copy[4] = new Uint8Array(mutated);
    expectRule(() => verify(f, copy), 'canonical', 4);
  });

  it('a header with an extra field: schema', () => {
    const value = decodeCanonical(f.headers[8]!) as Record<string, unknown>;
    const copy = [...f.headers];
    copy[8] = encode({ ...value, extra: 1 });
    expectRule(() => verify(f, copy), 'schema', 8);
  });

  it('a genesis that is not first, or a first block that is not genesis: genesis/seq', () => {
    expectRule(() => verify(f, f.headers.slice(1)), 'seq', 0);
    const copy = resign(f, 4, (h) => { h.kind = 'genesis'; h.meta = decodeHeader(crypto, f.headers[0]!).header.meta; h.author = f.profile.id; }, f.keys.identity.ed25519Seed);
    expectRule(() => verify(f, copy), 'genesis', 4);
  });
});

describe('devices', () => {
  it("a revoked device's later blocks fail: author", () => {
    const store = new MemoryChainStore();
    const clock = new TestClock();
    const profile = Profile.create(deps(store, clock), KEYS);
    profile.set('public', 'name', 'Ada');
    const headers = [...store.headers(profile.id)].map((h) => h.bytes);
    const last = decodeHeader(crypto, headers[headers.length - 1]!);
    const revoke = signHeader(crypto, {
      v: 1, id: profile.id, seq: headers.length, prev: last.cid, ts: last.header.ts + 1, kind: 'device-revoke',
      author: profile.id, bodies: [], meta: { device: profile.device },
    }, KEYS.identity.ed25519Seed);
    const after = signHeader(crypto, {
      v: 1, id: profile.id, seq: headers.length + 1, prev: revoke.cid, ts: last.header.ts + 2, kind: 'delta',
      author: profile.device, bodies: [], meta: {},
    }, KEYS.deviceSeed);
    expect(verifyChain(crypto, profile.id, [...headers, revoke.bytes]).length).toBe(headers.length + 1);
    expectRule(() => verifyChain(crypto, profile.id, [...headers, revoke.bytes, after.bytes]), 'author', headers.length + 1);
  });
});

describe('a verifier that goes on from a stored chain', () => {
  const f = chain(300, 3);
  const stored = [...f.store.headers(f.profile.id)];
  /** A store holding the first `length` blocks of the fixture (and `extra` after them), with their bodies. */
  const holding = (length: number, extra: Uint8Array[] = []) => {
    const copy = new MemoryChainStore();
    const blocks = [...stored.slice(0, length).map((h) => h.bytes), ...extra].map((bytes) => {
      const { header, cid } = decodeHeader(crypto, bytes);
      return {
        header: { seq: header.seq, cid: cid.toString(), kind: header.kind, ts: header.ts, author: header.author, bytes },
        bodies: header.bodies.map((ref) => ({ cid: ref.cid.toString(), bytes: f.bodies.get(ref.cid.toString())! })),
      };
    });
    copy.append(f.profile.id, blocks);
    return copy;
  };

  it('accepts the rest of the chain from any cut, a checkpoint after the cut included, as a verifier from genesis does', () => {
    expect(f.headers.length).toBeGreaterThan(CHECKPOINT_EVERY + 1);
    const whole = verify(f);
    fc.assert(fc.property(fc.integer({ min: 1, max: f.headers.length - 1 }), (cut) => {
      const verifier = ChainVerifier.continuing(crypto, holding(cut), f.profile.id);
      expect(verifier.length).toBe(cut);
      for (const bytes of f.headers.slice(cut)) verifier.acceptBytes(bytes, (cid) => f.bodies.get(cid.toString()));
      expect(verifier.head?.toString()).toBe(whole.head?.toString());
    }), { numRuns: 25, examples: [[CHECKPOINT_EVERY - 1], [CHECKPOINT_EVERY], [CHECKPOINT_EVERY + 1]] });
  });

  it('keeps the device certificates it read: a revoked device is refused after the cut, a live one taken; a block that does not follow is refused', () => {
    const last = decodeHeader(crypto, f.headers[f.headers.length - 1]!);
    const n = f.headers.length;
    const delta = (seq: number, prev: CID, ts: number) => signHeader(crypto, { v: 1, id: f.profile.id, seq, prev, ts, kind: 'delta', author: f.profile.device, bodies: [], meta: {} }, KEYS.deviceSeed);
    ChainVerifier.continuing(crypto, holding(n), f.profile.id).acceptBytes(delta(n, last.cid, last.header.ts + 1).bytes);
    const revoke = signHeader(crypto, {
      v: 1, id: f.profile.id, seq: n, prev: last.cid, ts: last.header.ts + 1, kind: 'device-revoke', author: f.profile.id, bodies: [], meta: { device: f.profile.device },
    }, KEYS.identity.ed25519Seed);
    const afterRevoke = ChainVerifier.continuing(crypto, holding(n, [revoke.bytes]), f.profile.id);
    expectRule(() => afterRevoke.acceptBytes(delta(n + 1, revoke.cid, last.header.ts + 2).bytes), 'author', n + 1);
    const elsewhere = ChainVerifier.continuing(crypto, holding(n), f.profile.id);
    expectRule(() => elsewhere.acceptBytes(delta(n, decodeHeader(crypto, f.headers[n - 2]!).cid, last.header.ts + 1).bytes), 'prev', n);
  });
});
