// Known-answer tests for the crypto adapter: RFC 8032 Ed25519, Wycheproof Ed25519, ChaCha20-Poly1305 and
// X25519, and agreement between node:crypto and tweetnacl (the NaCl formats) on random inputs.
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../src-main/core/bytes.ts';
import { crypto } from './helpers.ts';

const vectors = (name: string) => JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8'));

// RFC 8032 §7.1, tests 1, 2, 3 and SHA(abc).
const RFC8032 = [
  { sk: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', msg: '', sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b' },
  { sk: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', msg: '72', sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00' },
  { sk: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', pk: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', msg: 'af82', sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a' },
  { sk: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42', pk: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf', msg: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f', sig: 'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704' },
];

describe('Ed25519 (RFC 8032 §7.1)', () => {
  it.each(RFC8032)('derives, signs and verifies vector $pk', (v) => {
    const seed = fromHex(v.sk);
    expect(toHex(crypto.ed25519.publicKey(seed))).toBe(v.pk);
    expect(toHex(crypto.ed25519.sign(seed, fromHex(v.msg)))).toBe(v.sig);
    expect(crypto.ed25519.verify(fromHex(v.pk), fromHex(v.msg), fromHex(v.sig))).toBe(true);
  });
});

describe('Ed25519 (Wycheproof)', () => {
  const suite = vectors('wycheproof-ed25519_test.json');
  const cases = suite.testGroups.flatMap((g: { publicKey: { pk: string }; tests: { tcId: number; msg: string; sig: string; result: string }[] }) =>
    g.tests.map((t) => ({ pk: g.publicKey.pk, ...t })));
  it(`agrees with all ${cases.length} verdicts`, () => {
    expect(cases.length).toBeGreaterThan(100);
    for (const t of cases) {
      const ok = crypto.ed25519.verify(fromHex(t.pk), fromHex(t.msg), fromHex(t.sig));
      expect(ok, `tcId ${t.tcId}`).toBe(t.result === 'valid');
    }
  });
});

describe('ChaCha20-Poly1305 (Wycheproof, 96-bit nonces)', () => {
  const suite = vectors('wycheproof-chacha20_poly1305_test.json');
  const cases = suite.testGroups
    .filter((g: { ivSize: number; keySize: number }) => g.ivSize === 96 && g.keySize === 256)
    .flatMap((g: { tests: unknown[] }) => g.tests) as { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }[];
  it(`seals and opens all ${cases.length} cases as published`, () => {
    expect(cases.length).toBeGreaterThan(50);
    for (const t of cases) {
      const sealed = fromHex(t.ct + t.tag);
      const opened = crypto.aead.open(fromHex(t.key), fromHex(t.iv), sealed, fromHex(t.aad));
      if (t.result === 'valid') {
        expect(opened && toHex(opened), `tcId ${t.tcId}`).toBe(t.msg);
        expect(toHex(crypto.aead.seal(fromHex(t.key), fromHex(t.iv), fromHex(t.msg), fromHex(t.aad))), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
      } else {
        expect(opened, `tcId ${t.tcId}`).toBeNull();
      }
    }
  });
  it('rejects a flipped bit anywhere in the sealed bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.nat(), (msg, at) => {
      const key = crypto.randomBytes(32);
      const nonce = crypto.randomBytes(12);
      const sealed = crypto.aead.seal(key, nonce, msg, utf8('aad'));
      const i = at % sealed.length;
      sealed[i]! ^= 1;
      return crypto.aead.open(key, nonce, sealed, utf8('aad')) === null;
    }));
  });
});

describe('X25519 (Wycheproof) and the NaCl box format', () => {
  const suite = vectors('wycheproof-x25519_test.json');
  const cases = suite.testGroups.flatMap((g: { tests: unknown[] }) => g.tests) as { tcId: number; public: string; private: string; shared: string; result: string; flags: string[] }[];
  it(`tweetnacl's scalar multiplication matches the ${cases.length} published shared secrets`, () => {
    for (const t of cases) {
      if (t.result === 'invalid') continue;
      expect(toHex(nacl.scalarMult(fromHex(t.private), fromHex(t.public))), `tcId ${t.tcId}`).toBe(t.shared);
    }
  });
  it('node:crypto X25519 and tweetnacl agree on random keys', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
      const pkcs8 = (k: Uint8Array) => createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), k]), format: 'der', type: 'pkcs8' });
      const spki = (k: Uint8Array) => createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), k]), format: 'der', type: 'spki' });
      const bPub = nacl.scalarMult.base(b);
      const native = diffieHellman({ privateKey: pkcs8(a), publicKey: spki(bPub) });
      return toHex(native) === toHex(nacl.scalarMult(a, bPub)) && toHex(crypto.box.publicKey(b)) === toHex(bPub);
    }), { numRuns: 50 });
  });
  it('sealed boxes open only with the recipient key and only unaltered', () => {
    const alice = crypto.randomBytes(32);
    const mallory = crypto.randomBytes(32);
    const sealed = crypto.box.seal(crypto.box.publicKey(alice), utf8('section seeds'));
    expect(crypto.box.open(alice, sealed)).toEqual(utf8('section seeds'));
    expect(crypto.box.open(mallory, sealed)).toBeNull();
    sealed[sealed.length - 1]! ^= 0x80;
    expect(crypto.box.open(alice, sealed)).toBeNull();
    expect(crypto.box.open(alice, new Uint8Array(10))).toBeNull();
  });
});

describe('node:crypto and tweetnacl Ed25519 agree', () => {
  it('signatures are byte-identical and cross-verify', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, msg) => {
      const pair = nacl.sign.keyPair.fromSeed(seed);
      const naclSig = nacl.sign.detached(msg, pair.secretKey);
      const nodeSig = crypto.ed25519.sign(seed, msg);
      return toHex(crypto.ed25519.publicKey(seed)) === toHex(pair.publicKey) &&
        toHex(naclSig) === toHex(nodeSig) &&
        crypto.ed25519.verify(pair.publicKey, msg, naclSig) &&
        nacl.sign.detached.verify(msg, nodeSig, pair.publicKey);
    }), { numRuns: 30 });
  });
  it('verify never throws on malformed input', () => {
    expect(crypto.ed25519.verify(new Uint8Array(31), new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(crypto.ed25519.verify(new Uint8Array(32), new Uint8Array(1), new Uint8Array(63))).toBe(false);
    expect(crypto.ed25519.verify(new Uint8Array(32).fill(0xff), new Uint8Array(1), new Uint8Array(64))).toBe(false);
  });
});
