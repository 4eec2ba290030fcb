// Canonical DAG-CBOR encoding and CIDs (CIDv1, sha-256). Anything received is decoded by a decoder that
// refuses every non-canonical byte as it reads (canonical-cbor.ts), so only one encoding of a value is ever
// accepted, without a second full encode.
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
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
  return CID.createV1(codec, Digest.create(SHA2_256, sha256(bytes)));
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
