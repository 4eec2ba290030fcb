// Change requests (DESIGN §4): a grantee's signed proposal {target, section, ops, base}, sealed to the owner
// in an envelope that any transport can carry (a file today, the network's mailboxes later).
import type { Did } from '../identity/did.ts';
import { assertDid, isDid, publicKeyFromDid } from '../identity/did.ts';
import { openEnvelope, sealEnvelope } from '../identity/envelope.ts';
import { cidOf, decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { checkSize, DefaustError } from '../errors.ts';
import { MAX_PROPOSAL_BYTES, MAX_REQUEST_BYTES } from '../../../src-shared/rules/limits.ts';
import { checkOps, checkSection, type Op } from '../chain/ops.ts';

export const REQUEST_FORMAT = 'defaust/request';
export const REPLY_FORMAT = 'defaust/reply';
const PROPOSAL_TYPE = 'defaust/proposal';

/** Why a request is refused; each reason is its own code, `request/<reason>`. */
export type RequestRefusal = 'malformed' | 'forged' | 'not-for-me' | 'replayed' | 'stale' | 'no-right' | 'unknown';

/** Where a replayed request was met: imported twice (`received`), or answered already (`approved`/`rejected`). */
export type ReplayedAt = 'received' | 'approved' | 'rejected';

/** A refused change request: `reason` is the refusal; `section` and `seen` carry its context when there is one. */
export class RequestError extends DefaustError {
  override name = 'RequestError';
  readonly reason: RequestRefusal;
  /** The profile section the request is about, when the refusal concerns it (`no-right`, `stale`). */
  readonly section?: string;
  /** For `replayed`: what had already happened to the request. */
  readonly seen?: ReplayedAt;
  constructor(reason: RequestRefusal, message: string, context: { section?: string; seen?: ReplayedAt } = {}) {
    super(`request/${reason}`, message);
    this.reason = reason;
    if (context.section !== undefined) this.section = context.section;
    if (context.seen !== undefined) this.seen = context.seen;
  }
}

export interface Proposal {
  target: Did;
  from: Did;
  section: string;
  ops: Op[];
  /** The seq of the owner's chain head the proposer saw. */
  base: number;
  ts: number;
}

/** A proposal with the exact bytes its author signed. `id` is the CID of those bytes. */
export interface SignedProposal {
  id: string;
  proposal: Proposal;
  bytes: Uint8Array;
  sig: Uint8Array;
}

/** What a proposal may change: a section's fields. Media, claims, attestations and nested proposals are the owner's own acts. */
const PROPOSABLE_OPS: ReadonlySet<Op['op']> = new Set(['set', 'unset', 'append']);

function checkProposable(ops: readonly Op[]): void {
  const other = ops.find((op) => !PROPOSABLE_OPS.has(op.op));
  if (other !== undefined) throw new RequestError('malformed', `a change request sets, unsets or appends fields; it cannot carry a ${other.op} op`);
}

/** Makes the sealed envelope of a proposal signed by `fromSeed` (the proposer's identity key). */
export function sealProposal(crypto: Crypto, fromSeed: Uint8Array, from: Did, target: Did, section: string, ops: Op[], base: number, ts: number): { id: string; envelope: Uint8Array } {
  assertDid(target);
  const checked = checkOps(ops);
  checkProposable(checked);
  const bytes = encode({ type: PROPOSAL_TYPE, v: 1, target, from, section: checkSection(section), ops: checked, base, ts, nonce: crypto.randomBytes(16) });
  checkSize('proposal', bytes.length, MAX_PROPOSAL_BYTES);
  const sig = crypto.ed25519.sign(fromSeed, bytes);
  return { id: cidOf(crypto.sha256, bytes).toString(), envelope: sealEnvelope(crypto, REQUEST_FORMAT, target, { proposal: bytes, sig }) };
}

/** Checks a signed proposal's bytes and signature (also used when a merge block is folded). */
export function checkSignedProposal(crypto: Crypto, bytes: Uint8Array, sig: Uint8Array): SignedProposal {
  let value: Record<string, unknown>;
  try {
    value = decodeCanonical(bytes) as Record<string, unknown>;
  } catch {
    throw new RequestError('malformed', 'the proposal does not decode');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RequestError('malformed', 'the proposal is malformed');
  const ok = value.type === PROPOSAL_TYPE && value.v === 1 && isDid(value.target) && isDid(value.from) && typeof value.section === 'string' &&
    Number.isSafeInteger(value.base) && (value.base as number) >= 0 && Number.isSafeInteger(value.ts) && value.nonce instanceof Uint8Array;
  if (!ok) throw new RequestError('malformed', 'the proposal is malformed');
  let ops: Op[];
  try {
    ops = checkOps(value.ops);
    checkSection(value.section);
  } catch (error) {
    throw new RequestError('malformed', `the proposal is malformed: ${(error as Error).message}`);
  }
  if (!(sig instanceof Uint8Array) || !crypto.ed25519.verify(publicKeyFromDid(value.from as string), bytes, sig)) {
    throw new RequestError('forged', `the proposal's signature by ${String(value.from)} does not verify`);
  }
  const proposal: Proposal = { target: value.target as Did, from: value.from as Did, section: value.section as string, ops, base: value.base as number, ts: value.ts as number };
  return { id: cidOf(crypto.sha256, bytes).toString(), proposal, bytes, sig };
}

/** Opens an envelope addressed to `me` and checks the proposal inside; both must be within their size caps. */
export function openProposal(crypto: Crypto, envelope: Uint8Array, myEd25519Seed: Uint8Array, me: Did): SignedProposal {
  checkSize('change request', envelope.length, MAX_REQUEST_BYTES);
  const result = openEnvelope(crypto, envelope, REQUEST_FORMAT, me, myEd25519Seed);
  if (!result.ok) {
    if (result.reason === 'undecodable') throw new RequestError('malformed', 'this is not a DeFaust change request (it does not decode)');
    if (result.reason === 'malformed') throw new RequestError('malformed', 'this is not a DeFaust change request');
    if (result.reason === 'not-for-me') throw new RequestError('not-for-me', `this request is addressed to ${String(result.to)}, not to you`);
    throw new RequestError('forged', 'the request does not open with your key (altered, or sealed to someone else)');
  }
  const opened = result.opened;
  let inner: Record<string, unknown>;
  try {
    inner = decodeCanonical(opened) as Record<string, unknown>;
  } catch {
    throw new RequestError('malformed', 'the sealed request does not decode');
  }
  if (typeof inner !== 'object' || inner === null || !(inner.proposal instanceof Uint8Array)) throw new RequestError('malformed', 'the sealed request is malformed');
  checkSize('proposal', inner.proposal.length, MAX_PROPOSAL_BYTES);
  const signed = checkSignedProposal(crypto, inner.proposal as Uint8Array, inner.sig as Uint8Array);
  if (signed.proposal.target !== me) throw new RequestError('not-for-me', `the proposal targets ${signed.proposal.target}, not you`);
  // Checked at receipt, not in checkSignedProposal: merge blocks already in a chain must still fold.
  checkProposable(signed.proposal.ops);
  return signed;
}

/** The owner's signed answer to a rejected request, sealed to its author. */
export function sealRejection(crypto: Crypto, ownerSeed: Uint8Array, owner: Did, request: SignedProposal, reason: string, ts: number): Uint8Array {
  const bytes = encode({ type: 'defaust/rejection', v: 1, request: request.id, by: owner, reason, ts });
  const sig = crypto.ed25519.sign(ownerSeed, bytes);
  return sealEnvelope(crypto, REPLY_FORMAT, request.proposal.from, { reply: bytes, sig });
}
