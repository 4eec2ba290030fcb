// A one-pass decoder for canonical DAG-CBOR: it builds the value and refuses, as it reads, every byte that
// the DAG-CBOR encoder would not have written for that value, so no second full encode is needed to prove
// the bytes canonical. It accepts exactly what "decode with @ipld/dag-cbor, re-encode, compare" accepts, and
// yields the same value (test/cbor.test.ts compares the two on random values and mutated bytes):
// - every integer and length in its shortest head; definite lengths only;
// - integers as numbers, or bigints outside the safe range; floats only as 64-bit, never NaN, ±Infinity or a
//   safe integer (those encode as integers, -0 included);
// - strings valid UTF-8 without a leading byte-order mark (the reference decoder drops it, so it never
//   round-trips);
// - map keys strings, in strictly increasing (length, bytes) order, which also excludes duplicates;
// - the simple values false, true and null; tag 42 only, around a 0x00-prefixed byte string that is a CID;
// - nothing after the value.
import { CID } from 'multiformats/cid';
import { equalBytes } from '../bytes.ts';

/** Why bytes are not canonical DAG-CBOR; codec.ts turns it into its NonCanonicalError. */
export class CanonicalCborProblem extends Error {
  override name = 'CanonicalCborProblem';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CID_TAG = 42;
const TWO_32 = 2 ** 32;

/** A position in canonical DAG-CBOR bytes; `item()` reads the next value, refusing what is not canonical. */
export class CanonicalCborReader {
  pos = 0;
  readonly bytes: Uint8Array;
  private dataView: DataView | null = null;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** Made when first needed: most headers are read without one. */
  get view(): DataView {
    return (this.dataView ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength));
  }

  need(n: number): void {
    if (n > this.bytes.length - this.pos) throw new CanonicalCborProblem(`unexpected end of data at byte ${this.pos}`);
  }

  /** The argument of a head with additional info `info`, refusing non-shortest forms; numbers or bigints. */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    let value: number | bigint;
    let least: number;
    if (info === 24) {
      this.need(1);
      value = this.bytes[this.pos]!;
      this.pos += 1;
      least = 24;
    } else if (info === 25) {
      this.need(2);
      value = this.view.getUint16(this.pos);
      this.pos += 2;
      least = 0x100;
    } else if (info === 26) {
      this.need(4);
      value = this.view.getUint32(this.pos);
      this.pos += 4;
      least = 0x10000;
    } else if (info === 27) {
      this.need(8);
      const high = this.view.getUint32(this.pos);
      const low = this.view.getUint32(this.pos + 4);
      this.pos += 8;
      if (high === 0) throw new CanonicalCborProblem('an integer not in its shortest form');
      // Below 2 ** 53 (a high word below 2 ** 21) a number holds it exactly; above, a bigint.
      return high < 0x200000 ? high * TWO_32 + low : (BigInt(high) << 32n) | BigInt(low);
    } else {
      throw new CanonicalCborProblem(info === 31 ? 'indefinite lengths are not allowed' : `reserved additional info ${info}`);
    }
    if (value < least) throw new CanonicalCborProblem('an integer not in its shortest form');
    return value;
  }

  length(info: number): number {
    const n = this.argument(info);
    if (typeof n === 'bigint') throw new CanonicalCborProblem('a length beyond the data');
    return n;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  item(): unknown {
    return item(this);
  }
}

/** Short ASCII (every map key of a header) is quicker by hand than through TextDecoder; null when not ASCII. */
function shortAscii(raw: Uint8Array): string | null {
  if (raw.length >= 32) return null;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte >= 0x80) return null;
    out += String.fromCharCode(byte);
  }
  return out;
}

function text(raw: Uint8Array): string {
  const ascii = shortAscii(raw);
  if (ascii !== null) return ascii;
  if (raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) throw new CanonicalCborProblem('a string opens with a byte-order mark');
  try {
    return utf8.decode(raw);
  } catch {
    throw new CanonicalCborProblem('a string is not valid UTF-8');
  }
}

/** -1 < 0 < 1 as `a` sorts before, with or after `b` in DAG-CBOR key order (length first, then bytes). */
function compareKeys(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function item(r: CanonicalCborReader): unknown {
  r.need(1);
  const initial = r.bytes[r.pos]!;
  r.pos += 1;
  const major = initial >> 5;
  const info = initial & 0x1f;
  switch (major) {
    case 0:
      return r.argument(info);
    case 1: {
      const n = r.argument(info);
      if (typeof n === 'number' && -1 - n >= Number.MIN_SAFE_INTEGER) return -1 - n;
      return -1n - BigInt(n);
    }
    case 2:
      return new Uint8Array(r.take(r.length(info))); // a plain copy, also when the input is a Buffer
    case 3:
      return text(r.take(r.length(info)));
    case 4: {
      const n = r.length(info);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(item(r));
      return out;
    }
    case 5: {
      const n = r.length(info);
      const out: Record<string, unknown> = {};
      let previous: Uint8Array | null = null;
      for (let i = 0; i < n; i++) {
        r.need(1);
        const head = r.bytes[r.pos]!;
        if (head >> 5 !== 3) throw new CanonicalCborProblem('map keys must be strings');
        r.pos += 1;
        const raw = r.take(r.length(head & 0x1f));
        if (previous !== null && compareKeys(previous, raw) >= 0) throw new CanonicalCborProblem('map keys out of order or repeated');
        previous = raw;
        const key = text(raw);
        const value = item(r);
        // A plain assignment of `__proto__` would set the prototype instead of an own property.
        if (key === '__proto__') Object.defineProperty(out, key, { value, configurable: true, enumerable: true, writable: true });
        else out[key] = value;
      }
      return out;
    }
    case 6: {
      if (r.argument(info) !== CID_TAG) throw new CanonicalCborProblem('the only tag allowed is 42 (CID)');
      r.need(1);
      const head = r.bytes[r.pos]!;
      if (head >> 5 !== 2) throw new CanonicalCborProblem('tag 42 must hold a byte string');
      r.pos += 1;
      const raw = r.take(r.length(head & 0x1f));
      if (raw[0] !== 0) throw new CanonicalCborProblem('a CID for tag 42 opens with 0x00');
      let cid: CID;
      try {
        cid = CID.decode(raw.subarray(1));
      } catch (error) {
        throw new CanonicalCborProblem(`not a CID: ${(error as Error).message}`);
      }
      if (!equalBytes(cid.bytes, raw.subarray(1))) throw new CanonicalCborProblem('a CID not in its canonical bytes');
      return cid;
    }
    default: {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info !== 27) throw new CanonicalCborProblem(info === 25 || info === 26 ? 'floats are 64-bit only' : `simple value ${info} is not allowed`);
      r.need(8);
      const float = r.view.getFloat64(r.pos);
      r.pos += 8;
      if (!Number.isFinite(float)) throw new CanonicalCborProblem('NaN and Infinity are not allowed');
      if (Number.isSafeInteger(float)) throw new CanonicalCborProblem('an integer written as a float');
      return float;
    }
  }
}

/** Decodes canonical DAG-CBOR in one pass, or throws CanonicalCborProblem naming the first departure. */
export function decodeCanonicalCbor(bytes: Uint8Array): unknown {
  const reader = new CanonicalCborReader(bytes);
  const value = item(reader);
  if (reader.pos !== bytes.length) throw new CanonicalCborProblem(`${bytes.length - reader.pos} bytes after the value`);
  return value;
}
