// Canonical DAG-CBOR: RFC 8949 Appendix A examples that DAG-CBOR allows round-trip byte for byte; every
// non-canonical encoding of a value is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src-main/core/bytes.ts';
import { decodeCanonical, encode, NonCanonicalError } from '../src-main/core/chain/codec.ts';

// RFC 8949 Appendix A: [value, encoding] pairs within the DAG-CBOR subset (no undefined, no simple values,
// no half or single floats, string map keys only).
const APPENDIX_A: [unknown, string][] = [
  [0, '00'], [1, '01'], [10, '0a'], [23, '17'], [24, '1818'], [25, '1819'], [100, '1864'], [1000, '1903e8'],
  [1000000, '1a000f4240'], [1000000000000, '1b000000e8d4a51000'], [-1, '20'], [-10, '29'], [-100, '3863'], [-1000, '3903e7'],
  [1.1, 'fb3ff199999999999a'], [-4.1, 'fbc010666666666666'], [1.0e300, 'fb7e37e43c8800759c'],
  [false, 'f4'], [true, 'f5'], [null, 'f6'],
  [new Uint8Array([]), '40'], [new Uint8Array([1, 2, 3, 4]), '4401020304'],
  ['', '60'], ['a', '6161'], ['IETF', '6449455446'], ['"\\', '62225c'], ['\u00fc', '62c3bc'], ['\u6c34', '63e6b0b4'], ['\ud800\udd51', '64f0908591'],
  [[], '80'], [[1, 2, 3], '83010203'], [[1, [2, 3], [4, 5]], '8301820203820405'],
  [Array.from({ length: 25 }, (_, i) => i + 1), '98190102030405060708090a0b0c0d0e0f101112131415161718181819'],
  [{}, 'a0'], [{ a: 1, b: [2, 3] }, 'a26161016162820203'], [['a', { b: 'c' }], '826161a161626163'],
  [{ a: 'A', b: 'B', c: 'C', d: 'D', e: 'E' }, 'a56161614161626142616361436164614461656145'],
];

// Encodings RFC 8949 allows but DAG-CBOR's canonical form does not.
const NON_CANONICAL: [string, string][] = [
  ['1817', 'non-minimal integer (23 in two bytes)'],
  ['190017', 'non-minimal integer (23 in three bytes)'],
  ['f93c00', 'half-precision float'],
  ['fa47c35000', 'single-precision float'],
  ['5f42010243030405ff', 'indefinite-length byte string'],
  ['9fff', 'indefinite-length array'],
  ['bf61610161629f0203ffff', 'indefinite-length map'],
  ['a2616201616102', 'map keys out of order'],
  ['a2616101616102', 'duplicate map key'],
  ['a1016161', 'integer map key'],
  ['f7', 'undefined'],
  ['c11a514b67b0', 'tag other than 42'],
  ['0000', 'trailing bytes'],
  ['f97e00', 'NaN'],
  ['', 'empty input'],
];

describe('DAG-CBOR canonical encoding', () => {
  it.each(APPENDIX_A.map(([value, hex]) => ({ value, hex })))('RFC 8949 A: $hex', ({ value, hex }) => {
    expect(toHex(encode(value))).toBe(hex);
    expect(decodeCanonical(fromHex(hex))).toEqual(value);
  });

  it.each(NON_CANONICAL.map(([hex, why]) => ({ hex, why })))('refuses $why ($hex)', ({ hex }) => {
    expect(() => decodeCanonical(fromHex(hex))).toThrow(NonCanonicalError);
  });

  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    leaf: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.uint8Array({ maxLength: 40 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0))),
    node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 5 }),
      fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), tie('node'), { maxKeys: 5 })),
  })).node;

  it('encode → decode → encode is the identity on bytes (property)', () => {
    fc.assert(fc.property(value, (v) => {
      const bytes = encode(v);
      return toHex(encode(decodeCanonical(bytes))) === toHex(bytes);
    }), { numRuns: 300 });
  });

  it('random bytes either decode canonically or are refused with NonCanonicalError, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        decodeCanonical(bytes);
        return true;
      } catch (error) {
        return error instanceof NonCanonicalError;
      }
    }), { numRuns: 2000 });
  });
});
