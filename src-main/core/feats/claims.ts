// Feat claims and attestations (DESIGN §6). A claim says what was done, by which criteria, when, with which
// evidence, and which policy it needs (k of n witnesses, or one trusted authority). A witness attests
// `{claim, subject, verdict, ts}` with Ed25519 and, for proofs, signs the claim hash with EdDSA-Poseidon;
// the Ed25519 signature covers the Baby Jubjub key too, binding it to the witness's did:key. A request may
// carry copies of the evidence (the media's sealed blobs and key, within a size cap), so that the witness
// sees what the claim names and checks it against the evidence CIDs (decision 0006).
import { cidOf, decodeCanonical, encode, parseCid, RAW, type CID } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { checkSize, DefaustError } from '../errors.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { openEnvelope, sealEnvelope } from '../identity/envelope.ts';
import { MediaError, openMedia } from '../media/media.ts';
import { digestToField } from '../zk/field.ts';
import { MAX_ATTEST_REPLY_BYTES, MAX_ATTEST_REQUEST_BYTES } from '../../../src-shared/rules/limits.ts';
import { MAX_CRITERIA_CHARS, MAX_TITLE_CHARS } from '../../../src-shared/rules/text.ts';
import { FEAT_TYPE, FEAT_TYPE_RULE } from '../../../src-shared/rules/feat-type.ts';

export class FeatError extends DefaustError {
  override name = 'FeatError';
  constructor(code: string, message: string) {
    super(`feat/${code}`, message);
  }
}

export type Policy = { kind: 'k-of-n'; k: number } | { kind: 'authority' };

export interface FeatClaim {
  holder: Did;
  title: string;
  criteria: string;
  featType: string;
  ts: number;
  evidence: string[];
  policy: Policy;
  /** A re-performance before a challenge's panel: the claim challenged and the challenge's id (core/social). */
  reperforms?: { claim: string; challenge: string };
  /** A won duel: the duel's id (core/social/duel.ts); the claim is derived from the duel and its winner. */
  duel?: string;
}

export interface ClaimRecord {
  cid: string;
  hash: bigint;
  bytes: Uint8Array;
  claim: FeatClaim;
}

export interface Attestation {
  claim: string;
  claimHash: string;
  subject: Did;
  witness: Did;
  verdict: 'yes' | 'no';
  ts: number;
  babyJubjub: [Uint8Array, Uint8Array];
  /** EdDSA-Poseidon signature of the claim hash (for verdict yes), decimal strings. */
  poseidon: { R8x: string; R8y: string; S: string } | null;
}

export interface SignedAttestation {
  attestation: Attestation;
  bytes: Uint8Array;
  sig: Uint8Array;
}

const CLAIM_TYPE = 'defaust/feat-claim';
const ATTESTATION_TYPE = 'defaust/attestation';
export const REQUEST_FORMAT = 'defaust/attest-request';
export const REPLY_FORMAT = 'defaust/attest-reply';

export function makeClaim(crypto: Crypto, claim: FeatClaim): ClaimRecord {
  if (!claim.title.trim()) throw new FeatError('invalid', 'a feat needs a title');
  checkSize('the title', claim.title.length, MAX_TITLE_CHARS, 'characters');
  checkSize('the criteria', claim.criteria.length, MAX_CRITERIA_CHARS, 'characters');
  if (!FEAT_TYPE.test(claim.featType)) throw new FeatError('invalid', FEAT_TYPE_RULE);
  if (claim.policy.kind === 'k-of-n' && !(Number.isInteger(claim.policy.k) && claim.policy.k >= 1 && claim.policy.k <= 16)) {
    throw new FeatError('invalid', 'k is a whole number from 1 to 16');
  }
  const bytes = encode({ type: CLAIM_TYPE, v: 1, ...claim });
  return readClaim(crypto, bytes);
}

export function readClaim(crypto: Crypto, bytes: Uint8Array): ClaimRecord {
  const v = decodeCanonical(bytes) as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FeatError('invalid', 'this is not a feat claim');
  const policy = v.policy as Policy | undefined;
  const ok = v.type === CLAIM_TYPE && v.v === 1 && isDid(v.holder) && typeof v.title === 'string' && typeof v.criteria === 'string' &&
    typeof v.featType === 'string' && Number.isSafeInteger(v.ts) && Array.isArray(v.evidence) && v.evidence.every((e) => typeof e === 'string') &&
    (policy?.kind === 'authority' || (policy?.kind === 'k-of-n' && Number.isInteger(policy.k))) &&
    (v.reperforms === undefined || isReperformance(v.reperforms)) && (v.duel === undefined || typeof v.duel === 'string');
  if (!ok) throw new FeatError('invalid', 'this is not a feat claim');
  const { type: _t, v: _v, ...claim } = v;
  return { cid: cidOf(crypto.sha256, bytes).toString(), hash: digestToField(crypto.sha256(bytes)), bytes, claim: claim as unknown as FeatClaim };
}

