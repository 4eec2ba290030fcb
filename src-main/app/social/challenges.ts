// The challenge verbs (DESIGN §6), written once for every face: send a challenge of a feat seen proven,
// answer one (accepting creates the re-performance claim, attested through the ordinary request flow),
// resolve it (the holder with the panel's attestations; the challenger with the holder's decline, or the
// holder's own chain past the deadline), take an outcome in (a lost one refutes the claim), challenge
// back, and list them with their state by the clock. Each step is a `challenge` block in this chain.
import { base64 } from 'multiformats/bases/base64';
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { Did } from '../../core/identity/did.ts';
import type { ChainStore } from '../../core/ports.ts';
import { readClaim } from '../../core/feats/claims.ts';
import { parseProofFile } from '../../core/zk/proof-file.ts';
import {
  ANSWER_TYPE, CHALLENGE_TYPE, challengedClaim, makeAnswer, makeChallenge, OUTCOME_TYPE, readAnswer, readChallenge, type Challenge, type Panel, type Signed,
} from '../../core/social/challenge.ts';
import { SocialError } from '../../core/social/challenge-errors.ts';
import { DefaustError } from '../../core/errors.ts';
import { runChallenge, type ChallengeEvent, type ChallengeState } from '../../core/social/challenge-machine.ts';
import { makeOutcome, refutationOf, verifyOutcome, type OutcomeEvidence, type VerifiedOutcome } from '../../core/social/outcome.ts';
import { encodeEvidence } from '../../core/honor/evidence.ts';
import { takeEvidence, type HonorNetwork } from '../honor/honor.ts';
import type { Session } from '../session.ts';
import type { FeatsNetwork } from '../feats/network.ts';
import { openDoc, send, type DocSource, type Sent } from './documents.ts';

/** A challenge as this identity sees it: its role, the claim, the other party, the deadline and the state now. */
export interface ChallengeView {
  id: string;
  role: 'challenger' | 'holder';
  claim: string;
  title: string;
  featType: string;
  other: Did;
  deadline: number;
  panel: Panel;
  state: ChallengeState;
  /** The re-performance claim (holder, accepted). */
  reperformance: string | null;
  outcome: { id: string; result: string; winner: Did } | null;
  counter: string | null;
  /** The document in the mail that moves it on: the holder's answer (for the challenger), the outcome (for the loser). */
  waiting: { mail: string; kind: 'answer' | 'outcome'; answer: 'accept' | 'decline' | null } | null;
}

const now = (session: Session): number => session.home.clock.now();

/** The challenge recorded under `id` in this chain (every step carries it first, then the step's own document). */
function recorded(session: Session, id: string): Signed<Challenge> {
  const steps = session.profile.social.challengeSteps(id);
  if (steps.length === 0) throw new SocialError('unknown', 'challenge', `no challenge ${id} is recorded here`, id);
  return readChallenge(session.home.crypto, steps[0]!.docs[0]!);
}

/** The re-performance claim this holder made for challenge `id`, if any. */
function reperformanceOf(session: Session, id: string): string | null {
  return session.profile.feats.list().find(({ claim }) => claim.claim.reperforms?.challenge === id)?.claim.cid ?? null;
}

/** The challenge's events as this chain recorded them, then the clock's tick: its state now. */
function stateOf(session: Session, id: string, challenge: Challenge): { state: ChallengeState; outcome: VerifiedOutcome | null } {
  const events: ChallengeEvent[] = [];
  let outcome: VerifiedOutcome | null = null;
  for (const step of session.profile.social.challengeSteps(id)) {
    if (step.step === 'accept' || step.step === 'decline') events.push({ type: step.step, at: readAnswer(session.home.crypto, step.docs[1]!).doc.ts });
    if (step.step === 'won' || step.step === 'lost' || step.step === 'outcome') outcome = verifyOutcome(session.home.crypto, step.docs[1]!);
  }
  if (outcome !== null) {
    const winner = outcome.winner === challenge.holder ? 'holder' : 'challenger';
    return { state: { phase: 'settled', result: outcome.result, winner, at: outcome.ts }, outcome };
  }
  return { state: runChallenge([...events, { type: 'tick', at: now(session) }], challenge.deadline), outcome };
}

