// The eddsa-jcs-2022 signer and verifier against the W3C vc-di-eddsa test vectors (test/fixtures/eddsa-jcs-2022,
// sources in its README): the published proofValue reproduced byte for byte from the published key, the
// canonical document equal to the published one, the published credential accepted; and an independent check
// of the same bytes with @noble/curves' Ed25519 instead of node:crypto. JCS is checked on RFC 8785's own examples.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58btc } from 'multiformats/bases/base58';
import { canonicalize } from '../src-main/core/badges/jcs.ts';
import { addProof, hashData, verifyProof } from '../src-main/core/badges/data-integrity.ts';
import { BadgeError } from '../src-main/core/badges/errors.ts';
import { crypto } from './helpers.ts';

const dir = new URL('./fixtures/eddsa-jcs-2022/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const signed = JSON.parse(read('signedJCS.json')) as Record<string, unknown> & { proof: Record<string, unknown> };
const keyPair = JSON.parse(read('keyPair.json')) as { publicKeyMultibase: string; privateKeyMultibase: string };
const publicKey = base58btc.decode(keyPair.publicKeyMultibase);
const privateKey = base58btc.decode(keyPair.privateKeyMultibase);

describe('eddsa-jcs-2022 test vectors (W3C vc-di-eddsa)', () => {
  it('the keys are multicodec ed25519-pub (0xed01) and ed25519-priv (0x8026)', () => {
    expect([...publicKey.subarray(0, 2)]).toEqual([0xed, 0x01]);
    expect([...privateKey.subarray(0, 2)]).toEqual([0x80, 0x26]);
    expect(crypto.ed25519.publicKey(privateKey.subarray(2))).toEqual(publicKey.subarray(2));
  });

  it('canonicalizes the unsigned credential exactly as published', () => {
    const { proof: _p, ...unsigned } = signed;
    expect(canonicalize(unsigned)).toBe(read('canonDocJCS.txt'));
  });

  it('reproduces the published proofValue byte for byte', () => {
    const { proof, ...unsigned } = signed;
    const out = addProof(crypto, privateKey.subarray(2), unsigned, {
      created: String(proof.created), verificationMethod: String(proof.verificationMethod), proofPurpose: String(proof.proofPurpose),
    });
    expect(out.proof.proofValue).toBe(proof.proofValue);
    expect(Buffer.from(base58btc.decode(out.proof.proofValue)).toString('hex')).toBe(read('sigHexJCS.txt'));
    expect(canonicalize(out)).toBe(canonicalize(signed));
  });

  it('accepts the published credential, and refuses it changed or under another key', () => {
    const resolve = (vm: string) => (vm.endsWith(`#${keyPair.publicKeyMultibase}`) ? publicKey.subarray(2) : null);
    expect(verifyProof(crypto, signed, resolve).proofValue).toBe(signed.proof.proofValue);
    const renamed = { ...signed, name: 'Alumni Credential!' };
    expect(() => verifyProof(crypto, renamed, resolve)).toThrow(BadgeError);
    expect(() => verifyProof(crypto, signed, () => crypto.ed25519.publicKey(crypto.randomBytes(32)))).toThrowError(expect.objectContaining({ reason: 'signature' }));
    expect(() => verifyProof(crypto, signed, () => null)).toThrowError(expect.objectContaining({ reason: 'key' }));
  });

  it('an independent check: the same hash data verifies under @noble/curves Ed25519', () => {
    const { proof, ...unsigned } = signed;
    const { proofValue, ...config } = proof;
    const data = hashData(crypto, unsigned, config);
    expect(ed25519.verify(base58btc.decode(String(proofValue)), data, publicKey.subarray(2))).toBe(true);
  });
});

describe('JCS (RFC 8785)', () => {
  it('sorts by UTF-16 code units and serializes numbers as ECMAScript does (RFC 8785 §3.2.2, §3.2.3 examples)', () => {
    expect(canonicalize({ numbers: [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/', literals: [null, true, false] }))
      .toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
    const sorted = canonicalize({ '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' });
    // JSON.parse would reorder the integer-like key '1', so the order is read off the text.
    const order = ['Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh'].map((v) => sorted.indexOf(`"${v}"`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  it('is a fixed point and keeps the value (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const text = canonicalize(value);
      expect(canonicalize(JSON.parse(text))).toBe(text);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalize({ a: Number.NaN })).toThrow(BadgeError);
    expect(() => canonicalize(new Date(0))).toThrow(BadgeError);
  });
});
