// Inclusion bundles ("did you X?"): one block's header, its accumulator path, and what the owner signed over
// the root the path leads to — the first checkpoint block after it, or a v2 head record — so anyone holding
// the bundle alone checks offline that the block is in the owner's history. With a reveal, the sealed bodies
// and the epoch keys that open them come along, and the verifier shows the decrypted ops. Every forgery is an
// InclusionError with its reason. The bundle is JSON (bytes in hex) so it pastes into the Verify screen; the
// signed parts inside it are kept byte for byte. A later `kept` part (the bytes a counterparty kept of a
// purged body) fits beside `reveal` without changing the rest.
import { fromHex, toHex } from '../bytes.ts';
import { checkpointMeta } from '../chain/checkpoint.ts';
import { decodeCanonical, hashesTo } from '../chain/codec.ts';
import { openBody } from '../chain/body.ts';
import { decodeHeader, signatureValid, type Header, type SignedBlockHeader } from '../chain/header.ts';
import { leafHash, verifyInclusion } from '../chain/mmr.ts';
import { checkOps, type Op } from '../chain/ops.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { isDid, type Did } from '../identity/did.ts';
import { headKey, validateHeadRecord } from '../net/head-record.ts';

export const INCLUSION_FORMAT = 'defaust/inclusion';
export const INCLUSION_VERSION = 1;
/** Depth cap of a path: 64 steps cover any chain a 2^53 seq can name. */
const MAX_PATH = 64;

/** What the owner signed over the root: a checkpoint block's header, or a v2 head record. */
export type Commitment = { kind: 'checkpoint'; header: Uint8Array } | { kind: 'head-record'; record: Uint8Array };

/** A revealed body: its sealed bytes and the epoch key of its section that opens it. */
export interface RevealedBody {
  section: string;
  body: Uint8Array;
  key: Uint8Array;
}

export interface InclusionBundle {
  id: Did;
  seq: number;
  header: Uint8Array;
  path: Uint8Array[];
  commitment: Commitment;
  reveal?: RevealedBody[];
}

/** Why a bundle proves nothing. */
export type InclusionRefusal =
  | 'malformed' // not a bundle of this format
  | 'header' // the header does not decode, is not the block named, or its signature fails
  | 'owner' // the commitment is another identity's, or not signed by the owner's identity key
  | 'commitment' // the commitment does not decode or its signature fails
  | 'range' // the commitment's history does not reach the block
  | 'path' // the path does not lead from the header to the signed root
  | 'body' // a revealed body is not the one the header names
  | 'key'; // a revealed key does not open its body

const SENTENCES: Record<InclusionRefusal, string> = {
  malformed: 'this is not an inclusion bundle',
  header: 'the block header is damaged or not signed by its author',
  owner: 'what the history is committed by is not signed by the owner of the block',
  commitment: 'the checkpoint or head record is damaged or its signature does not verify',
  range: 'the signed history does not reach this block',
  path: 'the accumulator path does not lead from this header to the signed root: the header or the path was changed',
  body: 'a revealed body is not the body the header names',
  key: 'a revealed key does not open its body',
};

export class InclusionError extends DefaustError {
  override name = 'InclusionError';
  readonly reason: InclusionRefusal;
  readonly detail: string | null;
  constructor(reason: InclusionRefusal, detail: string | null = null) {
    super(`inclusion/${reason}`, detail === null ? SENTENCES[reason] : `${SENTENCES[reason]} (${detail})`);
    this.reason = reason;
    this.detail = detail;
  }
}

/** What a valid bundle proves. */
export interface InclusionResult {
  id: Did;
  seq: number;
  cid: string;
  kind: string;
  ts: number;
  author: Did;
  /** What commits to the history holding the block. */
  by: { kind: 'checkpoint'; seq: number; cid: string; size: number } | { kind: 'head-record'; seq: number; ts: number; size: number };
  /** The decrypted ops of each revealed body, in the header's order. */
  revealed: { section: string; ops: Op[] }[];
}

