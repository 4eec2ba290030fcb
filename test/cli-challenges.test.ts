// Challenges and duels on real homes through the CLI, documents passed as files, time set by DEFAUST_NOW:
// a feat attested by 3 witnesses and proven is challenged by a stranger; the holder re-performs before the
// panel in time and wins, so a timeout outcome the challenger tries later is refused; a second challenge is
// declined, the challenger wins, the claim is refuted (feat status says so, prove feat refuses it, a verifier
// given the outcome rejects the proof) and the challenger keeps the refutation (the 3 witnesses are barred in
// its view); a challenge left unanswered is won by timeout from the holder's own
// chain; the holder challenges back; a duel judged by 3 witnesses gives the winner a feat it proves.
// About 90 CLI runs and 3 proofs: minutes on a loaded machine (29 min at a load of 23 on 2 cores), hence the timeout.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

const T0 = Date.parse('2027-03-01T10:00:00Z');
const at = (hours: number) => ({ env: { DEFAUST_NOW: new Date(T0 + hours * 3_600_000).toISOString() } });
const iso = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

describe('challenges and duels (CLI)', { timeout: 3_600_000 }, () => {
  it('challenge → re-performed / declined / timeout → refuted; challenge back; a won duel proves', () => {
    const dir = tempDir();
    const F = (name: string) => join(dir, name);
    const home = (name: string) => ['--home', F(name)];
    const id = (name: string) => run([...home(name), 'init', '--json'], at(0)).json().id as string;
    const [H, S, w1, w2, w3] = ['holder', 'stranger', 'w1', 'w2', 'w3'].map((name) => ({ name, id: id(name), h: home(name) }));
    const holder = H!;
    const stranger = S!;
    const panel = [w1!, w2!, w3!];
    /** Expects success; the --json result when there is one. */
    const ok = (r: ReturnType<typeof run>) => {
      expect(r.code, r.stderr).toBe(0);
      return /^[[{]/u.test(r.stdout.trim()) ? r.json() : null;
    };
    const attest = (who: typeof holder, cid: string, witnesses: typeof panel, tag: string, hours: number) => {
      const requests = ok(run([...who.h, 'attest', 'request', cid, ...witnesses.flatMap((w) => ['--witness', w.id]), '--out', F(`req-${tag}`), '--json'], at(hours))) as { witness: string; file: string }[];
      for (const r of requests) {
        const w = witnesses.find((x) => x.id === r.witness)!;
        ok(run([...w.h, 'attest', 'sign', r.file, '--verdict', 'yes', '--out', F(`reply-${tag}-${w.name}`)], at(hours)));
        ok(run([...who.h, 'attest', 'import', F(`reply-${tag}-${w.name}`)], at(hours)));
      }
    };
    const panelArgs = panel.flatMap((w) => ['--witness', w.id]);

    // The holder's feat: 3 trusted witnesses said yes; it is proven.
    for (const w of panel) ok(run([...holder.h, 'trust', 'add', w.id, '--for', 'marathon'], at(0)));
    const claim = (ok(run([...holder.h, 'feat', 'claim', 'Marathon under 3h', '--type', 'marathon', '--policy', 'k-of-n:3', '--json'], at(0))) as { cid: string }).cid;
    attest(holder, claim, panel, 'claim', 0);
    const proof = F('proof.json');
    ok(run([...holder.h, 'prove', 'feat', claim, '--nonce', '11', '--out', proof], at(0)));

    // Challenge A: the holder accepts, re-performs, 2 of the panel attest by the deadline: the holder wins.
    const sentA = ok(run([...stranger.h, 'challenge', 'send', proof, '--deadline', iso(24 * 7), ...panelArgs, '--k', '2', '--out', F('chA'), '--json'], at(1))) as { id: string; holder: string; claim: string };
    expect(sentA).toMatchObject({ holder: holder.id, claim });
    const answerA = ok(run([...holder.h, 'challenge', 'answer', F('chA'), 'accept', '--out', F('ansA'), '--json'], at(2))) as { reperformance: string };
    attest(holder, answerA.reperformance, [w1!, w2!], 'redo', 3);
    const wonA = ok(run([...holder.h, 'challenge', 'resolve', sentA.id, '--out', F('outA'), '--json'], at(4)));
    expect(wonA).toMatchObject({ challenge: sentA.id, result: 're-performed', winner: holder.id, refutes: null });
    // Past the deadline, a timeout (or a failure) claimed from the holder's own chain is refused: it shows the answer and the win in time.
    ok(run([...holder.h, 'set', 'public', 'name', 'Holder'], at(24 * 8)));
    ok(run([...holder.h, 'export', '--out', F('holder-8d.archive')], at(24 * 8)));
    expectCleanError(run([...stranger.h, 'challenge', 'resolve', sentA.id, '--holder-archive', F('holder-8d.archive')], at(24 * 8)), /answered in time/);
    expectCleanError(run([...stranger.h, 'challenge', 'resolve', sentA.id, '--answer', F('ansA'), '--holder-archive', F('holder-8d.archive')], at(24 * 8)), /won in time/);
    expect(ok(run([...stranger.h, 'challenge', 'import', F('outA'), '--json'], at(24 * 8)))).toMatchObject({ result: 're-performed', winner: holder.id });
    expect(ok(run([...holder.h, 'feat', 'status', claim, '--json'], at(24 * 8)))).toEqual({ met: true, have: 3, need: 3 });

    // Challenge B: the holder declines; the challenger wins; the claim is refuted.
    const sentB = ok(run([...stranger.h, 'challenge', 'send', proof, '--deadline', iso(24 * 15), ...panelArgs, '--k', '2', '--out', F('chB'), '--json'], at(24 * 9))) as { id: string };
    expectCleanError(run([...stranger.h, 'challenge', 'resolve', sentB.id], at(24 * 9)), /deadline has not passed/);
    ok(run([...holder.h, 'challenge', 'answer', F('chB'), 'decline', '--out', F('ansB')], at(24 * 9 + 1)));
    expectCleanError(run([...holder.h, 'challenge', 'answer', F('chB'), 'accept', '--out', F('ansB2')], at(24 * 9 + 2)), /answered this challenge already/);
    const wonB = ok(run([...stranger.h, 'challenge', 'resolve', sentB.id, '--answer', F('ansB'), '--out', F('outB'), '--public', F('outB.public'), '--json'], at(24 * 9 + 2)));
    expect(wonB).toMatchObject({ result: 'declined', winner: stranger.id, refutes: claim, refutation: { spread: null } });
    expect([...(wonB as { refutation: { accused: string[] } }).refutation.accused].sort()).toEqual(panel.map((w) => w.id).sort());
    expect(ok(run([...holder.h, 'challenge', 'import', F('outB'), '--json'], at(24 * 9 + 3)))).toMatchObject({ result: 'declined', refutes: claim });
    expect(ok(run([...holder.h, 'feat', 'status', claim, '--json'], at(24 * 9 + 3)))).toEqual({ met: false, have: 3, need: 3, refuted: sentB.id });
    expectCleanError(run([...holder.h, 'prove', 'feat', claim, '--nonce', '12', '--out', F('again.json')], at(24 * 9 + 3)), /refuted/);
    const nowhere = { env: { HOME: F('verifier'), DEFAUST_PASSPHRASE: undefined } };
    const refused = run(['verify-proof', proof, '--nonce', '11', '--outcome', F('outB.public'), '--json'], nowhere);
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({ valid: false, refutedBy: sentB.id, reason: expect.stringMatching(/refuted/) });
    const listed = ok(run([...holder.h, 'challenge', 'list', '--json'], at(24 * 9 + 3))) as { challenges: { id: string; state: { phase: string; result?: string } }[] };
    expect(listed.challenges.map((c) => [c.id, c.state.phase, c.state.result])).toEqual([[sentA.id, 'settled', 're-performed'], [sentB.id, 'settled', 'declined']]);

    // Challenge C: no answer by the deadline; the holder's own chain past it proves the timeout.
    const sentC = ok(run([...stranger.h, 'challenge', 'send', proof, '--deadline', iso(24 * 10), '--authority', w3!.id, '--out', F('chC'), '--json'], at(24 * 9 + 4))) as { id: string };
    expectCleanError(run([...holder.h, 'challenge', 'answer', F('chC'), 'accept', '--out', F('late')], at(24 * 11)), /deadline of this challenge has passed/);
    ok(run([...holder.h, 'set', 'public', 'name', 'Holder again'], at(24 * 11)));
    ok(run([...holder.h, 'export', '--out', F('holder-11d.archive')], at(24 * 11)));
    expect(ok(run([...stranger.h, 'challenge', 'resolve', sentC.id, '--holder-archive', F('holder-11d.archive'), '--out', F('outC'), '--json'], at(24 * 11)))).toMatchObject({ result: 'timeout', winner: stranger.id, refutes: claim });

    // The stranger won B, so it holds the refutation: in its view the 3 witnesses are barred, and w1's sign-off
    // no longer meets its own policy.
    expect(ok(run([...stranger.h, 'honor', w1!.id, '--json'], at(24 * 12)))).toMatchObject({ status: 'barred', evidence: [{ kind: 'refutation', claim }] });

    // The holder challenges back: the stranger's marathon (attested by a fourth witness), proven; a feat of another kind is refused.
    const w4 = { name: 'w4', id: id('w4'), h: home('w4') };
    ok(run([...stranger.h, 'trust', 'add', w4.id, '--for', 'marathon'], at(24 * 12)));
    const theirs = (ok(run([...stranger.h, 'feat', 'claim', 'Marathon under 4h', '--type', 'marathon', '--policy', 'k-of-n:1', '--json'], at(24 * 12))) as { cid: string }).cid;
    attest(stranger, theirs, [w4], 'theirs', 24 * 12);
    ok(run([...stranger.h, 'prove', 'feat', theirs, '--nonce', '13', '--out', F('theirs.json')], at(24 * 12)));
    const back = ok(run([...holder.h, 'challenge', 'back', sentB.id, F('theirs.json'), '--deadline', '7d', '--witness', w2!.id, '--out', F('chBack'), '--json'], at(24 * 12)));
    expect(back).toMatchObject({ holder: stranger.id, claim: theirs, counter: sentB.id });
    expectCleanError(run([...holder.h, 'challenge', 'back', sentB.id, proof, '--deadline', '7d', '--witness', w2!.id, '--out', F('chBack2')], at(24 * 12)), /counter-challenge is on a marathon feat of/);

    // A duel judged by 3 witnesses: 2 say a (the holder), 1 says b; the holder proves the won duel.
    const duel = (ok(run([...holder.h, 'duel', 'propose', stranger.id, 'Chess, one game', '--type', 'chess', '--at', iso(24 * 21), '--judge-until', iso(24 * 22), ...panelArgs, '--k', '2', '--out', F('duel'), '--json'], at(24 * 20))) as { id: string }).id;
    ok(run([...stranger.h, 'duel', 'accept', F('duel'), '--out', F('agreed')], at(24 * 20 + 1)));
    const agreed = Object.fromEntries(readdirSync(F('agreed')).map((f) => [f, join(F('agreed'), f)]));
    const forWho = (did: string) => Object.entries(agreed).find(([name]) => name.endsWith(did.slice(-12)))![1];
    ok(run([...holder.h, 'duel', 'accept', forWho(holder.id)], at(24 * 20 + 2)));
    expectCleanError(run([...w1!.h, 'duel', 'judge', forWho(w1!.id), 'a', '--out', F('too-early')], at(24 * 20 + 3)), /judged between its time/);
    const verdicts = panel.map((w, i) => {
      ok(run([...w.h, 'duel', 'judge', forWho(w.id), i < 2 ? 'a' : 'b', '--out', F(`verdict-${w.name}`)], at(24 * 21 + 1)));
      return join(F(`verdict-${w.name}`), readdirSync(F(`verdict-${w.name}`)).find((f) => f.endsWith(holder.id.slice(-12)))!);
    });
    expectCleanError(run([...holder.h, 'duel', 'resolve', duel, '--verdict', verdicts[0]!, '--out', F('no-majority')], at(24 * 21 + 2)), /no majority/);
    const won = ok(run([...holder.h, 'duel', 'resolve', duel, ...verdicts.flatMap((v) => ['--verdict', v]), '--out', F('duel-outcome'), '--json'], at(24 * 21 + 2))) as { winner: string; claim: string };
    expect(won.winner).toBe('a');
    ok(run([...stranger.h, 'duel', 'import', F('duel-outcome')], at(24 * 21 + 3)));
    for (const w of panel) ok(run([...holder.h, 'trust', 'add', w.id, '--for', 'chess'], at(24 * 21 + 3)));
    expect(ok(run([...holder.h, 'feat', 'status', won.claim, '--json'], at(24 * 21 + 3)))).toEqual({ met: true, have: 2, need: 2 });
    const root = (ok(run([...holder.h, 'trust', 'root', '--for', 'chess', '--json'], at(24 * 21 + 3))) as { root: string }).root;
    ok(run([...holder.h, 'prove', 'feat', won.claim, '--nonce', '14', '--out', F('duel.json')], at(24 * 21 + 3)));
    const verified = run(['verify-proof', F('duel.json'), '--trust-root', root, '--nonce', '14', '--json'], nowhere);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({ valid: true, claim: won.claim, featType: 'chess', witnesses: 2 });
    expect((ok(run([...stranger.h, 'duel', 'list', '--json'], at(24 * 21 + 3))) as { state: { verdict: string } }[])[0]!.state.verdict).toBe('a');
  });
});