/**
 * Challenges the feat a proof file shows (its claim document names the holder): a deadline and a panel; with
 * `counter`, the id of the challenge this identity won and now challenges back on.
 */
export async function sendChallenge(session: Session, input: { proof: string; deadline: number; panel: Panel; counter?: string }, network: FeatsNetwork | null):
Promise<{ id: string; holder: Did; claim: string; block: BlockSummary; sent: Sent }> {
  const file = parseProofFile(input.proof);
  if (file.kind !== 'feat' || file.claimDocument === undefined) throw new SocialError('invalid', 'challenge', 'a challenge names a feat: give a feat proof file that carries its claim document');
  const claimBytes = base64.baseDecode(file.claimDocument);
  const claim = readClaim(session.home.crypto, claimBytes);
  if (claim.cid !== file.claim) throw new SocialError('mismatch', 'challenge', 'the proof file’s claim document is not the claim it proves');
  const signed = makeChallenge(session.home.crypto, session.keys.identity.ed25519Seed, {
    challenger: session.profile.id, claim: claimBytes, deadline: input.deadline, panel: input.panel, ts: now(session), counter: input.counter ?? null,
  });
  if (session.profile.social.challengeSteps(signed.id).length > 0) throw new SocialError('settled', 'challenge', 'this challenge is sent already', signed.id);
  const block = session.profile.social.recordChallenge(signed.id, 'sent', [signed.bytes]);
  const [sent] = await send(session, [signed.doc.holder], signed.bytes, network);
  return { id: signed.id, holder: signed.doc.holder, claim: claim.cid, block, sent: sent! };
}

/** Opens a challenge that came (a file, or mail): checked, addressed to this identity as the holder. */
export function openChallenge(session: Session, source: DocSource): Signed<Challenge> & { done: (note: string) => void } {
  const { bytes, done } = openDoc(session, source, [CHALLENGE_TYPE]);
  const signed = readChallenge(session.home.crypto, bytes);
  if (signed.doc.holder !== session.profile.id) throw new SocialError('mismatch', 'challenge', 'this challenge is about someone else’s feat', signed.id);
  return { ...signed, done };
}

/**
 * The holder answers by the deadline: `accept` (a re-performance claim marked for this challenge is recorded,
 * to be attested by the panel through `attest request`) or `decline`. The answer discloses the claim's attestations.
 */
export async function answerChallenge(session: Session, source: DocSource, answer: 'accept' | 'decline', network: FeatsNetwork | null):
Promise<{ id: string; answer: 'accept' | 'decline'; reperformance: string | null; sent: Sent }> {
  const challenge = openChallenge(session, source);
  const { feats, social } = session.profile;
  const c = challenge.doc;
  if (social.challengeSteps(challenge.id).length > 0) throw new SocialError('settled', 'challenge', 'you answered this challenge already', challenge.id);
  const state = runChallenge([{ type: answer, at: now(session) }], c.deadline);
  if (state.phase === 'settled' && state.result === 'timeout') throw new SocialError('deadline', 'challenge', 'the deadline of this challenge has passed', challenge.id);
  const claim = feats.get(challengedClaim(session.home.crypto, c).cid);
  const attestations = feats.attestations(claim.cid).map(({ bytes, sig }) => ({ bytes, sig }));
  const signed = makeAnswer(session.home.crypto, session.keys.identity.ed25519Seed, { challenge: challenge.id, holder: c.holder, answer, ts: now(session), attestations });
  social.recordChallenge(challenge.id, answer, [challenge.bytes, signed.bytes]);
  const policy = c.panel.kind === 'authority' ? { kind: 'authority' as const } : { kind: 'k-of-n' as const, k: c.panel.k };
  const redo = answer === 'accept'
    ? feats.claim({ title: claim.claim.title, criteria: claim.claim.criteria, featType: claim.claim.featType, evidence: [], policy, reperforms: { claim: claim.cid, challenge: challenge.id } }).claim.cid
    : null;
  challenge.done(`answered: ${answer}`);
  const [sent] = await send(session, [c.challenger], signed.bytes, network);
  return { id: challenge.id, answer, reperformance: redo, sent: sent! };
}