const isReperformance = (value: unknown): boolean => {
  const r = value as Record<string, unknown> | null;
  return typeof r === 'object' && r !== null && typeof r.claim === 'string' && typeof r.challenge === 'string' && Object.keys(r).length === 2;
};

/**
 * One piece of evidence as a request carries it: its description, and — when it fits under the cap — a copy
 * (the media key and its sealed manifest and chunks), which the witness checks against the CID in the claim.
 */
export interface EvidenceItem {
  cid: string;
  name: string;
  type: string;
  size: number;
  copy?: { key: Uint8Array; chunks: number; blobs: Uint8Array[] };
}

/** Evidence as the witness sees it: opened and checked (`bytes`), described only, damaged, or missing. */
export interface SeenEvidence {
  cid: string;
  name: string;
  type: string;
  size: number;
  state: 'included' | 'not-sent' | 'damaged' | 'missing';
  bytes: Uint8Array | null;
}

/** The holder's request to a witness: the claim (and its evidence), sealed to the witness's did:key. */
export function sealAttestRequest(crypto: Crypto, witness: Did, claim: ClaimRecord, evidence: readonly EvidenceItem[] = []): Uint8Array {
  const items = evidence.map(({ copy, ...rest }) => (copy === undefined ? rest : { ...rest, copy }));
  return sealEnvelope(crypto, REQUEST_FORMAT, witness, items.length === 0 ? { claim: claim.bytes } : { claim: claim.bytes, evidence: items });
}

function openRequest(crypto: Crypto, bytes: Uint8Array, me: Did, mySeed: Uint8Array): { claim: ClaimRecord; evidence: unknown } {
  checkSize('attestation request', bytes.length, MAX_ATTEST_REQUEST_BYTES);
  const result = openEnvelope(crypto, bytes, REQUEST_FORMAT, me, mySeed);
  if (!result.ok) {
    if (result.reason === 'malformed' || result.reason === 'undecodable') throw new FeatError('malformed', 'this is not an attestation request');
    if (result.reason === 'not-for-me') throw new FeatError('not-for-me', `this request is for ${String(result.to)}, not for you`);
    throw new FeatError('forged', 'the request does not open with your key');
  }
  let inner: { claim?: unknown; evidence?: unknown };
  try {
    inner = decodeCanonical(result.opened) as typeof inner;
  } catch {
    throw new FeatError('malformed', 'this is not an attestation request');
  }
  if (!(inner?.claim instanceof Uint8Array)) throw new FeatError('malformed', 'this is not an attestation request');
  return { claim: readClaim(crypto, inner.claim), evidence: inner.evidence };
}

export function openAttestRequest(crypto: Crypto, bytes: Uint8Array, me: Did, mySeed: Uint8Array): ClaimRecord {
  return openRequest(crypto, bytes, me, mySeed).claim;
}

const isItem = (v: unknown): v is EvidenceItem => {
  const e = v as Record<string, unknown> | null;
  if (typeof e !== 'object' || e === null || typeof e.cid !== 'string' || typeof e.name !== 'string' || typeof e.type !== 'string' || !Number.isSafeInteger(e.size)) return false;
  const copy = e.copy as Record<string, unknown> | undefined;
  return copy === undefined || (typeof copy === 'object' && copy !== null && copy.key instanceof Uint8Array && copy.key.length === 32 && Number.isSafeInteger(copy.chunks) && Array.isArray(copy.blobs) && copy.blobs.every((b) => b instanceof Uint8Array));
};

/**
 * Opens a request with its evidence: every evidence CID the claim names, in order, opened from the copy
 * the request carries when its blobs hash to that CID and decrypt with the key given; otherwise described.
 */
export function openAttestRequestWithEvidence(crypto: Crypto, bytes: Uint8Array, me: Did, mySeed: Uint8Array): { claim: ClaimRecord; evidence: SeenEvidence[] } {
  const { claim, evidence } = openRequest(crypto, bytes, me, mySeed);
  const items = (Array.isArray(evidence) ? evidence : []).filter(isItem);
  const seen = claim.claim.evidence.map((cid): SeenEvidence => {
    const item = items.find((i) => i.cid === cid);
    if (item === undefined) return { cid, name: '', type: '', size: 0, state: 'missing', bytes: null };
    const described = { cid, name: item.name.slice(0, 255), type: item.type.slice(0, 255), size: item.size };
    const ref = asCidText(cid);
    if (item.copy === undefined || ref === null) return { ...described, state: 'not-sent', bytes: null };
    const blobs = new Map(item.copy.blobs.map((b) => [cidOf(crypto.sha256, b, RAW).toString(), b]));
    try {
      const opened = openMedia(crypto, { cid: ref, key: item.copy.key, name: item.name, type: item.type, size: item.size, chunks: item.copy.chunks }, (c) => blobs.get(c.toString()));
      return { ...described, state: 'included', bytes: opened };
    } catch (error) {
      if (error instanceof MediaError) return { ...described, state: 'damaged', bytes: null };
      throw error;
    }
  });
  return { claim, evidence: seen };
}

function asCidText(text: string): CID | null {
  try {
    return parseCid(text);
  } catch {
    return null;
  }
}

