// Challenge outcomes (DESIGN §6): the winner signs `{challenge, result, winner, ts, evidence}` and anyone
// verifies it offline from the evidence alone. declined: the holder's signed decline. re-performed: the
// holder's accept, the re-performance claim (marked as re-performing the challenged claim for this
// challenge) and k distinct panel yes-attestations dated by the deadline. timeout / failed: the holder's own
// public headers from genesis to a block dated after the deadline (or to a head record the holder signed
// after it) in which no `challenge` block for this challenge — an answer (timeout), a win (failed) — is
// dated by the deadline; the challenger's word is not needed. A lost challenge refutes the claim:
// `refutationOf` names it and the yes-witnesses the holder's answer disclosed (none for a timeout).
import { decodeHeader } from '../chain/header.ts';
import { ChainVerificationError } from '../chain/errors.ts';
import { TIMESTAMP_TOLERANCE_MS, verifyChain } from '../chain/verify.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { checkAttestation, FeatError, readClaim, type ClaimRecord } from '../feats/claims.ts';
import { isDid, type Did } from '../identity/did.ts';
import { headKey, validateHeadRecord } from '../net/head-record.ts';
import { challengedClaim, disclosedAttestations, openDocument, OUTCOME_TYPE, panelNeeds, readAnswer, readChallenge, signDocument, type Answer, type Challenge, type Signed } from './challenge.ts';
import { SocialError } from './challenge-errors.ts';
import { WINNER, type ChallengeResult } from './challenge-machine.ts';

/** The meta of a `challenge` block: which challenge, which step (public: it names nobody). */
export type ChallengeStep = 'sent' | 'accept' | 'decline' | 'won' | 'lost' | 'outcome';

export interface OutcomeEvidence {
  answer?: Uint8Array;
  claim?: Uint8Array;
  attestations?: { bytes: Uint8Array; sig: Uint8Array }[];
  headers?: Uint8Array[];
  headRecord?: Uint8Array;
}

export interface Outcome {
  /** The signed challenge, as the challenger sent it. */
  challenge: Uint8Array;
  result: ChallengeResult;
  winner: Did;
  ts: number;
  evidence: OutcomeEvidence;
}