/**
 * What the challenger brings to resolve: the holder's answer (a file or mail), and the holder's chain (for a
 * timeout or a failure; without it, and with a network, the chain is fetched from the holder's replicas).
 */
export interface ResolveInput {
  answer?: DocSource;
  holderChain?: ChainStore;
}

/** The refutation evidence a won challenge left: the yes-witnesses it accuses, and how many of their replicas took it (null: no network asked). */
export interface RefutationLeft {
  accused: Did[];
  spread: number | null;
}

/**
 * Keeps the refutation an outcome establishes (the holder lost) as honor evidence here, and leaves it at the
 * replicas of each yes-witness the answer disclosed, so any observer who asks them finds it (and checks it).
 * Null when the outcome refutes nothing or names no witness (a timeout discloses none).
 */
export async function leaveRefutation(session: Session, outcome: VerifiedOutcome & { bytes: Uint8Array }, network: HonorNetwork | null): Promise<RefutationLeft | null> {
  const refuted = refutationOf(outcome);
  if (refuted === null || refuted.yesWitnesses.length === 0) return null;
  const bytes = encodeEvidence({ kind: 'refutation', claim: refuted.claim, witnesses: refuted.yesWitnesses, outcomeBytes: outcome.bytes });
  const { finding } = takeEvidence(session.home, bytes);
  const spread = network === null ? null : await network.spread(finding.accused, bytes);
  return { accused: finding.accused, spread };
}

/**
 * Settles challenge `id` and signs the outcome as its winner. The holder: the re-performance attested by the
 * panel by the deadline (recorded as `won`). The challenger: the holder's decline; or, past the deadline, the
 * holder's chain showing no answer (timeout) or no win (failed). The outcome goes to the other party.
 */