// ---- the file ----

const HEX = /^(?:[0-9a-f]{2})*$/u;
const bytesOf = (value: unknown, what: string, length?: number): Uint8Array => {
  if (typeof value !== 'string' || !HEX.test(value) || (length !== undefined && value.length !== length * 2)) throw new InclusionError('malformed', `${what} is not ${length ?? 'some'} bytes of hex`);
  return fromHex(value);
};
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The bundle as the JSON text of its file. */
export function encodeInclusionBundle(bundle: InclusionBundle): string {
  const commitment = bundle.commitment.kind === 'checkpoint'
    ? { kind: 'checkpoint', header: toHex(bundle.commitment.header) }
    : { kind: 'head-record', record: toHex(bundle.commitment.record) };
  return `${JSON.stringify({
    format: INCLUSION_FORMAT, v: INCLUSION_VERSION, id: bundle.id, seq: bundle.seq, header: toHex(bundle.header), path: bundle.path.map(toHex), commitment,
    ...(bundle.reveal === undefined ? {} : { reveal: bundle.reveal.map((r) => ({ section: r.section, body: toHex(r.body), key: toHex(r.key) })) }),
  }, null, 2)}\n`;
}

/** Parses a bundle file's text; `inclusion/malformed` when it is not one. */
export function decodeInclusionBundle(text: string): InclusionBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InclusionError('malformed', 'not JSON');
  }
  if (!isRecord(value) || value.format !== INCLUSION_FORMAT) throw new InclusionError('malformed');
  if (value.v !== INCLUSION_VERSION) throw new InclusionError('malformed', `version ${String(value.v)} is not known here`);
  if (!isDid(value.id)) throw new InclusionError('malformed', 'id is not an Ed25519 did:key');
  if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 0) throw new InclusionError('malformed', 'seq is not a block number');
  if (!Array.isArray(value.path) || value.path.length > MAX_PATH) throw new InclusionError('malformed', 'path is not a list of hashes');
  const c = value.commitment;
  let commitment: Commitment;
  if (isRecord(c) && c.kind === 'checkpoint') commitment = { kind: 'checkpoint', header: bytesOf(c.header, 'the checkpoint header') };
  else if (isRecord(c) && c.kind === 'head-record') commitment = { kind: 'head-record', record: bytesOf(c.record, 'the head record') };
  else throw new InclusionError('malformed', 'commitment is neither a checkpoint nor a head record');
  let reveal: RevealedBody[] | undefined;
  if (value.reveal !== undefined) {
    if (!Array.isArray(value.reveal)) throw new InclusionError('malformed', 'reveal is not a list');
    reveal = value.reveal.map((r: unknown) => {
      if (!isRecord(r) || typeof r.section !== 'string') throw new InclusionError('malformed', 'a revealed body is {section, body, key}');
      return { section: r.section, body: bytesOf(r.body, 'a revealed body'), key: bytesOf(r.key, 'a revealed key', 32) };
    });
  }
  return {
    id: value.id, seq: value.seq as number, header: bytesOf(value.header, 'the header'), path: value.path.map((p: unknown) => bytesOf(p, 'a path step', 32)), commitment,
    ...(reveal === undefined ? {} : { reveal }),
  };
}

// ---- checking ----

function decodeSigned(crypto: Crypto, bytes: Uint8Array, refusal: InclusionRefusal): SignedBlockHeader {
  let block: SignedBlockHeader;
  try {
    block = decodeHeader(crypto, bytes);
  } catch (error) {
    throw new InclusionError(refusal, (error as Error).message);
  }
  if (!signatureValid(crypto, block.header)) throw new InclusionError(refusal, `the signature by ${block.header.author} does not verify`);
  return block;
}

