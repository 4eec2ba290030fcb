// did:keys are curve points: the eight small-order Ed25519 encodings, non-canonical, off-curve and mixed-order
// keys are refused as ids, grantees, devices and signers; nothing is sealed to a small-order X25519 key; and a
// random 32-byte string is accepted exactly when it encodes a point of prime order.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { DAY_MS } from '../src-main/core/chain/keyring.ts';
import { encode } from '../src-main/core/chain/codec.ts';
import { ChainVerificationError } from '../src-main/core/chain/errors.ts';
import { decodeHeader, signHeader, type UnsignedHeader } from '../src-main/core/chain/header.ts';
import { verifyChain } from '../src-main/core/chain/verify.ts';
import { concatBytes, fromHex, toHex, utf8 } from '../src-main/core/bytes.ts';
import { WeakKeyError } from '../src-main/core/crypto/errors.ts';
import { checkAttestation, FeatError } from '../src-main/core/feats/claims.ts';
import { assertDid, didFromPublicKey, isDid, publicKeyFromDid } from '../src-main/core/identity/did.ts';
import { InvalidDidError, type DidProblem } from '../src-main/core/identity/errors.ts';
import { ed25519KeyProblem } from '../src-main/core/identity/key-point.ts';
import { recipientKey } from '../src-main/core/identity/recipient.ts';
import { verifyDeposit } from '../src-main/core/net/deposit.ts';
import { MessageError } from '../src-main/core/net/errors.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { didSchema } from '../src-preload/api/contract.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';

/** The eight points of order 1, 2, 4 and 8, canonically encoded (every small-order Ed25519 point). */
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000', // the identity
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
].map(fromHex);
const NON_CANONICAL = [
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p + 1: the identity again
  '0100000000000000000000000000000000000000000000000000000000000080', // x = 0 with its sign bit set
].map(fromHex);
const OFF_CURVE = fromHex('0200000000000000000000000000000000000000000000000000000000000000'); // y = 2 has no x

/** The X25519 u-coordinates of small order (and their non-canonical forms): whatever is sealed to them opens for all. */
const LOW_ORDER_U = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(fromHex);

const littleEndian = (bytes: Uint8Array) => bytes.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const genuineKey = (seed: Uint8Array) => crypto.ed25519.publicKey(seed);
/** A genuine key plus a point of order 8: on the curve, not small order, but not in the prime-order group. */
const mixedOrder = (seed: Uint8Array) => ed25519.Point.fromBytes(genuineKey(seed)).add(ed25519.Point.fromBytes(SMALL_ORDER[4]!)).toBytes();

function problemOf(did: string): DidProblem | 'accepted' {
  try {
    publicKeyFromDid(did);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDidError);
    expect((error as InvalidDidError).code).toBe('invalid-did');
    return (error as InvalidDidError).problem;
  }
}

describe('did:key decoding checks the point', () => {
  it('refuses the 8 small-order encodings, non-canonical and off-curve keys, with why', () => {
    for (const key of SMALL_ORDER) {
      expect(ed25519.Point.fromBytes(key).isSmallOrder(), toHex(key)).toBe(true);
      expect(isDid(didFromPublicKey(key)), toHex(key)).toBe(false);
      expect(problemOf(didFromPublicKey(key)), toHex(key)).toBe('small-order');
    }
    for (const key of NON_CANONICAL) expect(problemOf(didFromPublicKey(key)), toHex(key)).toBe('non-canonical');
    expect(problemOf(didFromPublicKey(OFF_CURVE))).toBe('off-curve');
    expect(problemOf(didFromPublicKey(mixedOrder(new Uint8Array(32).fill(7))))).toBe('mixed-order');
    expect(problemOf('did:key:z6Mk')).toBe('format');
    expect(() => assertDid(42)).toThrow(InvalidDidError);
  });

  it('accepts genuine keys and round-trips them', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
      const key = genuineKey(seed);
      return isDid(didFromPublicKey(key)) && toHex(publicKeyFromDid(didFromPublicKey(key))) === toHex(key);
    }), { numRuns: 50, seed: 9 });
  });

  it('accepts 32 bytes exactly when they are the strict encoding of a point of prime order', () => {
    // The oracle: RFC 8032's strict decoding, then 8·P ≠ O and L·P = O, computed by hand.
    const primeOrder = (key: Uint8Array): boolean => {
      let point;
      try {
        point = ed25519.Point.fromBytes(key, false);
      } catch {
        return false;
      }
      return !point.double().double().double().is0() && point.multiplyUnsafe(L - 1n).add(point).is0();
    };
    const keys = fc.oneof(
      { weight: 6, arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(genuineKey) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(mixedOrder) },
      { weight: 1, arbitrary: fc.constantFrom(...SMALL_ORDER, ...NON_CANONICAL) },
    );
    let accepted = 0;
    fc.assert(fc.property(keys, (key) => {
      const ok = isDid(didFromPublicKey(key));
      if (ok) accepted++;
      return ok === primeOrder(key) && ok === (ed25519KeyProblem(key) === null);
    }), { numRuns: 500, seed: 42 });
    expect(accepted).toBeGreaterThan(50);
  });

  it('the contract checks the same written form as the core', () => {
    const did = didFromPublicKey(genuineKey(new Uint8Array(32).fill(3)));
    expect(didSchema.safeParse(did).success).toBe(true);
    for (const bad of ['did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc', `${did}x`, did.slice(0, -1), 'did:key:z6Mk', ` ${did}`]) {
      expect(didSchema.safeParse(bad).success, bad).toBe(false);
      expect(isDid(bad), bad).toBe(false);
    }
  });
});