export async function resolveChallenge(session: Session, id: string, input: ResolveInput, network: FeatsNetwork | null, honor: HonorNetwork | null = null):
Promise<{ outcome: VerifiedOutcome & { bytes: Uint8Array }; sent: Sent; refutation: RefutationLeft | null }> {
  const { crypto } = session.home;
  const challenge = recorded(session, id);
  const c = challenge.doc;
  const me = session.profile.id;
  if (stateOf(session, id, c).outcome !== null) throw new SocialError('settled', 'challenge', 'this challenge is settled already', id);
  const seed = session.keys.identity.ed25519Seed;
  const base = { challenge: challenge.bytes, ts: now(session) };
  let made: VerifiedOutcome & { bytes: Uint8Array };
  if (c.holder === me) {
    const redo = reperformanceOf(session, id);
    const answer = session.profile.social.challengeSteps(id).find((s) => s.step === 'accept');
    if (redo === null || answer === undefined) throw new SocialError('invalid', 'challenge', 'you did not accept this challenge, so there is nothing to resolve', id);
    if (now(session) > c.deadline) throw new SocialError('deadline', 'challenge', 'the deadline has passed: a re-performance counts only when resolved by then', id);
    const attestations = session.profile.feats.attestations(redo).map(({ bytes, sig }) => ({ bytes, sig }));
    made = makeOutcome(crypto, seed, { ...base, result: 're-performed', winner: me, evidence: { answer: answer.docs[1]!, claim: session.profile.feats.get(redo).bytes, attestations } });
    session.profile.social.recordChallenge(id, 'won', [challenge.bytes, made.bytes]);
  } else {
    const opened = input.answer === undefined ? null : openDoc(session, input.answer, [ANSWER_TYPE]);
    const answer = opened === null ? null : readAnswer(crypto, opened.bytes);
    if (answer !== null && answer.doc.challenge !== id) throw new SocialError('mismatch', 'answer', 'this answer is about another challenge', id);
    if (answer?.doc.answer !== 'decline' && now(session) <= c.deadline) throw new SocialError('deadline', 'challenge', 'the deadline has not passed yet', id);
    let holderChain = input.holderChain;
    if (holderChain === undefined && answer?.doc.answer !== 'decline' && network !== null) {
      // A timeout or a failure is shown by the holder's own chain: fetched from its replicas into this home.
      const [problem] = await network.fetchChains([c.holder]);
      if (problem !== null && problem !== undefined) throw new SocialError('unproven', 'challenge', `the holder's chain could not be fetched from its replicas: ${problem}`, id);
      holderChain = session.home.store;
    }
    const chain: OutcomeEvidence = holderChain === undefined ? {} : { headers: [...holderChain.headers(c.holder)].map((h) => h.bytes) };
    const evidence: OutcomeEvidence = answer === null ? chain : answer.doc.answer === 'decline' ? { answer: answer.bytes } : { answer: answer.bytes, ...chain };
    const result = answer === null ? 'timeout' : answer.doc.answer === 'decline' ? 'declined' : 'failed';
    made = makeOutcome(crypto, seed, { ...base, result, winner: me, evidence });
    session.profile.social.recordChallenge(id, 'outcome', [challenge.bytes, made.bytes]);
    opened?.done(`resolved: ${result}`);
  }
  const [sent] = await send(session, [made.loser], made.bytes, network);
  const refutation = await leaveRefutation(session, made, honor);
  return { outcome: made, sent: sent!, refutation };
}

/** What an outcome says, for a face to show: `refutes` is the claim it refutes (the holder lost), else null. */
export function outcomeSummary(outcome: VerifiedOutcome): { id: string; challenge: string; result: VerifiedOutcome['result']; winner: Did; refutes: string | null } {
  return { id: outcome.id, challenge: outcome.challengeId, result: outcome.result, winner: outcome.winner, refutes: outcome.winner === outcome.challenge.holder ? null : outcome.claim.cid };
}

/** Takes an outcome in (a file or mail): verified; a challenge this holder lost refutes the claim (`lost`, its CID public). */
export function importOutcome(session: Session, source: DocSource): VerifiedOutcome {
  const { bytes, done } = openDoc(session, source, [OUTCOME_TYPE]);
  const outcome = verifyOutcome(session.home.crypto, bytes);
  const me = session.profile.id;
  if (outcome.challenge.holder !== me && outcome.challenge.challenger !== me) throw new SocialError('mismatch', 'outcome', 'this outcome is about a challenge between others', outcome.challengeId);
  const steps = session.profile.social.challengeSteps(outcome.challengeId);
  if (steps.some((s) => s.step === 'won' || s.step === 'lost' || s.step === 'outcome')) throw new SocialError('settled', 'outcome', 'this challenge’s outcome is recorded already', outcome.challengeId);
  const lost = outcome.loser === me && me === outcome.challenge.holder;
  session.profile.social.recordChallenge(outcome.challengeId, lost ? 'lost' : 'outcome', [outcome.challengeBytes, bytes], lost ? outcome.claim.cid : undefined);
  done(`outcome: ${outcome.result}`);
  return outcome;
}