/** The witness's signed verdict, sealed to the holder. */
export function signAttestation(
  crypto: Crypto, witnessSeed: Uint8Array, witness: Did, babyJubjubSecret: Uint8Array, claim: ClaimRecord, verdict: 'yes' | 'no', ts: number,
): Uint8Array {
  const { bytes, sig } = attest(crypto, witnessSeed, witness, babyJubjubSecret, claim, verdict, ts);
  return sealEnvelope(crypto, REPLY_FORMAT, claim.claim.holder, { attestation: bytes, sig });
}

/** The witness's verdict on a claim, signed (Ed25519; EdDSA-Poseidon of the claim hash for yes), not sealed. */
export function attest(
  crypto: Crypto, witnessSeed: Uint8Array, witness: Did, babyJubjubSecret: Uint8Array, claim: ClaimRecord, verdict: 'yes' | 'no', ts: number,
): { bytes: Uint8Array; sig: Uint8Array } {
  const poseidon = verdict === 'yes' ? crypto.babyJubjub.sign(babyJubjubSecret, claim.hash) : null;
  const attestation: Attestation = {
    claim: claim.cid, claimHash: claim.hash.toString(), subject: claim.claim.holder, witness, verdict, ts,
    babyJubjub: crypto.babyJubjub.publicKey(babyJubjubSecret),
    poseidon: poseidon && { R8x: poseidon.R8x.toString(), R8y: poseidon.R8y.toString(), S: poseidon.S.toString() },
  };
  const bytes = encode({ type: ATTESTATION_TYPE, v: 1, ...attestation });
  return { bytes, sig: crypto.ed25519.sign(witnessSeed, bytes) };
}

/** Checks an attestation's bytes and both signatures. */
export function checkAttestation(crypto: Crypto, bytes: Uint8Array, sig: Uint8Array): SignedAttestation {
  let v: Record<string, unknown>;
  try {
    v = decodeCanonical(bytes) as Record<string, unknown>;
  } catch {
    throw new FeatError('malformed', 'the attestation does not decode');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FeatError('malformed', 'the attestation is malformed');
  const bjj = v.babyJubjub as unknown[];
  const ok = v.type === ATTESTATION_TYPE && v.v === 1 && typeof v.claim === 'string' && typeof v.claimHash === 'string' && /^\d+$/u.test(v.claimHash) && isDid(v.subject) &&
    isDid(v.witness) && (v.verdict === 'yes' || v.verdict === 'no') && Number.isSafeInteger(v.ts) &&
    Array.isArray(bjj) && bjj.length === 2 && bjj.every((c) => c instanceof Uint8Array && c.length === 32);
  if (!ok) throw new FeatError('malformed', 'the attestation is malformed');
  if (!crypto.ed25519.verify(publicKeyFromDid(v.witness as string), bytes, sig)) throw new FeatError('forged', `the attestation's signature by ${String(v.witness)} does not verify`);
  const { type: _t, v: _v, ...rest } = v;
  const attestation = rest as unknown as Attestation;
  if (attestation.verdict === 'yes') {
    const p = attestation.poseidon;
    const valid = p !== null && p !== undefined && /^\d+$/u.test(p.R8x) && /^\d+$/u.test(p.R8y) && /^\d+$/u.test(p.S) &&
      crypto.babyJubjub.verify(attestation.babyJubjub, BigInt(attestation.claimHash), { R8x: BigInt(p.R8x), R8y: BigInt(p.R8y), S: BigInt(p.S) });
    if (!valid) throw new FeatError('forged', 'the EdDSA-Poseidon signature of the claim does not verify');
  }
  return { attestation, bytes, sig };
}

export function openAttestReply(crypto: Crypto, bytes: Uint8Array, me: Did, mySeed: Uint8Array): SignedAttestation {
  checkSize('attestation reply', bytes.length, MAX_ATTEST_REPLY_BYTES);
  const result = openEnvelope(crypto, bytes, REPLY_FORMAT, me, mySeed);
  if (!result.ok) {
    if (result.reason === 'malformed' || result.reason === 'undecodable') throw new FeatError('malformed', 'this is not an attestation');
    if (result.reason === 'not-for-me') throw new FeatError('not-for-me', `this attestation is for ${String(result.to)}, not for you`);
    throw new FeatError('forged', 'the attestation does not open with your key');
  }
  const opened = result.opened;
  let inner: { attestation?: unknown; sig?: unknown } | null;
  try {
    inner = decodeCanonical(opened) as typeof inner;
  } catch {
    throw new FeatError('malformed', 'this is not an attestation');
  }
  if (typeof inner !== 'object' || inner === null || !(inner.attestation instanceof Uint8Array) || !(inner.sig instanceof Uint8Array) || inner.sig.length !== 64) {
    throw new FeatError('malformed', 'this is not an attestation');
  }
  const signed = checkAttestation(crypto, inner.attestation, inner.sig);
  if (signed.attestation.subject !== me) throw new FeatError('not-for-me', 'this attestation is about someone else');
  return signed;
}
