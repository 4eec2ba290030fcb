// The pairing code of a device key (src-shared/rules/pairing.ts): twelve digits from the key, fixed for a did
// (so both devices show the same), and different for a key that differs in its last bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import { pairingCode } from '../src-shared/rules/pairing.ts';

const ONES = '1'.repeat(43);

describe('pairing code', () => {
  it('reads the last nine base58 digits as a number, modulo 10^12, in groups of three', () => {
    expect(pairingCode(`did:key:z6Mk${ONES}1`)).toBe('000 000 000 000');
    expect(pairingCode(`did:key:z6Mk${ONES}2`)).toBe('000 000 000 001');
    expect(pairingCode(`did:key:z6Mk${ONES}z`)).toBe('000 000 000 057');
    expect(pairingCode('did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH')).toBe(pairingCode('did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH'));
  });

  it('is twelve digits for every key, and another key one bit away has another code', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
      const did = didFromPublicKey(key);
      expect(pairingCode(did)).toMatch(/^\d{3} \d{3} \d{3} \d{3}$/u);
      const other = key.slice();
      other[31] = other[31]! ^ 1;
      expect(pairingCode(didFromPublicKey(other))).not.toBe(pairingCode(did));
    }), { seed: 14, numRuns: 200 });
  });
});
