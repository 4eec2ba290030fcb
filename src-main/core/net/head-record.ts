// Head records: the small signed pointer `/defaust/head/<did>` → `{v, id, seq, head, root, ts, author, sig}`
// that the DHT stores so anyone can find the newest block of an identity (DESIGN §5). Since v2 a record also
// commits to the history accumulator's root over headers 0..seq (checkpoint.ts), so a fresh head commits to
// all history; v1 records (no root) stay readable and valid. This module owns their format, their validation
// (the DHT validator) and the choice between several (the DHT selector).
//
// Limitation: only the identity key signs head records (`author` must equal `id`). A device key could sign
// one if the record carried a proof that the device is certified and not revoked (its device-add header
// and the chain up to the head); that proof is not implemented, so publishing needs the identity key.
import { concatBytes, fromUtf8, utf8 } from '../bytes.ts';
import { asCid, decodeCanonical, encode, type CID } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { HeadRecordError } from './errors.ts';

/** The version records are made in; v1 (no `root`) is still read. */
export const HEAD_RECORD_VERSION = 2;
/** The DHT namespace: kad-dht picks validators and selectors by the first path segment of the key. */
export const DHT_NAMESPACE = 'defaust';
export const HEAD_PREFIX = `/${DHT_NAMESPACE}/head/`;
/** A record is about 250 bytes; anything over this is refused before it is decoded. */
export const MAX_HEAD_RECORD_BYTES = 1024;
/** Signatures are over this label followed by the canonical record without `sig`, so they never double as a block signature. */
const SIGNING_LABEL = utf8('defaust/head-record/v1\n');

export interface UnsignedHeadRecord {
  v: number;
  id: Did;
  /** The seq of the head block (the chain holds seq + 1 blocks). */
  seq: number;
  /** The CID of the head block's header. */
  head: CID;
  /** v2: the history accumulator's root over headers 0..seq (seq + 1 leaves); absent in v1 records. */
  root?: Uint8Array;
  /** When the record was made (ms since 1970); a republish of the same head has a newer ts. */
  ts: number;
  /** Who signed: the identity key (see the limitation above). */
  author: Did;
}

export interface HeadRecord extends UnsignedHeadRecord {
  sig: Uint8Array;
}

const RECORD_KEYS_V1 = ['author', 'head', 'id', 'seq', 'sig', 'ts', 'v'];
const RECORD_KEYS: Record<number, string[]> = { 1: RECORD_KEYS_V1, 2: [...RECORD_KEYS_V1, 'root'].sort() };
const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Lexicographic order of two byte strings (a shorter prefix first). */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The DHT key of an identity's head record, as text. */
export function headKey(id: Did): string {
  return HEAD_PREFIX + id;
}

/** The DHT key of an identity's head record, as the bytes kad-dht takes. */
export function headKeyBytes(id: Did): Uint8Array {
  return utf8(headKey(id));
}

function signedBytes(record: UnsignedHeadRecord): Uint8Array {
  const { v, id, seq, head, ts, author, root } = record;
  return concatBytes(SIGNING_LABEL, encode(root === undefined ? { v, id, seq, head, ts, author } : { v, id, seq, head, root, ts, author }));
}

/**
 * Signs a head record with the identity's Ed25519 seed; returns the record and its canonical bytes. With a
 * `root` (the accumulator's root over headers 0..seq) it is a v2 record; without, a v1 record (tests of old records).
 */
export function makeHeadRecord(
  crypto: Crypto,
  fields: { id: Did; seq: number; head: CID; ts: number; root?: Uint8Array },
  identitySeed: Uint8Array,
): { record: HeadRecord; bytes: Uint8Array } {
  const author = fields.id;
  const base = { id: fields.id, seq: fields.seq, head: fields.head, ts: fields.ts, author };
  const unsigned: UnsignedHeadRecord = fields.root === undefined ? { v: 1, ...base } : { v: HEAD_RECORD_VERSION, ...base, root: fields.root };
  const record: HeadRecord = { ...unsigned, sig: crypto.ed25519.sign(identitySeed, signedBytes(unsigned)) };
  const bytes = encode(record);
  if (bytes.length > MAX_HEAD_RECORD_BYTES) throw new HeadRecordError('size', `a head record of ${bytes.length} bytes exceeds ${MAX_HEAD_RECORD_BYTES}`);
  return { record, bytes };
}

/** The identity a DHT key names, or a `head/namespace` error when the key is not `/defaust/head/<did>`. */
export function idFromHeadKey(key: Uint8Array | string): Did {
  let text: string;
  try {
    text = typeof key === 'string' ? key : fromUtf8(key);
  } catch {
    throw new HeadRecordError('namespace', 'the key is not UTF-8 text');
  }
  if (!text.startsWith(HEAD_PREFIX)) throw new HeadRecordError('namespace', `the key is not under ${HEAD_PREFIX}`);
  const id = text.slice(HEAD_PREFIX.length);
  if (!isDid(id)) throw new HeadRecordError('namespace', 'the key does not end in an Ed25519 did:key');
  return id;
}