/** An outcome whose signature and evidence check, with what it decides. */
export interface VerifiedOutcome {
  id: string;
  challengeId: string;
  challenge: Challenge;
  /** The signed challenge, as it travels. */
  challengeBytes: Uint8Array;
  result: ChallengeResult;
  winner: Did;
  loser: Did;
  /** The challenged claim. */
  claim: ClaimRecord;
  /** The yes-witnesses of the challenged claim that the holder's answer disclosed. */
  yesWitnesses: Did[];
  ts: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const isBytesList = (v: unknown): v is Uint8Array[] => Array.isArray(v) && v.length <= 100_000 && v.every((b) => b instanceof Uint8Array);

function readEvidence(v: unknown): OutcomeEvidence | null {
  if (!isRecord(v)) return null;
  const atts = v.attestations;
  const ok = (v.answer === undefined || v.answer instanceof Uint8Array) && (v.claim === undefined || v.claim instanceof Uint8Array) &&
    (atts === undefined || (Array.isArray(atts) && atts.length <= 64 && atts.every((a) => isRecord(a) && a.bytes instanceof Uint8Array && a.sig instanceof Uint8Array))) &&
    (v.headers === undefined || isBytesList(v.headers)) && (v.headRecord === undefined || v.headRecord instanceof Uint8Array);
  return ok ? (v as OutcomeEvidence) : null;
}

const unproven = (id: string, why: string): never => {
  throw new SocialError('unproven', 'outcome', why, id);
};

/**
 * Checks that the holder's headers show no `challenge` block for `challengeId` with a step in `steps` dated by
 * the deadline, and that the chain they form reaches past the deadline (its last block, or a head record the
 * holder signed on it, dated after the deadline plus the clock tolerance).
 */
export function checkSilence(crypto: Crypto, challenge: Challenge, challengeId: string, evidence: OutcomeEvidence, steps: readonly ChallengeStep[]): void {
  const headers = evidence.headers ?? [];
  if (headers.length === 0) unproven(challengeId, 'the outcome carries none of the holder’s headers');
  let head;
  try {
    head = verifyChain(crypto, challenge.holder, headers);
  } catch (error) {
    if (error instanceof ChainVerificationError) unproven(challengeId, `the holder’s headers do not verify: ${error.message}`);
    throw error;
  }
  const after = challenge.deadline + TIMESTAMP_TOLERANCE_MS;
  const decoded = headers.map((bytes) => decodeHeader(crypto, bytes).header);
  let reaches = decoded.at(-1)!.ts > after;
  if (!reaches && evidence.headRecord !== undefined) {
    try {
      const record = validateHeadRecord(crypto, headKey(challenge.holder), evidence.headRecord);
      reaches = record.ts > after && record.seq === head.length - 1 && record.head.equals(head.head!);
    } catch (error) {
      if (!(error instanceof DefaustError)) throw error;
    }
  }
  if (!reaches) unproven(challengeId, 'the holder’s chain given does not reach past the deadline');
  const answered = decoded.find((h) => h.kind === 'challenge' && h.meta.challenge === challengeId && steps.includes(h.meta.step as ChallengeStep) && h.ts <= challenge.deadline);
  if (answered !== undefined) unproven(challengeId, `the holder ${answered.meta.step === 'won' ? 'won' : 'answered'} in time (block ${answered.seq})`);
}

/** Checks the re-performance: the marked claim, and k distinct panel yes-attestations on it dated by the deadline. */
function checkReperformance(crypto: Crypto, challenge: Challenge, challengeId: string, claim: ClaimRecord, evidence: OutcomeEvidence): void {
  let redo: ClaimRecord;
  try {
    redo = readClaim(crypto, evidence.claim ?? new Uint8Array());
  } catch (error) {
    if (error instanceof FeatError) unproven(challengeId, 'the outcome carries no re-performance claim');
    throw error;
  }
  const r = redo!.claim;
  if (r.reperforms?.challenge !== challengeId || r.reperforms.claim !== claim.cid || r.holder !== challenge.holder || r.featType !== claim.claim.featType) {
    unproven(challengeId, 'the re-performance claim is not marked as re-performing this challenge’s claim');
  }
  const { members, need } = panelNeeds(challenge.panel);
  const yes = new Set<Did>();
  for (const { bytes, sig } of evidence.attestations ?? []) {
    let a;
    try {
      a = checkAttestation(crypto, bytes, sig).attestation;
    } catch (error) {
      if (error instanceof FeatError) unproven(challengeId, `an attestation of the re-performance does not check: ${error.message}`);
      throw error;
    }
    if (a!.claim === redo!.cid && a!.verdict === 'yes' && a!.ts <= challenge.deadline && members.includes(a!.witness)) yes.add(a!.witness);
  }
  if (yes.size < need) unproven(challengeId, `${yes.size} of the panel attested the re-performance by the deadline; ${need} needed`);
}

/** Verifies an outcome offline: the challenge, the winner's signature, and the evidence of its result. */
export function verifyOutcome(crypto: Crypto, bytes: Uint8Array): VerifiedOutcome {
  const signed = openDocument<Outcome>(crypto, bytes, OUTCOME_TYPE, 'outcome', (v) => {
    const evidence = readEvidence(v.evidence);
    const results: readonly unknown[] = ['declined', 'timeout', 'failed', 're-performed'];
    const ok = v.challenge instanceof Uint8Array && results.includes(v.result) && isDid(v.winner) && Number.isSafeInteger(v.ts) && evidence !== null && Object.keys(v).length === 5;
    return ok ? { doc: { ...(v as unknown as Outcome), evidence: evidence! }, signer: v.winner as Did } : null;
  });
  const o = signed.doc;
  const challenge = readChallenge(crypto, o.challenge);
  const c = challenge.doc;
  const claim = challengedClaim(crypto, c);
  const winner = WINNER[o.result] === 'holder' ? c.holder : c.challenger;
  if (o.winner !== winner) throw new SocialError('mismatch', 'outcome', `a ${o.result} outcome is won by the ${WINNER[o.result]}`, challenge.id);
  let answer: Signed<Answer> | null = null;
  if (o.evidence.answer !== undefined) {
    answer = readAnswer(crypto, o.evidence.answer);
    if (answer.doc.challenge !== challenge.id || answer.doc.holder !== c.holder) throw new SocialError('mismatch', 'outcome', 'the answer given is about another challenge', challenge.id);
  }
  const expected: Answer['answer'] | null = o.result === 'declined' ? 'decline' : o.result === 'timeout' ? null : 'accept';
  if (expected !== null && answer?.doc.answer !== expected) unproven(challenge.id, `a ${o.result} outcome carries the holder’s signed ${expected}`);
  if (expected === 'accept' && answer!.doc.ts > c.deadline) unproven(challenge.id, 'the holder accepted after the deadline');
  if (o.result === 'timeout') checkSilence(crypto, c, challenge.id, o.evidence, ['accept', 'decline']);
  if (o.result === 'failed') checkSilence(crypto, c, challenge.id, o.evidence, ['won']);
  if (o.result === 're-performed') checkReperformance(crypto, c, challenge.id, claim, o.evidence);
  const yesWitnesses = answer === null ? [] : [...new Set(disclosedAttestations(crypto, answer, claim).filter((a) => a.attestation.verdict === 'yes').map((a) => a.attestation.witness))];
  return { id: signed.id, challengeId: challenge.id, challenge: c, challengeBytes: o.challenge, result: o.result, winner, loser: winner === c.holder ? c.challenger : c.holder, claim, yesWitnesses, ts: o.ts };
}

/** The winner's signed outcome; verified before it is handed out, so a winner cannot sign what does not hold. */
export function makeOutcome(crypto: Crypto, seed: Uint8Array, outcome: Outcome): VerifiedOutcome & { bytes: Uint8Array } {
  const bytes = signDocument(crypto, seed, OUTCOME_TYPE, outcome);
  return { ...verifyOutcome(crypto, bytes), bytes };
}

/**
 * What a verified outcome refutes, for honor (core/honor): the challenged claim and its yes-witnesses, when the
 * holder lost; null when the holder won.
 */
export function refutationOf(outcome: VerifiedOutcome): { claim: string; yesWitnesses: Did[] } | null {
  return outcome.winner === outcome.challenge.holder ? null : { claim: outcome.claim.cid, yesWitnesses: outcome.yesWitnesses };
}