describe('signatures under small-order keys', () => {
  it('never verify, though R = a small-order point and S = 0 fits the equation for many messages', () => {
    let forged = 0;
    for (const key of SMALL_ORDER) {
      for (const r of SMALL_ORDER) {
        for (let i = 0; i < 8; i++) {
          const sig = new Uint8Array(64);
          sig.set(r, 0);
          if (crypto.ed25519.verify(key, utf8(`message ${i}`), sig)) forged++;
        }
      }
    }
    expect(forged).toBe(0);
  });

  it('never verify under a mixed-order key, which its maker could sign for on one message in eight', () => {
    // A' = a·B + T (T of order 8): the signature (R, r + h'·a) checks out whenever h' = H(R ‖ A' ‖ M) is a multiple of 8.
    const seed = new Uint8Array(32).fill(5);
    const { scalar, prefix } = ed25519.utils.getExtendedPublicKey(seed);
    const twin = mixedOrder(seed);
    const modL = (bytes: Uint8Array) => ed25519.Point.Fn.create(littleEndian(bytes));
    let forged = 0;
    for (let i = 0; i < 64; i++) {
      const message = utf8(`message ${i}`);
      const r = modL(sha512(concatBytes(prefix, message)));
      const R = ed25519.Point.BASE.multiply(r).toBytes();
      const h = modL(sha512(concatBytes(R, twin, message)));
      const sig = concatBytes(R, ed25519.Point.Fn.toBytes(ed25519.Point.Fn.create(r + h * scalar)));
      if (crypto.ed25519.verify(twin, message, sig)) forged++;
    }
    expect(forged).toBe(0);
  });
});

describe('sealing to small-order keys', () => {
  it('is refused: the sealed box would open with any key', () => {
    for (const u of LOW_ORDER_U) {
      expect(() => crypto.box.seal(u, utf8('section seeds')), toHex(u)).toThrow(WeakKeyError);
    }
    // What the refusal prevents: with the low-order key as the peer key, any secret at all opens the box.
    const u = LOW_ORDER_U[0]!;
    const ephemeral = nacl.box.keyPair();
    const nonce = new Uint8Array(24);
    const boxed = nacl.box(utf8('section seeds'), nonce, u, ephemeral.secretKey);
    for (let i = 0; i < 20; i++) expect(nacl.box.open(boxed, nonce, u, crypto.randomBytes(32))).not.toBeNull();
  });

  it('a grant to a small-order did is refused before anything is sealed or written', () => {
    const store = new MemoryChainStore();
    const clock = new TestClock(Date.UTC(2026, 0, 1, 12));
    const owner = Profile.create(deps(store, clock), ownerKeys());
    const length = owner.length;
    for (const key of SMALL_ORDER) {
      const did = didFromPublicKey(key);
      expect(() => recipientKey(did)).toThrow(InvalidDidError);
      expect(() => owner.grant(did, 'contact', 'read', clock.now() + 30 * DAY_MS)).toThrow(InvalidDidError);
      expect(() => owner.devices.add(did)).toThrow(InvalidDidError);
    }
    expect(owner.length).toBe(length);
  });
});