/** Checks the shape of a decoded value (exact fields and types). */
function asHeadRecord(value: unknown): HeadRecord {
  const fail = (why: string): never => {
    throw new HeadRecordError('schema', why);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || asCid(value) !== null) return fail('a head record is a map');
  const record = value as Record<string, unknown>;
  const keys = typeof record.v === 'number' ? RECORD_KEYS[record.v] : undefined;
  if (keys === undefined) return fail(`unsupported head record version ${String(record.v)}`);
  if (Object.keys(record).sort().join(',') !== keys.join(',')) fail(`a v${String(record.v)} head record has exactly the fields ${keys.join(', ')}`);
  if (record.v === 2 && !(record.root instanceof Uint8Array && record.root.length === 32)) fail('root is 32 bytes');
  if (!isDid(record.id)) fail('id is not an Ed25519 did:key');
  if (!isUint(record.seq)) fail('seq is a non-negative integer');
  if (asCid(record.head) === null) fail('head is not a CID');
  if (!isUint(record.ts)) fail('ts is a non-negative integer (ms)');
  if (!isDid(record.author)) fail('author is not an Ed25519 did:key');
  if (!(record.sig instanceof Uint8Array) || record.sig.length !== 64) fail('sig is 64 bytes');
  return record as unknown as HeadRecord;
}

/**
 * Validates untrusted record bytes stored under `key`, in this order: namespace of the key, size cap,
 * canonical DAG-CBOR, exact shape, the key names the record's identity, the author is the identity, the
 * signature verifies. Returns the record, or throws a HeadRecordError naming the first rule broken.
 */
export function validateHeadRecord(crypto: Crypto, key: Uint8Array | string, bytes: Uint8Array): HeadRecord {
  const keyId = idFromHeadKey(key);
  if (bytes.length > MAX_HEAD_RECORD_BYTES) throw new HeadRecordError('size', `a head record of ${bytes.length} bytes exceeds ${MAX_HEAD_RECORD_BYTES}`);
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch (error) {
    throw new HeadRecordError('canonical', (error as Error).message);
  }
  const record = asHeadRecord(value);
  if (record.id !== keyId) throw new HeadRecordError('key', `the record is for ${record.id}, stored under the key of ${keyId}`);
  if (record.author !== record.id) throw new HeadRecordError('author', 'head records are signed by the identity key only');
  if (!crypto.ed25519.verify(publicKeyFromDid(record.author), signedBytes(record), record.sig)) {
    throw new HeadRecordError('signature', `the signature by ${record.author} does not verify`);
  }
  return record;
}

/**
 * Orders two valid records of one identity: higher seq first, then newer ts (a republish), then the smaller
 * encoding (two different heads signed at one seq: any deterministic choice, the same on every peer).
 * Negative when `a` is better.
 */
export function compareHeadRecords(a: { record: HeadRecord; bytes: Uint8Array }, b: { record: HeadRecord; bytes: Uint8Array }): number {
  if (a.record.seq !== b.record.seq) return b.record.seq - a.record.seq;
  if (a.record.ts !== b.record.ts) return b.record.ts - a.record.ts;
  return compareBytes(a.bytes, b.bytes);
}

/**
 * The index of the best valid record among `records` (all stored under `key`), or -1 when none is valid.
 * Invalid records are skipped, never chosen.
 */
export function selectHeadRecord(crypto: Crypto, key: Uint8Array | string, records: readonly Uint8Array[]): number {
  let best = -1;
  let bestEntry: { record: HeadRecord; bytes: Uint8Array } | null = null;
  records.forEach((bytes, index) => {
    let record: HeadRecord;
    try {
      record = validateHeadRecord(crypto, key, bytes);
    } catch {
      return;
    }
    const entry = { record, bytes };
    if (bestEntry === null || compareHeadRecords(entry, bestEntry) < 0) {
      best = index;
      bestEntry = entry;
    }
  });
  return best;
}

/**
 * Remembers the best record accepted per key, so that a peer refuses a stale record (lower seq, or an older
 * republish) that would overwrite a newer one, as go-libp2p's DHT does on PUT_VALUE. Bounded: the oldest
 * key is forgotten past `limit` keys. Only a record signed by the identity can raise the floor.
 */
export class HeadRecordFloor {
  private readonly best = new Map<string, { record: HeadRecord; bytes: Uint8Array }>();
  private readonly limit: number;

  constructor(limit = 10_000) {
    this.limit = limit;
  }

  /** Throws `head/stale` when a better record was accepted for this key; otherwise records this one. */
  admit(key: string, record: HeadRecord, bytes: Uint8Array): void {
    const current = this.best.get(key);
    const entry = { record, bytes };
    if (current !== undefined) {
      const order = compareHeadRecords(entry, current);
      if (order > 0) throw new HeadRecordError('stale', `seq ${record.seq} (ts ${record.ts}) is older than the seq ${current.record.seq} (ts ${current.record.ts}) held here`);
      if (order === 0) return;
      this.best.delete(key);
    } else if (this.best.size >= this.limit) {
      this.best.delete(this.best.keys().next().value!);
    }
    this.best.set(key, entry);
  }

  get(key: string): HeadRecord | undefined {
    return this.best.get(key)?.record;
  }
}
