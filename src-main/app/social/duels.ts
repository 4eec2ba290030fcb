// The duel verbs (DESIGN §6), written once for every face: propose a duel to someone, accept it (b signs the
// same document; it goes to a and to every judge's Witness inbox; a takes the agreement in the same way),
// judge it (a panel witness signs a, b or draw), resolve it from the verdicts (the winner records the won-duel
// claim with the judges' attestations, provable like any feat), and list them. Each step is a `duel` block.
import type { Did } from '../../core/identity/did.ts';
import { DUEL_OUTCOME_TYPE, DUEL_TYPE, VERDICT_TYPE } from '../../core/social/challenge.ts';
import { SocialError } from '../../core/social/challenge-errors.ts';
import { stepDuel, type DuelState, type DuelVerdict } from '../../core/social/challenge-machine.ts';
import { agreeDuel, judgeDuel, makeDuelOutcome, proposeDuel, readDuel, settleDuel, verifyDuelOutcome, type Duel, type SignedDuel, type VerifiedDuelOutcome } from '../../core/social/duel.ts';
import type { Session } from '../session.ts';
import type { FeatsNetwork } from '../feats/network.ts';
import { openDoc, send, type DocSource, type Sent } from './documents.ts';

export interface DuelView {
  id: string;
  role: 'a' | 'b';
  other: Did;
  title: string;
  featType: string;
  time: number;
  judgeUntil: number;
  judges: Did[];
  k: number;
  state: DuelState;
  /** The won-duel claim this identity recorded, when it won. */
  claim: string | null;
}

const now = (session: Session): number => session.home.clock.now();

/** The duel recorded under `id`: the agreed document when this chain has it, else the proposal. */
function recorded(session: Session, id: string): SignedDuel {
  const steps = session.profile.social.duelSteps(id);
  if (steps.length === 0) throw new SocialError('unknown', 'duel', `no duel ${id} is recorded here`, id);
  const agreed = steps.find((s) => s.step === 'agreed') ?? steps[0]!;
  return readDuel(session.home.crypto, agreed.docs[0]!);
}

/** a proposes: the duel document signed by a goes to b. */
export async function proposeDuelTo(session: Session, input: Omit<Duel, 'a' | 'ts'>, network: FeatsNetwork | null): Promise<{ id: string; sent: Sent }> {
  const signed = proposeDuel(session.home.crypto, session.keys.identity.ed25519Seed, { ...input, a: session.profile.id, ts: now(session) });
  if (session.profile.social.duelSteps(signed.id).length > 0) throw new SocialError('settled', 'duel', 'this duel is proposed already', signed.id);
  session.profile.social.recordDuel(signed.id, 'proposed', [signed.bytes]);
  const [sent] = await send(session, [signed.duel.b], signed.bytes, network);
  return { id: signed.id, sent: sent! };
}

/**
 * b accepts a proposal by its time: b signs, and the agreed duel goes to a and to each judge. a, given the
 * agreed duel, takes it in (nothing to sign).
 */
export async function acceptDuel(session: Session, source: DocSource, network: FeatsNetwork | null): Promise<{ id: string; sent: Sent[] }> {
  const { bytes, done } = openDoc(session, source, [DUEL_TYPE]);
  const { crypto } = session.home;
  const me = session.profile.id;
  const duel = readDuel(crypto, bytes);
  const d = duel.duel;
  if (me !== d.a && me !== d.b) throw new SocialError('mismatch', 'duel', 'this duel is between others', duel.id);
  if (session.profile.social.duelSteps(duel.id).some((s) => s.step === 'agreed')) throw new SocialError('settled', 'duel', 'this duel is agreed already', duel.id);
  if (me === d.a) {
    if (!duel.agreed) throw new SocialError('invalid', 'duel', 'this is your own proposal: it waits for the other party', duel.id);
    session.profile.social.recordDuel(duel.id, 'agreed', [duel.bytes]);
    done('agreed by both');
    return { id: duel.id, sent: [] };
  }
  const rules = { time: d.time, judges: d.panel.witnesses, k: d.panel.k, judgeUntil: d.judgeUntil };
  if (stepDuel({ phase: 'proposed' }, { type: 'accept', at: now(session) }, rules).phase !== 'agreed') throw new SocialError('deadline', 'duel', 'the duel’s time has passed', duel.id);
  const agreed = agreeDuel(crypto, session.keys.identity.ed25519Seed, duel);
  session.profile.social.recordDuel(duel.id, 'agreed', [agreed.bytes]);
  done('accepted');
  return { id: duel.id, sent: await send(session, [d.a, ...d.panel.witnesses], agreed.bytes, network) };
}

