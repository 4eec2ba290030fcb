// Honor evidence (DESIGN §6): the portable documents an observer weighs — an equivocation proof (the identity
// signed two histories), a review (someone reported a witness's sign-off, signed), a refutation (a lost
// challenge refutes a claim and names its yes-witnesses; its outcome document and checker belong to the
// challenges feature, injected here). One file/wire format `defaust/evidence` v1 carries any of them;
// `checkEvidence` re-checks everything and returns the finding honor is computed from.
import { decodeCanonical, encode } from '../chain/codec.ts';
import { checkEquivocation, type EquivocationProof } from '../chain/equivocation.ts';
import type { Crypto } from '../crypto/port.ts';
import { checkSize, assertNever } from '../errors.ts';
import { isDid, type Did } from '../identity/did.ts';
import { toHex } from '../bytes.ts';
import { MAX_EVIDENCE_BYTES } from '../../../src-shared/rules/limits.ts';
import { EvidenceError } from './errors.ts';
import { checkReview, type SignedReview } from './review.ts';

export const EVIDENCE_FORMAT = 'defaust/evidence';
export const EVIDENCE_VERSION = 1;

export type Evidence =
  | { kind: 'equivocation'; proof: EquivocationProof }
  | { kind: 'review'; review: Uint8Array; sig: Uint8Array }
  | { kind: 'refutation'; claim: string; witnesses: Did[]; outcomeBytes: Uint8Array };

export type EvidenceKind = Evidence['kind'];

/** A refutation's input, as the challenges feature's checker takes it. */
export type RefutationInput = Extract<Evidence, { kind: 'refutation' }>;

/**
 * Checks a refutation's outcome document (signed by the challenge's winner, carrying its evidence) and says
 * which claim it refutes, the yes-witnesses it names, and when the refutation took effect. Throws when the
 * outcome does not hold.
 */
export type RefutationChecker = (input: RefutationInput) => { claim: string; witnesses: Did[]; ts: number };

/** What a checked piece of evidence establishes; `id` is the hash of its canonical bytes (one finding, however often received). */
export type Finding =
  | { kind: 'equivocation'; id: string; accused: Did[]; seq: number }
  | { kind: 'review'; id: string; accused: Did[]; reviewer: Did; claim: string; reason: string; ts: number }
  | { kind: 'refutation'; id: string; accused: Did[]; claim: string; ts: number };

/** The canonical bytes of `evidence` (a file's content, a mail's envelope). */
export function encodeEvidence(evidence: Evidence): Uint8Array {
  const head = { format: EVIDENCE_FORMAT, v: EVIDENCE_VERSION, kind: evidence.kind };
  switch (evidence.kind) {
    case 'equivocation': {
      const { id, a, b, prefix } = evidence.proof;
      return encode({ ...head, id, a, b, prefix });
    }
    case 'review':
      return encode({ ...head, review: evidence.review, sig: evidence.sig });
    case 'refutation':
      return encode({ ...head, claim: evidence.claim, witnesses: evidence.witnesses, outcome: evidence.outcomeBytes });
    default:
      return assertNever(evidence, 'evidence kind');
  }
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;
const keysAre = (value: Record<string, unknown>, keys: string[]): boolean => Object.keys(value).sort().join(',') === ['format', 'kind', 'v', ...keys].sort().join(',');

/** Decodes evidence bytes (shape only; `checkEvidence` verifies). */
export function decodeEvidence(bytes: Uint8Array): Evidence {
  checkSize('the evidence', bytes.length, MAX_EVIDENCE_BYTES);
  let v: Record<string, unknown>;
  try {
    v = decodeCanonical(bytes) as Record<string, unknown>;
  } catch {
    throw new EvidenceError('malformed', 'this is not DeFaust evidence, or it is damaged (it does not decode)');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isBytes(v) || v.format !== EVIDENCE_FORMAT) throw new EvidenceError('malformed', 'this is not DeFaust evidence');
  if (v.v !== EVIDENCE_VERSION) throw new EvidenceError('unsupported', `evidence version ${String(v.v)} is not one this DeFaust reads`);
  const bad = (kind: string): never => {
    throw new EvidenceError('malformed', `the ${kind} evidence is malformed`, kind);
  };
  switch (v.kind) {
    case 'equivocation':
      if (!keysAre(v, ['id', 'a', 'b', 'prefix']) || !isDid(v.id) || !isBytes(v.a) || !isBytes(v.b) || !Array.isArray(v.prefix) || !v.prefix.every(isBytes)) return bad('equivocation');
      return { kind: 'equivocation', proof: { id: v.id, a: v.a, b: v.b, prefix: v.prefix } };
    case 'review':
      if (!keysAre(v, ['review', 'sig']) || !isBytes(v.review) || !isBytes(v.sig)) return bad('review');
      return { kind: 'review', review: v.review, sig: v.sig };
    case 'refutation':
      if (!keysAre(v, ['claim', 'witnesses', 'outcome']) || typeof v.claim !== 'string' || !Array.isArray(v.witnesses) || !v.witnesses.every(isDid) || !isBytes(v.outcome)) return bad('refutation');
      return { kind: 'refutation', claim: v.claim, witnesses: v.witnesses, outcomeBytes: v.outcome };
    default:
      throw new EvidenceError('malformed', `unknown evidence kind ${String(v.kind)}`);
  }
}

export interface EvidenceCheckers {
  /** The challenges feature's checker; without it a refutation is refused (`honor/no-checker`). */
  refutation?: RefutationChecker;
}

/** Verifies evidence fully and says what it establishes; throws EvidenceError or EquivocationProofError. */
export function checkEvidence(crypto: Crypto, evidence: Evidence, checkers: EvidenceCheckers = {}): Finding {
  const id = toHex(crypto.sha256(encodeEvidence(evidence)));
  switch (evidence.kind) {
    case 'equivocation': {
      const checked = checkEquivocation(crypto, evidence.proof);
      return { kind: 'equivocation', id, accused: [checked.id], seq: checked.seq };
    }
    case 'review': {
      const { review }: SignedReview = checkReview(crypto, evidence.review, evidence.sig);
      return { kind: 'review', id, accused: [review.witness], reviewer: review.reviewer, claim: review.claim, reason: review.reason, ts: review.ts };
    }
    case 'refutation': {
      if (checkers.refutation === undefined) throw new EvidenceError('no-checker', 'refutations cannot be checked here (no refutation checker), so this one is not taken', 'refutation');
      const outcome = checkers.refutation(evidence);
      const same = outcome.claim === evidence.claim && outcome.witnesses.length === evidence.witnesses.length && outcome.witnesses.every((w) => evidence.witnesses.includes(w));
      if (!same) throw new EvidenceError('mismatch', 'the refutation names other witnesses or another claim than its outcome does', 'refutation');
      return { kind: 'refutation', id, accused: [...new Set(outcome.witnesses)], claim: outcome.claim, ts: outcome.ts };
    }
    default:
      return assertNever(evidence, 'evidence kind');
  }
}
