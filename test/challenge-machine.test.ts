// The challenge and duel state machines over every path (fast-check, fixed seeds): random event sequences
// timed by a stepping clock (the Clock port), checked against a reference written as a scan of the whole
// sequence rather than a fold; settled states are absorbing; and the challenge decoder answers every
// mutated byte with a typed refusal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DefaustError } from '../src-main/core/errors.ts';
import { makeClaim } from '../src-main/core/feats/claims.ts';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import type { Clock } from '../src-main/core/ports.ts';
import { makeChallenge, readChallenge } from '../src-main/core/social/challenge.ts';
import {
  runChallenge, stepChallenge, stepDuel, WINNER, type ChallengeEvent, type ChallengeState, type DuelEvent, type DuelState, type DuelVerdict,
} from '../src-main/core/social/challenge-machine.ts';
import { crypto } from './helpers.ts';

/** A clock that moves by the given steps, one per reading. */
class SteppingClock implements Clock {
  private t: number;
  private readonly steps: number[];
  constructor(start: number, steps: number[]) {
    this.t = start;
    this.steps = [...steps];
  }
  now(): number {
    this.t += this.steps.shift() ?? 0;
    return this.t;
  }
}

const DEADLINE = 1_000;
const types = ['accept', 'decline', 'attested', 'failed', 'tick'] as const;

/** The expected state, read off the whole sequence: what came before the first late event decides. */
function expected(events: readonly ChallengeEvent[]): ChallengeState {
  const lateAt = events.findIndex((e) => e.at > DEADLINE);
  const inTime = lateAt === -1 ? events : events.slice(0, lateAt);
  const lateTime = lateAt === -1 ? null : Math.max(events[lateAt]!.at, DEADLINE);
  const answer = inTime.findIndex((e) => e.type === 'accept' || e.type === 'decline');
  if (answer === -1) return lateTime === null ? { phase: 'open' } : { phase: 'settled', result: 'timeout', winner: 'challenger', at: lateTime };
  const a = inTime[answer]!;
  if (a.type === 'decline') return { phase: 'settled', result: 'declined', winner: 'challenger', at: a.at };
  const verdict = inTime.slice(answer + 1).find((e) => e.type === 'attested' || e.type === 'failed');
  if (verdict?.type === 'attested') return { phase: 'settled', result: 're-performed', winner: 'holder', at: verdict.at };
  if (verdict?.type === 'failed') return { phase: 'settled', result: 'failed', winner: 'challenger', at: verdict.at };
  return lateTime === null ? { phase: 'accepted', at: a.at } : { phase: 'settled', result: 'failed', winner: 'challenger', at: lateTime };
}

describe('the challenge state machine', () => {
  it('matches the reference on every path, deadlines included; settled is absorbing', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(fc.record({ type: fc.constantFrom(...types), step: fc.integer({ min: 0, max: 400 }) }), { maxLength: 12 }),
        fc.array(fc.constantFrom(...types), { maxLength: 4 }),
        (drawn, more) => {
          const clock = new SteppingClock(0, drawn.map((d) => d.step));
          const events: ChallengeEvent[] = drawn.map((d) => ({ type: d.type, at: clock.now() }));
          const state = runChallenge(events, DEADLINE);
          expect(state).toEqual(expected(events));
          seen.add(state.phase === 'settled' ? state.result : state.phase);
          if (state.phase === 'settled') {
            expect(state.winner).toBe(WINNER[state.result]);
            const after = more.reduce<ChallengeState>((s, type) => stepChallenge(s, { type, at: clock.now() }, DEADLINE), state);
            expect(after).toEqual(state);
          }
          // Once the clock is past the deadline, a challenge is settled.
          expect(stepChallenge(state, { type: 'tick', at: DEADLINE + 1 }, DEADLINE).phase).toBe('settled');
        },
      ),
      { seed: 1212, numRuns: 3000 },
    );
    expect([...seen].sort()).toEqual(['accepted', 'declined', 'failed', 'open', 're-performed', 'timeout']);
  });

  it('the deadline is inclusive', () => {
    expect(runChallenge([{ type: 'accept', at: DEADLINE }, { type: 'attested', at: DEADLINE }], DEADLINE)).toMatchObject({ result: 're-performed' });
    expect(runChallenge([{ type: 'accept', at: DEADLINE }, { type: 'attested', at: DEADLINE + 1 }], DEADLINE)).toMatchObject({ result: 'failed' });
    expect(runChallenge([{ type: 'accept', at: DEADLINE + 1 }], DEADLINE)).toMatchObject({ result: 'timeout' });
  });
});

const JUDGES = ['j1', 'j2', 'j3', 'j4', 'j5'];
const RULES = { time: 100, judges: JUDGES, k: 2, judgeUntil: 1_000 };

