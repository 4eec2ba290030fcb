// The history verbs (rule 3): write a checkpoint now, make an inclusion bundle for one block ("did you X?"),
// and check one offline. The CLI (`checkpoint`, `prove included`, `verify-inclusion`), the wallet's `history:*`
// channels and the Timeline and Verify screens all call these.
import { CHECKPOINT_EVERY, storedHistory } from '../../core/chain/checkpoint.ts';
import { parseCid } from '../../core/chain/codec.ts';
import { decodeHeader } from '../../core/chain/header.ts';
import { inclusionPath, leafHash } from '../../core/chain/mmr.ts';
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import {
  decodeInclusionBundle, encodeInclusionBundle, verifyInclusionBundle, type Commitment, type InclusionBundle, type InclusionResult,
} from '../../core/history/inclusion.ts';
import { makeHeadRecord } from '../../core/net/head-record.ts';
import type { Session } from '../session.ts';

export { CHECKPOINT_EVERY };

/** Writes a checkpoint block now: the identity key signs the accumulator's root over all history so far. */
export function writeCheckpoint(session: Session): BlockSummary {
  session.profile.refresh();
  return session.profile.checkpoint();
}

export interface MadeBundle {
  /** The bundle file's text. */
  text: string;
  seq: number;
  /** What commits to the history holding the block. */
  by: { kind: 'checkpoint' | 'head-record'; seq: number };
  revealed: boolean;
  /** A suggested file name. */
  name: string;
}

/**
 * The inclusion bundle of block `seq`: its header, its path to the root signed by the first checkpoint after
 * it, or — when no checkpoint covers it yet — by a head record signed now over the current head (the record
 * the wallet publishes on the DHT anyway; no block is written). With `reveal`, its sealed bodies and the epoch
 * keys that open them (each key opens that section's bodies of the same epoch: the face says so first).
 */
export function proveIncluded(session: Session, seq: number, options: { reveal?: boolean } = {}): MadeBundle {
  const { profile, home, keys } = session;
  if (!Number.isSafeInteger(seq) || seq < 0) throw new InvalidInputError('a block number is a whole number of 0 or more');
  profile.refresh();
  const id = profile.id;
  const store = home.store;
  const stored = store.header(id, seq);
  if (stored === undefined) throw new NotFoundError(`there is no block ${seq}; the chain has ${profile.length} blocks`);
  const checkpoint = store.headersOfKind(id, ['checkpoint']).find((h) => h.seq > seq);
  const head = store.head(id)!;
  const size = checkpoint?.seq ?? head.seq + 1;
  const leaves = [...store.headers(id, 0, size)].map((h) => leafHash(home.crypto.sha256, parseCid(h.cid).bytes));
  const path = inclusionPath(home.crypto.sha256, leaves, seq, size);
  let commitment: Commitment;
  if (checkpoint !== undefined) {
    commitment = { kind: 'checkpoint', header: checkpoint.bytes };
  } else {
    const root = storedHistory(home.crypto.sha256, store, id, size).root();
    const { bytes } = makeHeadRecord(home.crypto, { id, seq: head.seq, head: parseCid(head.cid), ts: home.clock.now(), root }, keys.identity.ed25519Seed);
    commitment = { kind: 'head-record', record: bytes };
  }
  const bundle: InclusionBundle = { id, seq, header: stored.bytes, path, commitment };
  if (options.reveal === true) {
    const { header } = decodeHeader(home.crypto, stored.bytes);
    bundle.reveal = header.bodies.map((ref) => {
      const body = store.body(ref.cid.toString());
      if (body === undefined) throw new NotFoundError(`the body of block ${seq} (${ref.section}) is not held here, so it cannot be revealed`);
      return { section: ref.section, body, key: profile.epochKey(ref) };
    });
  }
  return {
    text: encodeInclusionBundle(bundle), seq, revealed: bundle.reveal !== undefined,
    by: { kind: commitment.kind, seq: checkpoint?.seq ?? head.seq },
    name: `block-${seq}-inclusion.json`,
  };
}

/** Checks an inclusion bundle's text offline: what it proves, or the InclusionError of the first forgery. */
export function verifyInclusionText(crypto: Crypto, text: string): InclusionResult {
  return verifyInclusionBundle(crypto, decodeInclusionBundle(text));
}

/** The one sentence of what a valid bundle proves, for every face. */
export function inclusionSentence(result: InclusionResult): string {
  const by = result.by.kind === 'checkpoint'
    ? `the history committed by the checkpoint at seq ${result.by.seq}`
    : `the history committed by the head record at seq ${result.by.seq}`;
  return `block ${result.seq} (${result.kind}) of ${result.id} is in ${by}, signed by the owner`;
}