describe('the verifier', () => {
  /** A fresh owner's chain (genesis, device-add, section-keys) and its keys. */
  function fixture() {
    const keys = ownerKeys();
    const store = new MemoryChainStore();
    const clock = new TestClock();
    const profile = Profile.create(deps(store, clock), keys);
    const headers = [...store.headers(profile.id)].map((h) => h.bytes);
    return { keys, profile, headers };
  }

  /** `headers` with header 1 changed by `change`, and every later header re-linked and re-signed after it. */
  function withDeviceAdd(f: ReturnType<typeof fixture>, change: (h: UnsignedHeader) => void): Uint8Array[] {
    const out = [f.headers[0]!];
    for (let seq = 1; seq < f.headers.length; seq++) {
      const unsigned = unsignedOf(f.headers[seq]!);
      if (seq === 1) change(unsigned);
      unsigned.prev = decodeHeader(crypto, out[seq - 1]!).cid;
      out.push(signHeader(crypto, unsigned, unsigned.author === f.profile.id ? f.keys.identity.ed25519Seed : f.keys.deviceSeed).bytes);
    }
    return out;
  }

  function unsignedOf(bytes: Uint8Array): UnsignedHeader {
    const { header } = decodeHeader(crypto, bytes);
    const unsigned: UnsignedHeader = { ...header };
    delete (unsigned as Partial<typeof header>).sig;
    return unsigned;
  }

  function expectSchemaAt(run: () => unknown, seq: number, pattern: RegExp): void {
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ChainVerificationError);
    expect({ rule: (caught as ChainVerificationError).rule, seq: (caught as ChainVerificationError).seq }).toEqual({ rule: 'schema', seq });
    expect((caught as Error).message).toMatch(pattern);
  }

  it('refuses a device-add certifying a small-order key, and the blocks that key then "signs"', () => {
    const f = fixture();
    expect(decodeHeader(crypto, f.headers[1]!).header.kind).toBe('device-add');
    const identity = SMALL_ORDER[0]!; // under O, the signature (R = O, S = 0) satisfies S·B = R + h·A for every message
    const bogus = didFromPublicKey(identity);
    const headers = withDeviceAdd(f, (h) => { h.meta = { ...h.meta, device: bogus }; });
    const last = decodeHeader(crypto, headers[headers.length - 1]!);
    const forged: UnsignedHeader = { ...unsignedOf(headers[0]!), seq: headers.length, prev: last.cid, ts: last.header.ts + 1, kind: 'delta', author: bogus, bodies: [], meta: {} };
    const signed = signHeader(crypto, forged, f.keys.deviceSeed);
    const forgedBytes = signed.bytes;
    // The honest signature replaced by the forgery (same length, same place in the canonical bytes).
    const at = Buffer.from(forgedBytes).indexOf(Buffer.from(signed.header.sig));
    forgedBytes.set(identity, at);
    forgedBytes.fill(0, at + 32, at + 64);
    expectSchemaAt(() => verifyChain(crypto, f.profile.id, [...headers, forgedBytes]), 1, /meta\.device .*\(small-order\)/);
    expectSchemaAt(() => decodeHeader(crypto, forgedBytes), headers.length, /author .*\(small-order\)/);
  });

  it('refuses mixed-order and off-curve device keys too', () => {
    const f = fixture();
    const cases: [Uint8Array, DidProblem][] = [[mixedOrder(new Uint8Array(32).fill(1)), 'mixed-order'], [OFF_CURVE, 'off-curve'], [NON_CANONICAL[0]!, 'non-canonical']];
    for (const [key, problem] of cases) {
      const headers = withDeviceAdd(f, (h) => { h.meta = { ...h.meta, device: didFromPublicKey(key) }; });
      expectSchemaAt(() => verifyChain(crypto, f.profile.id, headers), 1, new RegExp(`meta\\.device .*\\(${problem}\\)`, 'u'));
    }
  });
});

describe('what peers send', () => {
  // Under the identity point O, the signature R = O, S = 0 satisfies S·B = R + h·A for every message: a
  // "sender" or "witness" nobody holds a key for, whose every message checks out.
  const NOBODY = didFromPublicKey(SMALL_ORDER[0]!);
  const anySig = concatBytes(SMALL_ORDER[0]!, new Uint8Array(32));
  const someone = didFromPublicKey(genuineKey(new Uint8Array(32).fill(9)));

  it('a mail deposit from or to a small-order did is refused as malformed', () => {
    const deposit = { v: 1, to: someone, from: NOBODY, ts: 1, ttl: 10, envelope: utf8('x'), sig: anySig };
    for (const bytes of [encode(deposit), encode({ ...deposit, to: NOBODY, from: someone })]) {
      let caught: unknown;
      try {
        verifyDeposit(crypto, bytes);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(MessageError);
      expect((caught as MessageError).code).toBe('msg/malformed');
    }
  });

  it('an attestation reply signed by a small-order witness is refused', () => {
    const bytes = encode({
      type: 'defaust/attestation', v: 1, claim: 'bafyreib4pff766vhpbxbhjbqqnsh5emeznvujayjj4z2iu533cwgqqa3ia', claimHash: '1',
      subject: someone, witness: NOBODY, verdict: 'no', ts: 1, babyJubjub: [new Uint8Array(32), new Uint8Array(32)], poseidon: null,
    });
    expect(() => checkAttestation(crypto, bytes, anySig)).toThrow(FeatError);
  });
});
