// Duels (DESIGN §6): a challenge not tied to an earlier feat. Both parties sign the same duel document
// `{a, b, title, featType, criteria, time, judgeUntil, panel, ts}` (a proposes, b accepts); both perform; each
// judge on the panel signs a verdict — a, b or draw — that, for a winner, carries the judge's attestation of
// the won-duel claim. That claim is derived from the duel and its winner alone (`wonDuelClaim`), so every
// judge signs the same claim hash, and a won duel is proven in zero knowledge like any feat. The outcome,
// signed by the winner (by either party for a draw), carries the duel and the verdicts; the majority rule
// is the state machine's (challenge-machine.ts).
import { cidOf, decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { attest, checkAttestation, FeatError, makeClaim, type ClaimRecord, type SignedAttestation } from '../feats/claims.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { DUEL_OUTCOME_TYPE, DUEL_TYPE, openDocument, panelProblem, signDocument, VERDICT_TYPE, type Signed } from './challenge.ts';
import { SocialError } from './challenge-errors.ts';
import { stepDuel, type DuelState, type DuelVerdict } from './challenge-machine.ts';

export interface Duel {
  a: Did;
  b: Did;
  title: string;
  featType: string;
  criteria: string;
  /** When both perform; agreement must come by then, verdicts from then on. */
  time: number;
  /** Until when the judges may judge. */
  judgeUntil: number;
  panel: { kind: 'k-of-n'; k: number; witnesses: Did[] };
  ts: number;
}

/** A duel document with a's signature, and b's once b agreed. */
export interface SignedDuel {
  id: string;
  duel: Duel;
  agreed: boolean;
  bytes: Uint8Array;
}

export interface Verdict {
  duel: string;
  judge: Did;
  winner: DuelVerdict;
  ts: number;
  /** For a winner: the judge's attestation of the won-duel claim (`{bytes, sig}`); null for a draw. */
  attestation: { bytes: Uint8Array; sig: Uint8Array } | null;
}

export interface DuelOutcome {
  duel: Uint8Array;
  verdicts: Uint8Array[];
  winner: DuelVerdict;
  by: Did;
  ts: number;
}

export interface VerifiedDuelOutcome {
  id: string;
  duel: SignedDuel;
  winner: DuelVerdict;
  /** The winner's did (null for a draw), the won-duel claim and the attestations of the judges who gave the win. */
  winnerDid: Did | null;
  claim: ClaimRecord | null;
  attestations: SignedAttestation[];
}


const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const isUint = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function readDuelFields(v: Record<string, unknown>): Duel | null {
  const p = v.panel as Record<string, unknown> | undefined;
  const ok = isDid(v.a) && isDid(v.b) && typeof v.title === 'string' && typeof v.featType === 'string' && typeof v.criteria === 'string' && isUint(v.time) &&
    isUint(v.judgeUntil) && isUint(v.ts) && isRecord(p) && p.kind === 'k-of-n' && Number.isInteger(p.k) && Array.isArray(p.witnesses) && p.witnesses.every(isDid) &&
    Object.keys(p).length === 3 && Object.keys(v).length === 9;
  return ok ? (v as unknown as Duel) : null;
}

/** Decodes a duel (proposed or agreed) and checks both parties' signatures and its rules. */
export function readDuel(crypto: Crypto, bytes: Uint8Array): SignedDuel {
  let outer: unknown;
  let inner: unknown;
  try {
    outer = decodeCanonical(bytes);
    inner = isRecord(outer) && outer.doc instanceof Uint8Array ? decodeCanonical(outer.doc) : null;
  } catch {
    throw new SocialError('malformed', 'duel', 'this is not a duel: it does not decode');
  }
  if (!isRecord(outer) || !(outer.doc instanceof Uint8Array) || !isRecord(inner) || inner.type !== DUEL_TYPE || inner.v !== 1 || !(outer.a instanceof Uint8Array) ||
    !(outer.b === null || outer.b instanceof Uint8Array)) throw new SocialError('malformed', 'duel', 'this is not a duel');
  const { type: _t, v: _v, ...fields } = inner;
  const duel = readDuelFields(fields);
  if (duel === null) throw new SocialError('malformed', 'duel', 'this duel is malformed');
  const id = cidOf(crypto.sha256, outer.doc).toString();
  if (!crypto.ed25519.verify(publicKeyFromDid(duel.a), outer.doc, outer.a)) throw new SocialError('forged', 'duel', `the duel's signature by ${duel.a} does not verify`, id);
  if (outer.b !== null && !crypto.ed25519.verify(publicKeyFromDid(duel.b), outer.doc, outer.b)) throw new SocialError('forged', 'duel', `the duel's signature by ${duel.b} does not verify`, id);
  if (duel.a === duel.b) throw new SocialError('invalid', 'duel', 'a duel is between two people', id);
  const problem = panelProblem(duel.panel, [duel.a, duel.b]);
  if (problem !== null) throw new SocialError('invalid', 'duel', problem, id);
  if (!(duel.ts <= duel.time && duel.time < duel.judgeUntil)) throw new SocialError('deadline', 'duel', 'a duel is proposed before its time, and judged after it', id);
  return { id, duel, agreed: outer.b !== null, bytes };
}

/** a's proposal: the duel document with a's signature (its claim checks run on the won-duel claim's rules). */
export function proposeDuel(crypto: Crypto, seed: Uint8Array, duel: Duel): SignedDuel {
  wonDuelClaim(crypto, duel, 'x', duel.a);
  const doc = encode({ type: DUEL_TYPE, v: 1, ...duel });
  return readDuel(crypto, encode({ doc, a: crypto.ed25519.sign(seed, doc), b: null }));
}

/** b's agreement: b signs the same document. */
export function agreeDuel(crypto: Crypto, seed: Uint8Array, proposal: SignedDuel): SignedDuel {
  const outer = decodeCanonical(proposal.bytes) as { doc: Uint8Array; a: Uint8Array };
  return readDuel(crypto, encode({ doc: outer.doc, a: outer.a, b: crypto.ed25519.sign(seed, outer.doc) }));
}

/**
 * The claim a duel's winner holds: derived from the duel alone, so every judge attests the same claim hash;
 * its policy is the panel's k. `id` is the duel's id.
 */
export function wonDuelClaim(crypto: Crypto, duel: Duel, id: string, winner: Did): ClaimRecord {
  try {
    return makeClaim(crypto, { holder: winner, title: duel.title, criteria: duel.criteria, featType: duel.featType, ts: duel.time, evidence: [], policy: { kind: 'k-of-n', k: duel.panel.k }, duel: id });
  } catch (error) {
    if (error instanceof FeatError) throw new SocialError('invalid', 'duel', error.message);
    throw error;
  }
}

const sideDid = (duel: Duel, side: 'a' | 'b'): Did => (side === 'a' ? duel.a : duel.b);

/** A judge's signed verdict; for a winner, with the judge's attestation of the won-duel claim. */
export function judgeDuel(crypto: Crypto, judge: { did: Did; seed: Uint8Array; babyJubjubSecret: Uint8Array }, signed: SignedDuel, winner: DuelVerdict, ts: number): Signed<Verdict> {
  if (!signed.agreed) throw new SocialError('invalid', 'duel', 'the duel is not agreed by both yet', signed.id);
  if (!signed.duel.panel.witnesses.includes(judge.did)) throw new SocialError('invalid', 'duel', 'you are not on this duel’s panel', signed.id);
  if (ts < signed.duel.time || ts > signed.duel.judgeUntil) throw new SocialError('deadline', 'duel', 'a duel is judged between its time and its judging deadline', signed.id);
  const attestation = winner === 'draw' ? null : attest(crypto, judge.seed, judge.did, judge.babyJubjubSecret, wonDuelClaim(crypto, signed.duel, signed.id, sideDid(signed.duel, winner)), 'yes', ts);
  return readVerdict(crypto, signDocument(crypto, judge.seed, VERDICT_TYPE, { duel: signed.id, judge: judge.did, winner, ts, attestation }));
}

export function readVerdict(crypto: Crypto, bytes: Uint8Array): Signed<Verdict> {
  return openDocument<Verdict>(crypto, bytes, VERDICT_TYPE, 'verdict', (v) => {
    const a = v.attestation as Record<string, unknown> | null;
    const ok = typeof v.duel === 'string' && isDid(v.judge) && (v.winner === 'a' || v.winner === 'b' || v.winner === 'draw') && isUint(v.ts) &&
      (a === null || (isRecord(a) && a.bytes instanceof Uint8Array && a.sig instanceof Uint8Array)) && (a === null) === (v.winner === 'draw') && Object.keys(v).length === 5;
    return ok ? { doc: v as unknown as Verdict, signer: v.judge as Did } : null;
  });
}

/**
 * Settles a duel from verdicts: each checked (its judge on the panel, once, in the judging window, its
 * attestation of the right won-duel claim), run through the duel machine from `agreed`; the majority decides.
 */
export function settleDuel(crypto: Crypto, signed: SignedDuel, verdicts: readonly Uint8Array[]): { winner: DuelVerdict; claim: ClaimRecord | null; attestations: SignedAttestation[] } {
  if (!signed.agreed) throw new SocialError('invalid', 'duel', 'the duel is not agreed by both', signed.id);
  const d = signed.duel;
  const rules = { time: d.time, judges: d.panel.witnesses, k: d.panel.k, judgeUntil: d.judgeUntil };
  const claims = { a: wonDuelClaim(crypto, d, signed.id, d.a), b: wonDuelClaim(crypto, d, signed.id, d.b) };
  const checked = verdicts.map((bytes) => readVerdict(crypto, bytes).doc).sort((x, y) => x.ts - y.ts);
  const attestations = new Map<Did, SignedAttestation>();
  let state: DuelState = { phase: 'agreed', at: d.time };
  for (const v of checked) {
    if (v.duel !== signed.id) throw new SocialError('mismatch', 'verdict', 'a verdict is about another duel', signed.id);
    if (v.winner !== 'draw') {
      const att = checkVerdictAttestation(crypto, v, claims[v.winner]);
      if (!attestations.has(v.judge)) attestations.set(v.judge, att);
    }
    state = stepDuel(state, { type: 'verdict', judge: v.judge, verdict: v.winner, at: v.ts }, rules);
  }
  if (state.phase !== 'settled' || state.verdict === 'void') throw new SocialError('unproven', 'duel', `the verdicts give no majority of at least ${d.panel.k} of the ${d.panel.witnesses.length} judges`, signed.id);
  const winner = state.verdict;
  if (winner === 'draw') return { winner, claim: null, attestations: [] };
  const claim = claims[winner];
  const majority = checked.filter((v) => v.winner === winner).map((v) => v.judge);
  return { winner, claim, attestations: [...new Set(majority)].map((j) => attestations.get(j)!) };
}

function checkVerdictAttestation(crypto: Crypto, v: Verdict, claim: ClaimRecord): SignedAttestation {
  let att: SignedAttestation;
  try {
    att = checkAttestation(crypto, v.attestation!.bytes, v.attestation!.sig);
  } catch (error) {
    if (error instanceof FeatError) throw new SocialError('forged', 'verdict', `a verdict's attestation does not check: ${error.message}`, v.duel);
    throw error;
  }
  if (att.attestation.claim !== claim.cid || att.attestation.witness !== v.judge || att.attestation.verdict !== 'yes') {
    throw new SocialError('mismatch', 'verdict', 'a verdict attests another claim than the won duel', v.duel);
  }
  return att;
}

/** The outcome, signed by the winner (by either party for a draw), verified before it is handed out. */
export function makeDuelOutcome(crypto: Crypto, seed: Uint8Array, by: Did, signed: SignedDuel, verdicts: readonly Uint8Array[], ts: number): VerifiedDuelOutcome & { bytes: Uint8Array } {
  const { winner } = settleDuel(crypto, signed, verdicts);
  const bytes = signDocument(crypto, seed, DUEL_OUTCOME_TYPE, { duel: signed.bytes, verdicts: [...verdicts], winner, by, ts });
  return { ...verifyDuelOutcome(crypto, bytes), bytes };
}

/** Verifies a duel outcome offline: the duel, the verdicts' majority, and who signed. */
export function verifyDuelOutcome(crypto: Crypto, bytes: Uint8Array): VerifiedDuelOutcome {
  const signed = openDocument<DuelOutcome>(crypto, bytes, DUEL_OUTCOME_TYPE, 'duel outcome', (v) => {
    const ok = v.duel instanceof Uint8Array && Array.isArray(v.verdicts) && v.verdicts.length <= 64 && v.verdicts.every((b) => b instanceof Uint8Array) &&
      (v.winner === 'a' || v.winner === 'b' || v.winner === 'draw') && isDid(v.by) && isUint(v.ts) && Object.keys(v).length === 5;
    return ok ? { doc: v as unknown as DuelOutcome, signer: v.by as Did } : null;
  });
  const o = signed.doc;
  const duel = readDuel(crypto, o.duel);
  const settled = settleDuel(crypto, duel, o.verdicts);
  if (settled.winner !== o.winner) throw new SocialError('unproven', 'duel outcome', `the verdicts give ${settled.winner}, not ${o.winner}`, duel.id);
  const winnerDid = o.winner === 'draw' ? null : sideDid(duel.duel, o.winner);
  if (winnerDid === null ? ![duel.duel.a, duel.duel.b].includes(o.by) : o.by !== winnerDid) throw new SocialError('mismatch', 'duel outcome', 'a duel outcome is signed by its winner', duel.id);
  return { id: signed.id, duel, winner: o.winner, winnerDid, claim: settled.claim, attestations: settled.attestations };
}
