// Reviews ("Report this witness"): anyone signs a versioned review of a witness's sign-off on a claim, with a
// reason. The signed bytes are canonical DAG-CBOR; the decoder refuses every other shape with a typed error.
import { decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { checkSize } from '../errors.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { MAX_REVIEW_REASON_CHARS } from '../../../src-shared/rules/text.ts';
import { EvidenceError } from './errors.ts';

export const REVIEW_FORMAT = 'defaust/review';
export const REVIEW_VERSION = 1;

export interface Review {
  reviewer: Did;
  /** The witness reported. */
  witness: Did;
  /** The claim (its CID) whose sign-off is reported. */
  claim: string;
  reason: string;
  ts: number;
}

export interface SignedReview {
  review: Review;
  bytes: Uint8Array;
  sig: Uint8Array;
}

const REVIEW_KEYS = ['claim', 'format', 'reason', 'reviewer', 'ts', 'v', 'witness'].join(',');

/** The exact bytes a reviewer signs for `review` (what the ConfirmDialog shows, field by field). */
export function reviewBytes(review: Review): Uint8Array {
  const reason = review.reason.trim();
  if (reason === '') throw new EvidenceError('malformed', 'a review needs a reason', 'review');
  checkSize('the reason', reason.length, MAX_REVIEW_REASON_CHARS, 'characters');
  if (review.reviewer === review.witness) throw new EvidenceError('self-review', 'a witness cannot review themselves', 'review');
  return encode({ format: REVIEW_FORMAT, v: REVIEW_VERSION, reviewer: review.reviewer, witness: review.witness, claim: review.claim, reason, ts: review.ts });
}

export function signReview(crypto: Crypto, seed: Uint8Array, review: Review): SignedReview {
  const bytes = reviewBytes(review);
  return { review: readReview(bytes), bytes, sig: crypto.ed25519.sign(seed, bytes) };
}

/** Decodes review bytes (shape only). */
export function readReview(bytes: Uint8Array): Review {
  let v: Record<string, unknown>;
  try {
    v = decodeCanonical(bytes) as Record<string, unknown>;
  } catch {
    throw new EvidenceError('malformed', 'the review does not decode', 'review');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) throw new EvidenceError('malformed', 'the review is not a map', 'review');
  if (v.format !== REVIEW_FORMAT) throw new EvidenceError('malformed', 'this is not a review', 'review');
  if (v.v !== REVIEW_VERSION) throw new EvidenceError('unsupported', `review version ${String(v.v)} is not one this DeFaust reads`, 'review');
  if (Object.keys(v).sort().join(',') !== REVIEW_KEYS) throw new EvidenceError('malformed', 'the review has other fields than it must', 'review');
  const ok = isDid(v.reviewer) && isDid(v.witness) && typeof v.claim === 'string' && v.claim.length > 0 && v.claim.length <= 128 &&
    typeof v.reason === 'string' && v.reason.trim() !== '' && v.reason.length <= MAX_REVIEW_REASON_CHARS && Number.isSafeInteger(v.ts) && (v.ts as number) >= 0;
  if (!ok) throw new EvidenceError('malformed', 'a field of the review is malformed', 'review');
  if (v.reviewer === v.witness) throw new EvidenceError('self-review', 'a witness cannot review themselves', 'review');
  return { reviewer: v.reviewer as Did, witness: v.witness as Did, claim: v.claim as string, reason: v.reason as string, ts: v.ts as number };
}

/** Decodes and checks a signed review: its shape and the reviewer's signature. */
export function checkReview(crypto: Crypto, bytes: Uint8Array, sig: Uint8Array): SignedReview {
  const review = readReview(bytes);
  if (sig.length !== 64 || !crypto.ed25519.verify(publicKeyFromDid(review.reviewer), bytes, sig)) throw new EvidenceError('forged', `the review's signature by ${review.reviewer} does not verify`, 'review');
  return { review, bytes, sig };
}
