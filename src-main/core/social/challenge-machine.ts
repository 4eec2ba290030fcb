// The challenge and duel state machines, pure: states, events, and deadlines read off the event's time (the
// clock port's `now`, passed in). A challenge opens; the holder accepts or declines by the deadline; an
// accepted challenge is won by a re-performance the panel attests by the deadline; a decline, a failure, or
// the deadline passing settles it for the challenger. A duel is proposed, agreed before its time, then
// judged: the verdict of a strict majority of at least k panel judges settles it. Settled is absorbing.

export type Side = 'holder' | 'challenger';
export type ChallengeResult = 'declined' | 'timeout' | 'failed' | 're-performed';

export type ChallengeState =
  | { phase: 'open' }
  | { phase: 'accepted'; at: number }
  | { phase: 'settled'; result: ChallengeResult; winner: Side; at: number };

export type ChallengeEvent =
  | { type: 'accept'; at: number }
  | { type: 'decline'; at: number }
  /** The panel attested the re-performance (k distinct yes). */
  | { type: 'attested'; at: number }
  /** The panel said no: k yes can no longer be had. */
  | { type: 'failed'; at: number }
  /** Time passes: the clock says `at`. */
  | { type: 'tick'; at: number };

/** Who wins each result. */
export const WINNER: Record<ChallengeResult, Side> = { declined: 'challenger', timeout: 'challenger', failed: 'challenger', 're-performed': 'holder' };

const settle = (result: ChallengeResult, at: number): ChallengeState => ({ phase: 'settled', result, winner: WINNER[result], at });

/**
 * The next state. The deadline is inclusive (an act at the deadline is in time). An event that has no
 * meaning in a state (an attestation before an accept, a second answer) leaves the state as it is.
 */
export function stepChallenge(state: ChallengeState, event: ChallengeEvent, deadline: number): ChallengeState {
  if (state.phase === 'settled') return state;
  const late = event.at > deadline;
  if (state.phase === 'open') {
    if (late) return settle('timeout', Math.max(event.at, deadline));
    if (event.type === 'accept') return { phase: 'accepted', at: event.at };
    if (event.type === 'decline') return settle('declined', event.at);
    return state;
  }
  if (late) return settle('failed', Math.max(event.at, deadline));
  if (event.type === 'attested') return settle('re-performed', event.at);
  if (event.type === 'failed') return settle('failed', event.at);
  return state;
}

/** Folds events in order from `open`. */
export function runChallenge(events: readonly ChallengeEvent[], deadline: number): ChallengeState {
  return events.reduce<ChallengeState>((state, event) => stepChallenge(state, event, deadline), { phase: 'open' });
}

export type DuelVerdict = 'a' | 'b' | 'draw';

export type DuelState =
  | { phase: 'proposed' }
  | { phase: 'agreed'; at: number }
  | { phase: 'judging'; verdicts: Record<string, DuelVerdict> }
  | { phase: 'settled'; verdict: DuelVerdict | 'void'; at: number };

export type DuelEvent =
  | { type: 'accept'; at: number }
  | { type: 'decline'; at: number }
  | { type: 'verdict'; judge: string; verdict: DuelVerdict; at: number }
  | { type: 'tick'; at: number };

/** The duel's rules: its time (agreement must come by then), the panel's judges and k, and until when judges may judge. */
export interface DuelRules {
  time: number;
  judges: readonly string[];
  k: number;
  judgeUntil: number;
}

/** The verdict given by at least k judges and by more than half the panel (`panelSize`), or null: no majority yet. */
export function majority(verdicts: readonly DuelVerdict[], k: number, panelSize: number): DuelVerdict | null {
  for (const option of ['a', 'b', 'draw'] as const) {
    const count = verdicts.filter((v) => v === option).length;
    if (count >= k && count * 2 > panelSize) return option;
  }
  return null;
}

/**
 * The next duel state. Not agreed by its time, or declined: void. A judge off the panel, a second verdict of a
 * judge, or a verdict before the duel's time are ignored; a majority settles it; past `judgeUntil` without
 * one it is void.
 */
export function stepDuel(state: DuelState, event: DuelEvent, rules: DuelRules): DuelState {
  if (state.phase === 'settled') return state;
  if (state.phase === 'proposed') {
    if (event.at > rules.time || event.type === 'decline') return { phase: 'settled', verdict: 'void', at: event.at };
    return event.type === 'accept' ? { phase: 'agreed', at: event.at } : state;
  }
  if (event.at > rules.judgeUntil) return { phase: 'settled', verdict: 'void', at: event.at };
  const verdicts = state.phase === 'judging' ? state.verdicts : {};
  if (event.type !== 'verdict' || event.at < rules.time || !rules.judges.includes(event.judge) || Object.hasOwn(verdicts, event.judge)) return state;
  const next = { ...verdicts, [event.judge]: event.verdict };
  const decided = majority(Object.values(next), rules.k, rules.judges.length);
  return decided === null ? { phase: 'judging', verdicts: next } : { phase: 'settled', verdict: decided, at: event.at };
}