/** A judge on the panel signs a verdict on an agreed duel (from the Witness inbox, or a file); it goes to both parties. */
export async function judge(session: Session, source: DocSource, winner: DuelVerdict, network: FeatsNetwork | null): Promise<{ id: string; duel: Duel; sent: Sent[] }> {
  const { bytes, done } = openDoc(session, source, [DUEL_TYPE]);
  const duel = readDuel(session.home.crypto, bytes);
  const { keys } = session;
  const verdict = judgeDuel(session.home.crypto, { did: session.profile.id, seed: keys.identity.ed25519Seed, babyJubjubSecret: keys.identity.babyJubjubSecret }, duel, winner, now(session));
  done(`judged: ${winner}`);
  return { id: duel.id, duel: duel.duel, sent: await send(session, [duel.duel.a, duel.duel.b], verdict.bytes, network) };
}

/**
 * Resolves duel `id` from the judges' verdicts (files or mail). The winner records the won-duel claim with the
 * majority's attestations (a feat to prove), the outcome as `won`, and sends it to the other party; a draw is
 * recorded by whoever resolves. When the verdicts give the win to the other party, they resolve it.
 */
export async function resolveDuel(session: Session, id: string, verdicts: readonly DocSource[], network: FeatsNetwork | null): Promise<{ outcome: VerifiedDuelOutcome; sent: Sent }> {
  const { crypto } = session.home;
  const me = session.profile.id;
  const duel = recorded(session, id);
  if (session.profile.social.duelSteps(id).some((s) => s.step === 'won' || s.step === 'outcome')) throw new SocialError('settled', 'duel', 'this duel is resolved already', id);
  const taken = verdicts.map((source) => openDoc(session, source, [VERDICT_TYPE]));
  const bytes = taken.map((t) => t.bytes);
  const settled = settleDuel(crypto, duel, bytes);
  const winnerDid = settled.winner === 'draw' ? null : settled.winner === 'a' ? duel.duel.a : duel.duel.b;
  if (winnerDid !== null && winnerDid !== me) throw new SocialError('invalid', 'duel', `the verdicts give the duel to ${winnerDid}: the winner resolves it`, id);
  const outcome = makeDuelOutcome(crypto, session.keys.identity.ed25519Seed, me, duel, bytes, now(session));
  if (outcome.claim !== null) session.profile.feats.adopt(outcome.claim, outcome.attestations);
  session.profile.social.recordDuel(id, outcome.claim === null ? 'outcome' : 'won', [duel.bytes, outcome.bytes]);
  for (const t of taken) t.done('counted in the outcome');
  const other = me === duel.duel.a ? duel.duel.b : duel.duel.a;
  const [sent] = await send(session, [other], outcome.bytes, network);
  return { outcome, sent: sent! };
}

