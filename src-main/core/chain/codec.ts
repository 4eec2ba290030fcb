// Canonical DAG-CBOR encoding and CIDs (CIDv1, sha-256). Anything received is decoded by a decoder that
// refuses every non-canonical byte as it reads (canonical-cbor.ts), so only one encoding of a value is ever
// accepted, without a second full encode.
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { equalBytes, slabBytes } from '../bytes.ts';
import { DefaustError } from '../errors.ts';
import { decodeCanonicalCbor } from './canonical-cbor.ts';

export { CID };
export const DAG_CBOR: number = dagCbor.code;
export const RAW: number = 0x55;
const SHA2_256 = 0x12;

export class NonCanonicalError extends DefaustError {
  override name = 'NonCanonicalError';
  constructor(message: string) {
    super('non-canonical', message);
  }
}

export function encode(value: unknown): Uint8Array {
  return dagCbor.encode(value);
}

/** Decodes DAG-CBOR and insists that the bytes are the one canonical encoding of what they hold. */
export function decodeCanonical(bytes: Uint8Array): unknown {
  try {
    return decodeCanonicalCbor(bytes);
  } catch (error) {
    // CanonicalCborProblem names the departure; a RangeError is nesting deeper than the stack.
    throw new NonCanonicalError(`not canonical DAG-CBOR: ${(error as Error).message}`);
  }
}

export function cidOf(sha256: (data: Uint8Array) => Uint8Array, bytes: Uint8Array, codec: number = DAG_CBOR): CID {
  return codec >= 0x80 ? CID.createV1(codec, Digest.create(SHA2_256, sha256(bytes))) : sha256Cid(codec, sha256(bytes));
}

/** The CIDv1 naming a 32-byte sha2-256 `digest` under `codec` (one varint byte), its 36 bytes written at once. */
export function sha256Cid(codec: number, digest: Uint8Array): CID {
  if (codec >= 0x80 || digest.length !== 32) throw new RangeError('sha256Cid takes a one-byte codec and a 32-byte digest');
  const out = slabBytes(36);
  out[0] = 1;
  out[1] = codec;
  out[2] = SHA2_256;
  out[3] = 32;
  out.set(digest, 4);
  return new CID(1, codec, new Digest.Digest(SHA2_256, 32, out.subarray(4), out.subarray(2)), out);
}

/** Whether `bytes` are what `cid` names: its multihash is sha2-256 and the digest is theirs. */
export function hashesTo(sha256: (data: Uint8Array) => Uint8Array, bytes: Uint8Array, cid: CID): boolean {
  return cid.multihash.code === SHA2_256 && equalBytes(sha256(bytes), cid.multihash.digest);
}

const BASE32 = Uint8Array.from('abcdefghijklmnopqrstuvwxyz234567', (c) => c.charCodeAt(0));
const MULTIBASE_BASE32 = 0x62; // 'b'
const textScratch = new Uint8Array(128);
const asciiText = new TextDecoder();

/**
 * `cid.toString()` for a CIDv1 (multibase base32, RFC 4648 lower case, no padding), written into one scratch
 * array: toString keeps a cache per CID and builds the text a character at a time, which costs a verifier
 * reading each CID once 2 KB of garbage per CID; this costs the string.
 */
export function cidText(cid: CID): string {
  const bytes = cid.bytes;
  if (cid.version !== 1 || bytes.length > 72) return cid.toString();
  textScratch[0] = MULTIBASE_BASE32;
  let length = 1;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    buffer = ((buffer << 8) | bytes[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      textScratch[length++] = BASE32[(buffer >> bits) & 31]!;
    }
  }
  if (bits > 0) textScratch[length++] = BASE32[(buffer << (5 - bits)) & 31]!;
  return asciiText.decode(textScratch.subarray(0, length));
}

export function parseCid(text: string): CID {
  try {
    return CID.parse(text);
  } catch {
    throw new DefaustError('invalid-cid', `not a CID: ${text.slice(0, 80)}`);
  }
}

/** A CID decoded from untrusted data, or null when the value is not one. */
export function asCid(value: unknown): CID | null {
  return CID.asCID(value) ?? null;
}