/** The expected duel verdict: valid verdicts before the first event past judgeUntil, and the first majority among them. */
function expectedDuel(events: readonly DuelEvent[]): DuelState {
  const late = events.findIndex((e) => e.at > RULES.judgeUntil);
  const inTime = late === -1 ? events : events.slice(0, late);
  const counted: Record<string, DuelVerdict> = {};
  for (const e of inTime) {
    if (e.type !== 'verdict' || e.at < RULES.time || !JUDGES.includes(e.judge) || Object.hasOwn(counted, e.judge)) continue;
    counted[e.judge] = e.verdict;
    const tally = Object.values(counted).filter((v) => v === e.verdict).length;
    if (tally >= RULES.k && tally * 2 > JUDGES.length) return { phase: 'settled', verdict: e.verdict, at: e.at };
  }
  if (late !== -1) return { phase: 'settled', verdict: 'void', at: events[late]!.at };
  return Object.keys(counted).length === 0 ? { phase: 'agreed', at: 0 } : { phase: 'judging', verdicts: counted };
}

describe('the duel state machine', () => {
  it('a majority of at least k of the panel settles it; judges off the panel, repeats and late verdicts do not count', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(fc.record({
          judge: fc.constantFrom(...JUDGES, 'outsider', 'constructor'),
          verdict: fc.constantFrom<DuelVerdict>('a', 'b', 'draw'),
          tick: fc.boolean(),
          step: fc.integer({ min: 0, max: 150 }),
        }), { maxLength: 14 }),
        (drawn) => {
          const clock = new SteppingClock(50, drawn.map((d) => d.step));
          const events: DuelEvent[] = drawn.map((d) => (d.tick ? { type: 'tick', at: clock.now() } : { type: 'verdict', judge: d.judge, verdict: d.verdict, at: clock.now() }));
          const state = events.reduce<DuelState>((s, e) => stepDuel(s, e, RULES), { phase: 'agreed', at: 0 });
          expect(state).toEqual(expectedDuel(events));
          seen.add(state.phase === 'settled' ? state.verdict : state.phase);
        },
      ),
      { seed: 2121, numRuns: 3000 },
    );
    expect([...seen].sort()).toEqual(['a', 'agreed', 'b', 'draw', 'judging', 'void']);
  });

  it('a proposal not accepted by the duel’s time, or declined, is void', () => {
    expect(stepDuel({ phase: 'proposed' }, { type: 'accept', at: RULES.time }, RULES)).toEqual({ phase: 'agreed', at: RULES.time });
    expect(stepDuel({ phase: 'proposed' }, { type: 'accept', at: RULES.time + 1 }, RULES)).toMatchObject({ phase: 'settled', verdict: 'void' });
    expect(stepDuel({ phase: 'proposed' }, { type: 'decline', at: 0 }, RULES)).toMatchObject({ phase: 'settled', verdict: 'void' });
  });
});

describe('the challenge decoder', () => {
  it('refuses every mutated byte with a typed error', () => {
    const seed = (n: number) => new Uint8Array(32).fill(n);
    const did = (n: number) => didFromPublicKey(crypto.ed25519.publicKey(seed(n)));
    const claim = makeClaim(crypto, { holder: did(1), title: 'Marathon', criteria: '', featType: 'marathon', ts: 0, evidence: [], policy: { kind: 'k-of-n', k: 1 } });
    const signed = makeChallenge(crypto, seed(2), { challenger: did(2), claim: claim.bytes, deadline: 10, panel: { kind: 'k-of-n', k: 1, witnesses: [did(3)] }, ts: 1, counter: null });
    expect(readChallenge(crypto, signed.bytes).id).toBe(signed.id);
    fc.assert(
      fc.property(fc.nat(signed.bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bytes = Uint8Array.from(signed.bytes);
        bytes[at] = bytes[at]! ^ flip;
        try {
          readChallenge(crypto, bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(DefaustError);
          return;
        }
        // A mutation that still decodes and verifies is the same challenge (CBOR has no slack to hide one in).
        expect(readChallenge(crypto, bytes).id).toBe(signed.id);
      }),
      { seed: 33, numRuns: 500 },
    );
    // A challenger who is on its own panel, or challenges its own feat, is refused.
    expect(() => makeChallenge(crypto, seed(1), { challenger: did(1), claim: claim.bytes, deadline: 10, panel: { kind: 'authority', authority: did(3) }, ts: 1, counter: null })).toThrow(/own feat/);
    expect(() => makeChallenge(crypto, seed(2), { challenger: did(2), claim: claim.bytes, deadline: 10, panel: { kind: 'authority', authority: did(2) }, ts: 1, counter: null })).toThrow(/own panel/);
  });
});