/** Takes a duel outcome in (the loser's record of it), verified. */
export function importDuelOutcome(session: Session, source: DocSource): VerifiedDuelOutcome {
  const { bytes, done } = openDoc(session, source, [DUEL_OUTCOME_TYPE]);
  const outcome = verifyDuelOutcome(session.home.crypto, bytes);
  const me = session.profile.id;
  if (me !== outcome.duel.duel.a && me !== outcome.duel.duel.b) throw new SocialError('mismatch', 'duel outcome', 'this duel is between others', outcome.duel.id);
  if (session.profile.social.duelSteps(outcome.duel.id).some((s) => s.step === 'won' || s.step === 'outcome')) throw new SocialError('settled', 'duel', 'this duel’s outcome is recorded already', outcome.duel.id);
  session.profile.social.recordDuel(outcome.duel.id, 'outcome', [outcome.duel.bytes, bytes]);
  done('outcome recorded');
  return outcome;
}

/** The duels this chain records, with their state now. */
export function listDuels(session: Session): DuelView[] {
  const me = session.profile.id;
  return session.profile.social.duelIds().map((id): DuelView => {
    const duel = recorded(session, id);
    const d = duel.duel;
    const rules = { time: d.time, judges: d.panel.witnesses, k: d.panel.k, judgeUntil: d.judgeUntil };
    const steps = session.profile.social.duelSteps(id);
    const final = steps.find((s) => s.step === 'won' || s.step === 'outcome');
    let state: DuelState;
    if (final !== undefined) {
      state = { phase: 'settled', verdict: verifyDuelOutcome(session.home.crypto, final.docs[1]!).winner, at: final.ts };
    } else {
      const agreed = steps.find((s) => s.step === 'agreed');
      state = stepDuel(agreed === undefined ? { phase: 'proposed' } : { phase: 'agreed', at: agreed.ts }, { type: 'tick', at: now(session) }, rules);
    }
    const claim = final?.step === 'won' ? (verifyDuelOutcome(session.home.crypto, final.docs[1]!).claim?.cid ?? null) : null;
    return { id, role: me === d.a ? 'a' : 'b', other: me === d.a ? d.b : d.a, title: d.title, featType: d.featType, time: d.time, judgeUntil: d.judgeUntil, judges: d.panel.witnesses, k: d.panel.k, state, claim };
  });
}

/** A duel document waiting in this identity's mail, and what it waits for from this identity. */
export interface DuelMail extends Pick<Duel, 'a' | 'b' | 'title' | 'featType' | 'criteria' | 'time' | 'judgeUntil'> {
  mail: string;
  id: string;
  from: Did;
  /** `accept`: proposed to you (you are b); `agreed`: the other party agreed to your proposal; `judge`: you are on its panel. */
  waits: 'accept' | 'agreed' | 'judge';
  /** The panel's witnesses, and how many of them decide. */
  judges: Did[];
  k: number;
}

/**
 * The duel documents waiting in the mail: proposals to accept, agreements to take in, and agreed duels this
 * identity judges (its Witness inbox). A document that does not open, or that this chain settled, is left out.
 */
export function duelMail(session: Session): DuelMail[] {
  const me = session.profile.id;
  return session.home.receivedMail().list(me, { format: DUEL_TYPE, state: 'waiting' }).flatMap((mail): DuelMail[] => {
    let duel: SignedDuel;
    try {
      duel = readDuel(session.home.crypto, openDoc(session, { mail: mail.id }, [DUEL_TYPE]).bytes);
    } catch (error) {
      if (error instanceof SocialError) return [];
      throw error;
    }
    const d = duel.duel;
    const steps = session.profile.social.duelSteps(duel.id);
    const waits = me === d.b && !duel.agreed && steps.length === 0 ? 'accept'
      : me === d.a && duel.agreed && !steps.some((s) => s.step === 'agreed') ? 'agreed'
      : duel.agreed && d.panel.witnesses.includes(me) ? 'judge' : null;
    if (waits === null) return [];
    return [{ mail: mail.id, id: duel.id, from: mail.from, waits, a: d.a, b: d.b, title: d.title, featType: d.featType, criteria: d.criteria, time: d.time, judgeUntil: d.judgeUntil, judges: d.panel.witnesses, k: d.panel.k }];
  });
}