/** The answers and outcomes waiting in this identity's mail, by the challenge they move on; what does not open or verify is left out. */
function waitingDocs(session: Session): Map<string, NonNullable<ChallengeView['waiting']>> {
  const { crypto } = session.home;
  const found = new Map<string, NonNullable<ChallengeView['waiting']>>();
  for (const mail of session.home.receivedMail().list(session.profile.id, { state: 'waiting' })) {
    if (mail.format !== ANSWER_TYPE && mail.format !== OUTCOME_TYPE) continue;
    try {
      const { bytes } = openDoc(session, { mail: mail.id }, [mail.format]);
      if (mail.format === ANSWER_TYPE) {
        const answer = readAnswer(crypto, bytes).doc;
        found.set(answer.challenge, { mail: mail.id, kind: 'answer', answer: answer.answer });
      } else {
        found.set(verifyOutcome(crypto, bytes).challengeId, { mail: mail.id, kind: 'outcome', answer: null });
      }
    } catch (error) {
      if (!(error instanceof DefaustError)) throw error;
    }
  }
  return found;
}

/** Every challenge this chain records, with its state now; received ones not answered yet are in the mail. */
export function listChallenges(session: Session): { challenges: ChallengeView[]; incoming: { mail: string; id: string; from: Did; claim: string; title: string; deadline: number }[] } {
  const { crypto } = session.home;
  const me = session.profile.id;
  const mail = waitingDocs(session);
  const challenges = session.profile.social.challengeIds().map((id): ChallengeView => {
    const c = recorded(session, id).doc;
    const claim = challengedClaim(crypto, c);
    const { state, outcome } = stateOf(session, id, c);
    const role = c.holder === me ? 'holder' : 'challenger';
    return {
      id, role, claim: claim.cid, title: claim.claim.title, featType: claim.claim.featType, other: role === 'holder' ? c.challenger : c.holder, deadline: c.deadline, panel: c.panel, state,
      reperformance: role === 'holder' ? reperformanceOf(session, id) : null, outcome: outcome === null ? null : { id: outcome.id, result: outcome.result, winner: outcome.winner }, counter: c.counter,
      waiting: outcome === null ? (mail.get(id) ?? null) : null,
    };
  });
  const answered = new Set(challenges.map((c) => c.id));
  const incoming = session.home.receivedMail().list(me, { format: CHALLENGE_TYPE }).flatMap((mail) => {
    try {
      const c = openChallenge(session, { mail: mail.id });
      if (answered.has(c.id)) return [];
      const claim = challengedClaim(crypto, c.doc);
      return [{ mail: mail.id, id: c.id, from: c.doc.challenger, claim: claim.cid, title: claim.claim.title, deadline: c.doc.deadline }];
    } catch (error) {
      if (error instanceof SocialError) return [];
      throw error;
    }
  });
  return { challenges, incoming };
}

/** The outcome of challenge `id` as recorded here: what challenging back starts from. */
function settledOutcome(session: Session, id: string): VerifiedOutcome {
  const c = recorded(session, id).doc;
  const { outcome } = stateOf(session, id, c);
  if (outcome === null) throw new SocialError('invalid', 'challenge', 'a challenge is challenged back once it is settled', id);
  return outcome;
}

/**
 * Challenges back once challenge `id` is settled (the winner, or the holder who lost, may): a counter-challenge
 * on a feat of the same kind that the other party proved (`proof`), marked as the counter of this outcome.
 * Without such a feat, the way back is a duel (`duel propose`).
 */
export async function challengeBack(session: Session, id: string, input: { proof: string; deadline: number; panel: Panel }, network: FeatsNetwork | null): ReturnType<typeof sendChallenge> {
  const outcome = settledOutcome(session, id);
  const other = outcome.winner === session.profile.id ? outcome.loser : outcome.winner;
  const file = parseProofFile(input.proof);
  const claim = file.kind === 'feat' && file.claimDocument !== undefined ? readClaim(session.home.crypto, base64.baseDecode(file.claimDocument)) : null;
  if (claim === null || claim.claim.holder !== other || claim.claim.featType !== outcome.claim.claim.featType) {
    throw new SocialError('invalid', 'challenge', `a counter-challenge is on a ${outcome.claim.claim.featType} feat of ${other}; when there is none, propose a duel`, id);
  }
  return sendChallenge(session, { ...input, counter: outcome.id }, network);
}
