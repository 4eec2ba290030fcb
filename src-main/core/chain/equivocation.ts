// Equivocation: two validly signed headers of one identity with the same seq and the same prev but different
// CIDs — the identity (or one of its live devices) signed two histories. The proof carries both headers and,
// when a device signed either, the chain's headers before the fork (the prefix): they hold the device's
// certificate (its `device-add`, signed by the identity key) and show it was not revoked before that seq.
// The checker refuses a stranger's header, a revoked device's header, and anything that is not a fork, each
// with a typed reason (EquivocationProofError).
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { ChainVerificationError } from './errors.ts';
import { decodeHeader, unsignedBytesOf, type SignedBlockHeader } from './header.ts';
import { deviceOf } from './meta.ts';
import { ChainVerifier } from './verify.ts';
import type { ChainStore } from '../ports.ts';

export interface EquivocationProof {
  id: Did;
  /** The two headers signed at one seq over one prev. */
  a: Uint8Array;
  b: Uint8Array;
  /** The headers at seq 0 … seq-1 (empty when the identity key signed both headers). */
  prefix: Uint8Array[];
}

export class EquivocationError extends DefaustError {
  override name = 'EquivocationError';
  readonly proof: EquivocationProof;
  readonly seq: number;
  constructor(id: Did, seq: number, proof: EquivocationProof) {
    super('chain/equivocation', `block ${seq}: ${id} signed two different blocks at seq ${seq}`);
    this.proof = proof;
    this.seq = seq;
  }
}

/** Why an equivocation proof is refused. */
export type EquivocationRefusal =
  | 'malformed' // a header does not decode, or the proof's fields are not what they must be
  | 'not-a-fork' // other identities, other seqs, other prevs, or the same block twice
  | 'stranger' // a header is signed by a key that is neither the identity nor a device it certified
  | 'revoked' // a header is signed by a device revoked before that seq
  | 'uncertified' // a device signed, but the proof does not carry the prefix that certifies it
  | 'bad-signature' // a header's signature does not verify
  | 'bad-prefix'; // the prefix is not a valid chain ending where both headers begin

export class EquivocationProofError extends DefaustError {
  override name = 'EquivocationProofError';
  readonly reason: EquivocationRefusal;
  readonly id: Did | null;
  readonly seq: number | null;
  constructor(reason: EquivocationRefusal, message: string, id: Did | null = null, seq: number | null = null) {
    super(`equivocation/${reason}`, message);
    this.reason = reason;
    this.id = id;
    this.seq = seq;
  }
}

/** The proof of a fork found at `seq`: the stored header, the other one, and the stored prefix when a device signed either. */
export function equivocationProof(crypto: Crypto, store: ChainStore, id: Did, seq: number, mine: Uint8Array, theirs: Uint8Array): EquivocationProof {
  const bySigner = [mine, theirs].some((bytes) => decodeHeader(crypto, bytes).header.author !== id);
  const prefix: Uint8Array[] = [];
  if (bySigner) for (let s = 0; s < seq; s++) prefix.push(store.header(id, s)!.bytes);
  return { id, a: mine, b: theirs, prefix };
}

/** What a checked proof establishes: `id` signed two blocks at `seq`, by these signers. */
export interface CheckedEquivocation {
  id: Did;
  seq: number;
  signers: [Did, Did];
}

type DeviceState = 'identity' | 'live' | 'revoked' | 'stranger';

/** The state of `author` after the prefix's device certificates and revocations. */
function signerState(id: Did, prefix: readonly SignedBlockHeader[], author: Did): DeviceState {
  if (author === id) return 'identity';
  let state: DeviceState = 'stranger';
  for (const { header } of prefix) {
    if (header.kind === 'device-add' && header.author === id && deviceOf(header) === author && state === 'stranger') state = 'live';
    if (header.kind === 'device-revoke' && header.author === id && deviceOf(header) === author && state === 'live') state = 'revoked';
  }
  return state;
}

/** Checks an equivocation proof fully: a fork, both headers signed by the identity or a device live at that seq. */
export function checkEquivocation(crypto: Crypto, proof: EquivocationProof): CheckedEquivocation {
  if (!isDid(proof.id)) throw new EquivocationProofError('malformed', 'the proof does not name a valid identity');
  const decode = (bytes: Uint8Array): SignedBlockHeader => {
    try {
      return decodeHeader(crypto, bytes);
    } catch (error) {
      if (error instanceof ChainVerificationError) throw new EquivocationProofError('malformed', 'a header of the proof does not decode', proof.id);
      throw error;
    }
  };
  const a = decode(proof.a);
  const b = decode(proof.b);
  const { id } = proof;
  const seq = a.header.seq;
  const fork = a.header.id === id && b.header.id === id && b.header.seq === seq && !a.cid.equals(b.cid) &&
    (a.header.prev === null ? b.header.prev === null : b.header.prev !== null && a.header.prev.equals(b.header.prev));
  if (!fork) throw new EquivocationProofError('not-a-fork', 'the two headers are not two blocks of one identity at one seq over one prev', id, seq);
  const prefix = proof.prefix.map(decode);
  for (const block of [a, b]) {
    const author = block.header.author;
    if (prefix.length === 0 && author !== id) throw new EquivocationProofError('uncertified', `${author} signed, and the proof carries no prefix certifying it as a device of ${id}`, id, seq);
    const state = signerState(id, prefix, author);
    if (state === 'stranger') throw new EquivocationProofError('stranger', `${author} is not ${id} nor a device it certified before seq ${seq}`, id, seq);
    if (state === 'revoked') throw new EquivocationProofError('revoked', `device ${author} was revoked before seq ${seq}`, id, seq);
  }
  if (prefix.length === 0) {
    for (const block of [a, b]) {
      if (!crypto.ed25519.verify(publicKeyFromDid(id), unsignedBytesOf(block), block.header.sig)) throw new EquivocationProofError('bad-signature', `a header's signature by ${id} does not verify`, id, seq);
    }
  } else {
    if (prefix.length !== seq) throw new EquivocationProofError('bad-prefix', `the prefix holds ${prefix.length} headers, not the ${seq} before the fork`, id, seq);
    for (const block of [a, b]) acceptAfter(crypto, id, prefix, block, seq);
  }
  return { id, seq, signers: [a.header.author, b.header.author] };
}

/** Runs the chain verifier over the prefix and then `block`: every chain rule, the device's certificate included. */
function acceptAfter(crypto: Crypto, id: Did, prefix: readonly SignedBlockHeader[], block: SignedBlockHeader, seq: number): void {
  const verifier = new ChainVerifier(crypto, id);
  let stage: 'prefix' | 'header' = 'prefix';
  try {
    for (const earlier of prefix) verifier.accept(earlier);
    stage = 'header';
    verifier.accept(block);
  } catch (error) {
    if (!(error instanceof ChainVerificationError)) throw error;
    if (stage === 'prefix') throw new EquivocationProofError('bad-prefix', `the prefix is not a valid chain of ${id} (${error.rule} at seq ${error.seq ?? '?'})`, id, seq);
    const reason = error.rule === 'signature' ? 'bad-signature' : error.rule === 'author' ? 'stranger' : error.rule === 'prev' ? 'bad-prefix' : 'malformed';
    throw new EquivocationProofError(reason, `a header of the fork breaks the chain rule ${error.rule}`, id, seq);
  }
}
