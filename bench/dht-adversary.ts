// Adversarial DHT peers for the simulation (`npm run net -- --adversarial`) and its test: a real DeFaust node
// whose libp2p datastore lies about head records. kad-dht answers GET_VALUE with what its datastore returns,
// unchecked, so the store decides what the peer serves: an older validly signed record it keeps for good
// (refusing newer ones and corrections), a record with a bad signature, one validly signed by another identity,
// an oversized one, or nothing at all. Everything else (routing, closer peers) stays honest.
import { Libp2pRecord } from '@libp2p/record';
import { MemoryDatastore } from 'datastore-core';
import { decodeCanonical, encode } from '../src-main/core/chain/codec.ts';
import type { Crypto } from '../src-main/core/crypto/port.ts';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import { makeHeadRecord, type HeadRecord } from '../src-main/core/net/head-record.ts';

export const ADVERSARY_KINDS = ['stale', 'bad-signature', 'wrong-id', 'oversized', 'withhold'] as const;
export type AdversaryKind = (typeof ADVERSARY_KINDS)[number];

type DatastoreKey = Parameters<MemoryDatastore['get']>[0];
type Options = Parameters<MemoryDatastore['get']>[1];

/** kad-dht keeps records under `/dht/record/<base32 key>`; the rest of the datastore (peer store…) is left alone. */
const isRecordKey = (key: DatastoreKey): boolean => key.toString().startsWith('/dht/record/');

function notFound(): Error {
  const error = new Error('no record here');
  error.name = 'NotFoundError';
  return error;
}

export class LyingDatastore extends MemoryDatastore {
  readonly kind: AdversaryKind;
  private readonly crypto: Crypto;
  /** For `wrong-id`: the identity whose validly signed records it passes off as the victim's. */
  private readonly imposter: { seed: Uint8Array; id: ReturnType<typeof didFromPublicKey> };
  /** For `stale`: the record keys it took once and keeps. */
  private readonly kept = new Set<string>();

  constructor(kind: AdversaryKind, crypto: Crypto) {
    super();
    this.kind = kind;
    this.crypto = crypto;
    const seed = crypto.randomBytes(32);
    this.imposter = { seed, id: didFromPublicKey(crypto.ed25519.publicKey(seed)) };
  }

  override put(key: DatastoreKey, value: Uint8Array, options?: Options): ReturnType<MemoryDatastore['put']> {
    // A stale peer keeps the first record it took and refuses every later one, corrections included.
    if (this.kind === 'stale' && isRecordKey(key)) {
      if (this.kept.has(key.toString())) throw new Error('this peer keeps the record it has');
      this.kept.add(key.toString());
    }
    return super.put(key, value, options);
  }

  override async get(key: DatastoreKey, options?: Options): Promise<Uint8Array> {
    const stored = await super.get(key, options);
    if (!isRecordKey(key) || this.kind === 'stale') return stored;
    if (this.kind === 'withhold') throw notFound();
    const record = Libp2pRecord.deserialize(stored);
    return new Libp2pRecord(record.key, this.forge(record.value), record.timeReceived).serialize();
  }

  override has(key: DatastoreKey, options?: Options): ReturnType<MemoryDatastore['has']> {
    return this.kind === 'withhold' && isRecordKey(key) ? false : super.has(key, options);
  }

  /** A record that would win over the honest one (a much higher seq) if it were ever taken as valid. */
  private forge(honest: Uint8Array): Uint8Array {
    const record = decodeCanonical(honest) as HeadRecord;
    switch (this.kind) {
      case 'bad-signature':
        return encode({ ...record, seq: record.seq + 1000 });
      case 'wrong-id':
        return makeHeadRecord(this.crypto, { id: this.imposter.id, seq: record.seq + 1000, head: record.head, ts: record.ts }, this.imposter.seed).bytes;
      case 'oversized':
        return new Uint8Array(4096).fill(0xa1);
      case 'stale':
      case 'withhold':
        return honest;
    }
  }
}
