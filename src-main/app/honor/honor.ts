// The honor verbs (DESIGN §6), written once for every face: report a witness (a signed review, kept here and
// spread to the witness's replicas when a network is given, else handed over as a file), take evidence in (a
// file, or what the network serves: each piece re-checked before it is kept), keep the proof of a fork this
// home detected, and compute a did's honor in this observer's view (its own trust list decides whose reviews
// count). A refutation is checked as the outcome of a lost challenge (core/social/outcome.ts).
import { parseCid } from '../../core/chain/codec.ts';
import type { EquivocationError } from '../../core/chain/equivocation.ts';
import { DefaustError, InvalidInputError } from '../../core/errors.ts';
import { checkEvidence, decodeEvidence, encodeEvidence, type Evidence, type EvidenceCheckers, type Finding } from '../../core/honor/evidence.ts';
import { EvidenceError } from '../../core/honor/errors.ts';
import { honorOf, type Honor } from '../../core/honor/honor.ts';
import { readReview, reviewBytes, signReview, type Review } from '../../core/honor/review.ts';
import { assertDid, type Did } from '../../core/identity/did.ts';
import type { Home } from '../home.ts';
import type { Session } from '../session.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { refutationOf, verifyOutcome } from '../../core/social/outcome.ts';

/** The checkers evidence kinds need beyond the core's own: a refutation is a challenge outcome the holder lost. */
export function evidenceCheckers(crypto: Crypto): EvidenceCheckers {
  return {
    refutation: ({ outcomeBytes }) => {
      const outcome = verifyOutcome(crypto, outcomeBytes);
      const refuted = refutationOf(outcome);
      if (refuted === null) throw new EvidenceError('not-refuted', `the holder won challenge ${outcome.challengeId}: its outcome refutes nothing`, 'refutation');
      return { claim: refuted.claim, witnesses: refuted.yesWitnesses, ts: outcome.ts };
    },
  };
}

/** The peer network as the honor verbs use it: evidence left at the accused's replicas, and fetched from them. */
export interface HonorNetwork {
  /** Leaves evidence bytes at the replicas of each accused did: how many replicas took it. */
  spread(accused: readonly Did[], bytes: Uint8Array): Promise<number>;
  /** The evidence the replicas of `did` hold about it (unchecked: the caller checks every piece). */
  gather(did: Did): Promise<Uint8Array[]>;
}

/** Checks evidence bytes fully and keeps them; `added` false when they were held already. */
export function takeEvidence(home: Home, bytes: Uint8Array): { finding: Finding; added: boolean } {
  const finding = checkEvidence(home.crypto, decodeEvidence(bytes), evidenceCheckers(home.crypto));
  return { finding, added: home.evidence().add(finding, bytes, home.clock.now()) };
}

/**
 * A node's side: takes evidence only about an identity whose chain it holds (it is one of its replicas), so
 * what anyone can leave here stays bounded by what this node hosts.
 */
export function takeEvidenceAsReplica(home: Home, bytes: Uint8Array): boolean {
  const finding = checkEvidence(home.crypto, decodeEvidence(bytes), evidenceCheckers(home.crypto));
  const store = home.openStore();
  if (!finding.accused.some((did) => store.head(did) !== undefined)) throw new EvidenceError('not-hosted', 'this node holds no chain of anyone this evidence accuses', finding.kind);
  return home.evidence().add(finding, bytes, home.clock.now());
}

/** Keeps the proof a detected fork carries (detection never throws it away); the bytes are what a replica is sent. */
export function keepEquivocation(home: Home, error: EquivocationError): { finding: Finding; bytes: Uint8Array; added: boolean } {
  const bytes = encodeEvidence({ kind: 'equivocation', proof: error.proof });
  return { ...takeEvidence(home, bytes), bytes };
}

export interface ReviewInput {
  /** The claim (its CID) whose sign-off is reported. */
  claim: string;
  witness: Did;
  reason: string;
  /** The time a draft showed (so the review signed is the one shown); now when absent. */
  ts?: number;
}

/** How old a shown draft's time may be when it is signed. */
const DRAFT_TTL_MS = 60 * 60 * 1000;

/** The review this session would sign for `input`, exactly (what the confirmation shows before anything is signed). */
export function draftReview(session: Session, input: ReviewInput): Review {
  assertDid(input.witness);
  try {
    parseCid(input.claim);
  } catch {
    throw new InvalidInputError(`${input.claim} is not a claim's CID`);
  }
  const now = session.home.clock.now();
  const ts = input.ts ?? now;
  if (ts > now || ts < now - DRAFT_TTL_MS) throw new InvalidInputError('this review was drafted more than an hour ago (or in the future): draft it again');
  return readReview(reviewBytes({ reviewer: session.profile.id, witness: input.witness, claim: input.claim, reason: input.reason, ts }));
}

/**
 * Signs a review of `input.witness` ("Report this witness"), keeps it here, and leaves it at the witness's
 * replicas through `network` (`spread`: how many took it; null when no network was asked).
 */
export async function reportWitness(session: Session, input: ReviewInput, network: HonorNetwork | null): Promise<{ review: Review; bytes: Uint8Array; spread: number | null }> {
  const draft = draftReview(session, input);
  const signed = signReview(session.home.crypto, session.keys.identity.ed25519Seed, draft);
  const evidence: Evidence = { kind: 'review', review: signed.bytes, sig: signed.sig };
  const bytes = encodeEvidence(evidence);
  const { finding } = takeEvidence(session.home, bytes);
  const spread = network === null ? null : await network.spread(finding.accused, bytes);
  return { review: signed.review, bytes, spread };
}

/** Whose reviews count for this observer: the dids it trusts (its list and its authorities' lists), and itself. */
function reviewersTrusted(session: Session): (did: Did) => boolean {
  const trusted = session.profile.feats.trustedFor(undefined, false);
  return (did) => did === session.profile.id || trusted.has(did);
}

/** What a gather from the network brought: pieces taken (new here), and pieces refused, with their codes. */
export interface Gathered {
  taken: number;
  refused: string[];
}

/**
 * The honor of `did` in this observer's view now, from the evidence held here — with `network`, after taking in
 * what `did`'s replicas hold (each piece checked; one that fails is counted in `gathered.refused`, never kept).
 */
export async function honorView(session: Session, did: Did, network: HonorNetwork | null = null): Promise<Honor & { gathered: Gathered | null }> {
  assertDid(did);
  const { home } = session;
  let gathered: Gathered | null = null;
  if (network !== null) {
    gathered = { taken: 0, refused: [] };
    for (const bytes of await network.gather(did)) {
      try {
        if (takeEvidence(home, bytes).added) gathered.taken++;
      } catch (error) {
        if (!(error instanceof DefaustError)) throw error;
        gathered.refused.push(error.code);
      }
    }
  }
  const findings = home.evidence().about(did).map((e) => e.finding);
  return { ...honorOf(did, findings, reviewersTrusted(session), home.clock.now(), home.honor), gathered };
}
