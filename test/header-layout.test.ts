// The quick read of header bytes (header-layout.ts) against the general read (decodeCanonical, then
// asHeader): on random headers, written as the writer writes them or not, and on those bytes mutated,
// decodeHeader gives exactly the header, or the refusal, that the general read gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { cidOf, cidText, decodeCanonical, encode, RAW } from '../src-main/core/chain/codec.ts';
import { asHeader, BLOCK_KINDS, decodeHeader, signHeader, type Header } from '../src-main/core/chain/header.ts';
import { readHeaderLayout } from '../src-main/core/chain/header-layout.ts';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import { ChainVerificationError } from '../src-main/core/chain/errors.ts';
import { crypto } from './helpers.ts';

const dids = [1, 2, 3].map((n) => didFromPublicKey(crypto.ed25519.publicKey(new Uint8Array(32).fill(n))));

/** How the general read takes `bytes`: a header, or the rule it refuses them under. */
function generalRead(bytes: Uint8Array): { header: Header } | { rule: string } {
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch {
    return { rule: 'canonical' };
  }
  try {
    return { header: asHeader(value) };
  } catch (error) {
    if (error instanceof ChainVerificationError) return { rule: error.rule };
    throw error;
  }
}

function decoded(bytes: Uint8Array): { header: Header } | { rule: string } {
  try {
    return { header: decodeHeader(crypto, bytes).header };
  } catch (error) {
    if (error instanceof ChainVerificationError) return { rule: error.rule };
    throw error;
  }
}

const link: fc.Arbitrary<CID> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(0x71, RAW)).map(([bytes, codec]) => cidOf(crypto.sha256, bytes, codec)) },
  // Links the writer never writes: read the general way.
  fc.uint8Array({ minLength: 1, maxLength: 20 }).map((bytes) => CID.createV1(0x71, Digest.create(0x00, bytes))),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => CID.createV1(0x0129, Digest.create(0x12, bytes))),
  // 36 bytes whose two-byte codec (0x92 0x12) is followed by 0x20, as a sha2-256 link's would be.
  fc.uint8Array({ minLength: 31, maxLength: 31 }).map((bytes) => CID.createV1(0x912, Digest.create(0x20, bytes))),
);
const name = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('profile', 'fitness', 'a', 'x-1') }, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
const uint = fc.oneof(fc.nat(30), fc.nat(), fc.maxSafeNat(), fc.constant(2 ** 32), fc.constant(1_800_000_000_000), fc.constant(2n ** 60n as unknown as number));
const metaValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.uint8Array({ maxLength: 40 }), link),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('__proto__')), tie('node'), { maxKeys: 4 })),
})).node;

/** Headers as the writer writes them, and near misses: another version, kind, did or field type. */
const header = fc.record({
  v: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 2) }, fc.constant(3)),
  id: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...dids) }, fc.constant('did:key:z6Mknope')),
  seq: uint,
  prev: fc.option(link),
  ts: uint,
  kind: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...BLOCK_KINDS) }, fc.constant('gossip')),
  author: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...dids) }, fc.string({ maxLength: 3 })),
  bodies: fc.array(fc.record({ section: name, gen: uint, epoch: uint, cid: link }), { maxLength: 2 }),
  meta: fc.oneof({ weight: 8, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), metaValue, { maxKeys: 4 }) }, metaValue),
  sig: fc.oneof({ weight: 8, arbitrary: fc.uint8Array({ minLength: 64, maxLength: 64 }) }, fc.uint8Array({ maxLength: 70 })),
});

const mutate = (bytes: Uint8Array, at: number, kind: number, byte: number): Uint8Array => {
  const i = at % bytes.length;
  if (kind === 0) return Uint8Array.from(bytes, (b, j) => (j === i ? byte : b));
  if (kind === 1) return Uint8Array.of(...bytes.subarray(0, i), byte, ...bytes.subarray(i));
  if (kind === 2) return Uint8Array.of(...bytes.subarray(0, i), ...bytes.subarray(i + 1));
  if (kind === 3) return bytes.subarray(0, i);
  return Uint8Array.of(...bytes, byte);
};