/** The root and size the owner signed, with what signed it. */
function signedRoot(crypto: Crypto, id: Did, commitment: Commitment): { root: Uint8Array; size: number; by: InclusionResult['by'] } {
  if (commitment.kind === 'checkpoint') {
    const block = decodeSigned(crypto, commitment.header, 'commitment');
    const { header } = block;
    if (header.id !== id) throw new InclusionError('owner', `the checkpoint is ${header.id}'s`);
    if (header.author !== id) throw new InclusionError('owner', `the checkpoint is signed by ${header.author}, not the identity key`);
    if (header.kind !== 'checkpoint') throw new InclusionError('commitment', `block ${header.seq} is a ${header.kind}, not a checkpoint`);
    let meta;
    try {
      meta = checkpointMeta(header);
    } catch (error) {
      throw new InclusionError('commitment', (error as Error).message);
    }
    return { root: meta.root, size: meta.size, by: { kind: 'checkpoint', seq: header.seq, cid: block.cid.toString(), size: meta.size } };
  }
  let record;
  try {
    record = validateHeadRecord(crypto, headKey(id), commitment.record);
  } catch (error) {
    const code = error instanceof DefaustError ? error.code : '';
    throw new InclusionError(code === 'head/key' ? 'owner' : 'commitment', (error as Error).message);
  }
  if (record.root === undefined) throw new InclusionError('commitment', 'a v1 head record commits to no history root');
  return { root: record.root, size: record.seq + 1, by: { kind: 'head-record', seq: record.seq, ts: record.ts, size: record.seq + 1 } };
}

function openRevealed(crypto: Crypto, header: Header, reveal: readonly RevealedBody[]): InclusionResult['revealed'] {
  if (reveal.length !== header.bodies.length) throw new InclusionError('body', `the header names ${header.bodies.length} bodies and ${reveal.length} are revealed`);
  return header.bodies.map((ref, i) => {
    const shown = reveal[i]!;
    if (shown.section !== ref.section) throw new InclusionError('body', `body ${i} is of section ${ref.section}, not ${shown.section}`);
    if (!hashesTo(crypto.sha256, shown.body, ref.cid)) throw new InclusionError('body', `body ${i} does not hash to ${ref.cid.toString()}`);
    let ops: Op[];
    try {
      ops = checkOps(decodeCanonical(openBody(crypto, shown.key, { v: header.v, id: header.id, section: ref.section, gen: ref.gen, epoch: ref.epoch }, shown.body)), 'stored');
    } catch (error) {
      throw new InclusionError('key', (error as Error).message);
    }
    return { section: ref.section, ops };
  });
}

/**
 * Checks a bundle offline: the header decodes, is block `seq` of `id` and its author's signature verifies; the
 * commitment is the owner's (a checkpoint signed by the identity key, or a v2 head record) and its history
 * reaches the block; the path leads from the header's CID to the signed root; each revealed body hashes to
 * its CID and opens with its key. Returns what it proves, or throws the first InclusionError.
 */
export function verifyInclusionBundle(crypto: Crypto, bundle: InclusionBundle): InclusionResult {
  const block = decodeSigned(crypto, bundle.header, 'header');
  const { header } = block;
  if (header.id !== bundle.id || header.seq !== bundle.seq) throw new InclusionError('header', `the header is block ${header.seq} of ${header.id}, not block ${bundle.seq} of ${bundle.id}`);
  const { root, size, by } = signedRoot(crypto, bundle.id, bundle.commitment);
  if (bundle.seq >= size) throw new InclusionError('range', `the signed history holds blocks 0 to ${size - 1}, not block ${bundle.seq}`);
  if (!verifyInclusion(crypto.sha256, leafHash(crypto.sha256, block.cid.bytes), bundle.seq, size, bundle.path, root)) throw new InclusionError('path');
  return {
    id: bundle.id, seq: bundle.seq, cid: block.cid.toString(), kind: header.kind, ts: header.ts, author: header.author, by,
    revealed: bundle.reveal === undefined ? [] : openRevealed(crypto, header, bundle.reveal),
  };
}
