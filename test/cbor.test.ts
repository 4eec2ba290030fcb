// Canonical DAG-CBOR: RFC 8949 Appendix A examples that DAG-CBOR allows round-trip byte for byte; every
// non-canonical encoding of a value is refused.
import fc from 'fast-check';
import * as dagCbor from '@ipld/dag-cbor';
import { describe, expect, it } from 'vitest';
import { equalBytes, fromHex, toHex } from '../src-main/core/bytes.ts';
import { cidOf, decodeCanonical, encode, NonCanonicalError, RAW } from '../src-main/core/chain/codec.ts';
import { crypto } from './helpers.ts';

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
  ['fb4008000000000000', 'a whole number as a float (3.0)'],
  ['fb8000000000000000', 'negative zero as a float'],
  ['fb7ff0000000000000', 'Infinity'],
  ['63efbbbf', 'a string that is only a byte-order mark'],
  ['62c328', 'invalid UTF-8'],
  ['d82a4101', 'tag 42 without the 0x00 prefix'],
  ['d82a6100', 'tag 42 around a text string'],
  ['d8182a', 'tag head not in its shortest form'],
  ['1b00000000ffffffff', 'a 4-byte integer in 8 bytes'],
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

  // The one-pass decoder against the reference it replaced: decode with @ipld/dag-cbor, re-encode, compare.
  const reference = (bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } => {
    try {
      const value = dagCbor.decode(bytes);
      return equalBytes(dagCbor.encode(value), bytes) ? { ok: true, value } : { ok: false };
    } catch {
      return { ok: false };
    }
  };
  const oneShot = (bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: decodeCanonical(bytes) };
    } catch (error) {
      if (!(error instanceof NonCanonicalError)) throw error;
      return { ok: false };
    }
  };
  const wide: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    leaf: fc.oneof(
      fc.integer(), fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }), fc.boolean(), fc.constant(null),
      fc.string({ unit: 'grapheme' }), fc.constant('\ufeffmark'), fc.uint8Array({ maxLength: 40 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(2 ** 60),
      fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => cidOf(crypto.sha256, bytes, RAW)),
    ),
    node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 5 }),
      fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('__proto__')), tie('node'), { maxKeys: 5 })),
  })).node;
  const encodable = wide.filter((v) => {
    try {
      dagCbor.encode(v);
      return true;
    } catch {
      return false;
    }
  });
  const mutate = (bytes: Uint8Array, at: number, kind: number, byte: number): Uint8Array => {
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    if (kind === 0) return Uint8Array.from(bytes, (b, j) => (j === i ? byte : b));
    if (kind === 1) return Uint8Array.of(...bytes.subarray(0, i), byte, ...bytes.subarray(i));
    if (kind === 2) return Uint8Array.of(...bytes.subarray(0, i), ...bytes.subarray(i + 1));
    return bytes.subarray(0, i);
  };

  it('accepts exactly what decode + re-encode + compare accepts, with the same value (property, valid and mutated)', () => {
    fc.assert(fc.property(encodable, fc.nat(), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 255 }), (v, at, kind, byte) => {
      const bytes = dagCbor.encode(v);
      const input = kind === 4 ? bytes : mutate(bytes, at, kind, byte);
      const want = reference(input);
      const got = oneShot(input);
      expect(got.ok).toBe(want.ok);
      if (got.ok && want.ok) expect(got.value).toStrictEqual(want.value);
    }), { numRuns: 5000, seed: 16 });
  });

  it('accepts exactly what the reference accepts on random short byte strings', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
      expect(oneShot(bytes).ok).toBe(reference(bytes).ok);
    }), { numRuns: 20000, seed: 16 });
  });
});