describe('reading header bytes as they are laid out', () => {
  it('gives the header the general read gives, or refuses under the same rule (property, valid and mutated)', () => {
    let quick = 0;
    fc.assert(fc.property(header, fc.nat(), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 255 }), (value, at, kind, byte) => {
      const bytes = encode(value);
      const input = kind >= 5 ? bytes : mutate(bytes, at, kind, byte);
      if (readHeaderLayout(input) !== null) quick++;
      const want = generalRead(input);
      const got = decoded(input);
      expect(got).toStrictEqual(want);
    }), { numRuns: 4000, seed: 16 });
    // The quick read is taken often, not only ever declined.
    expect(quick).toBeGreaterThan(400);
  });

  it('takes every header the writer writes', () => {
    fc.assert(fc.property(fc.constantFrom(...BLOCK_KINDS), fc.array(fc.record({ section: fc.constantFrom('profile', 'fitness'), gen: fc.nat(9), epoch: fc.nat(9), cid: link }), { maxLength: 3 }), (kind, bodies) => {
      const seed = new Uint8Array(32).fill(1);
      const signed = signHeader(crypto, { v: 2, id: dids[0]!, seq: 5, prev: cidOf(crypto.sha256, new Uint8Array([1])), ts: Date.now(), kind, author: dids[0]!, bodies: bodies.filter((b) => b.cid.multihash.code === 0x12 && b.cid.code !== 0x0129), meta: { note: 'x' } }, seed);
      expect({ header: readHeaderLayout(signed.bytes) }).toStrictEqual(generalRead(signed.bytes));
    }), { numRuns: 200, seed: 16 });
  });

  it('reads every one-byte change, insertion and deletion of a written header as the general read does', () => {
    const seed = new Uint8Array(32).fill(2);
    const body = { section: 'fitness', gen: 1, epoch: 300, cid: cidOf(crypto.sha256, new Uint8Array([9]), RAW) };
    const { bytes } = signHeader(crypto, { v: 2, id: dids[1]!, seq: 70_000, prev: cidOf(crypto.sha256, new Uint8Array([1])), ts: 1_800_000_000_000, kind: 'delta', author: dids[1]!, bodies: [body], meta: { n: 1 } }, seed);
    let quick = 0;
    for (let i = 0; i <= bytes.length; i++) {
      const at = bytes[i] ?? 0;
      const variants = [0x00, 0xff, 0x20, 0xf6, at ^ 0x01, at ^ 0x80, (at + 1) & 0xff, (at - 1) & 0xff].map((byte) => Uint8Array.from(bytes, (b, j) => (j === i ? byte : b)));
      variants.push(Uint8Array.of(...bytes.subarray(0, i), at, ...bytes.subarray(i)), Uint8Array.of(...bytes.subarray(0, i), ...bytes.subarray(i + 1)));
      for (const input of variants) {
        if (readHeaderLayout(input) !== null) quick++;
        expect(decoded(input)).toStrictEqual(generalRead(input));
      }
    }
    expect(quick).toBeGreaterThan(bytes.length); // the changes inside names, numbers and hashes still read quickly
  });

  it('reads a name as its text whatever names came before it (the recent names never answer for other bytes)', () => {
    // Names of one length that differ in one byte, read in turns: a cache that matched on length or on a
    // prefix would answer with the wrong one.
    const kinds = ['grant', 'merge', 'trust', 'duel', 'feat'] as const;
    for (let round = 0; round < 40; round++) {
      const kind = kinds[round % kinds.length]!;
      const bytes = encode({ v: 2, id: dids[round % 3]!, seq: round, prev: null, ts: round, kind, author: dids[(round + 1) % 3]!, bodies: [], meta: {}, sig: new Uint8Array(64) });
      const read = readHeaderLayout(bytes)!;
      expect([read.kind, read.id, read.author]).toEqual([kind, dids[round % 3], dids[(round + 1) % 3]]);
    }
  });
});

describe('cidText', () => {
  it('is cid.toString() (property)', () => {
    fc.assert(fc.property(link, (cid) => {
      expect(cidText(cid)).toBe(cid.toString());
      expect(cidText(cid)).toBe(CID.parse(cid.toString()).toString());
    }), { numRuns: 500, seed: 16 });
  });
});
