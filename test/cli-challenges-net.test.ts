// Challenges and duels on a loopback network, as people run them: `defaust serve` nodes (a bootstrap node and
// three replicas) and six homes — a holder, a stranger, three witnesses and an observer — that publish their
// chains and pass every document through the mailboxes (`defaust mail`, then the mail id), never as files:
// a feat attested by 3 witnesses and proven is challenged by the stranger; the holder declines; the stranger
// wins and leaves the refutation at the witnesses' replicas; the holder takes the outcome from its mail, so
// the claim is refuted (feat status, prove feat, a verifier); an observer who asks the witnesses' replicas
// finds them barred for the cooldown, and their sign-offs no longer meet the observer's own claim. The holder
// challenges back; the stranger accepts in time, so a timeout is refused from the stranger's chain as fetched
// from its replicas (the failure it shows is not). A duel judged by 3 witnesses gives a provable won-duel feat.
//
// Time: each client runs at a fixed DEFAUST_NOW inside the last 6 days (a mailbox keeps a deposit 7 days from
// the time its sender wrote, and refuses one dated in its future), so days pass for the parties in a test
// that takes minutes. About 70 CLI runs, most with a node that joins for the task, and 3 proofs.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanError, run, serve, stopNode, type ServedNode } from './cli-helpers.ts';
import { tempDir } from './helpers.ts';

const HOUR = 3_600_000;
const COOLDOWN = 180 * 24 * HOUR;

interface Waiting {
  id: string;
  from: string;
  kind: string;
}

describe('challenges and duels over loopback mail (CLI)', () => {
  const dir = tempDir('defaust-challenges-net-');
  const nodes: ServedNode[] = [];
  let bootstrap: string;
  // The parties' time: 6 days ago, on the hour; the scenario stays within 2 days of it.
  const T0 = Math.floor((Date.now() - 6 * 24 * HOUR) / HOUR) * HOUR;
  const iso = (hours: number) => new Date(T0 + hours * HOUR).toISOString();
  const at = (hours: number) => ({ env: { DEFAUST_NOW: iso(hours) } });
  const F = (name: string) => join(dir, name);

  beforeAll(async () => {
    const first = await serve(F('boot'), []);
    nodes.push(first);
    bootstrap = first.addrs[0]!;
    nodes.push(...(await Promise.all([1, 2, 3].map((i) => serve(F(`replica-${i}`), [bootstrap])))));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(nodes.map(stopNode));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('decline → refuted and the witnesses barred in an observer\'s view; challenge back; timeout refused; a won duel proves', () => {
    const net = () => ['--bootstrap', bootstrap];
    /** Expects success; the --json result when there is one. */
    const ok = (args: string[], hours: number) => {
      const r = run(args, at(hours));
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return /^[[{]/u.test(r.stdout.trim()) ? r.json() : null;
    };
    const homes = ['holder', 'stranger', 'w1', 'w2', 'w3', 'observer'].map((name) => {
      const h = ['--home', F(name)];
      const id = (ok([...h, 'init', '--json'], 0) as { id: string }).id;
      ok([...h, 'publish', ...net()], 0);
      return { name, id, h };
    });
    const [holder, stranger, w1, w2, w3, observer] = homes as [typeof homes[0], typeof homes[0], typeof homes[0], typeof homes[0], typeof homes[0], typeof homes[0]];
    const panel = [w1, w2, w3];
    const panelArgs = panel.flatMap((w) => ['--witness', w.id]);
    /** Fetches `who`'s mail; the message waiting from `from` of `kind` (the newest such). */
    const mailFrom = (who: typeof holder, from: typeof holder, kind: string, hours: number): string => {
      const { waiting } = ok([...who.h, 'mail', ...net(), '--json'], hours) as { waiting: Waiting[] };
      const found = waiting.filter((w) => w.from === from.id && w.kind === kind).at(-1);
      expect(found, `${who.name} has no ${kind} from ${from.name} waiting: ${JSON.stringify(waiting)}`).toBeDefined();
      return found!.id;
    };
    /** Asks each witness through the mailboxes; each fetches its mail and signs yes; the answers come back by mail. */
    const attest = (who: typeof holder, cid: string, witnesses: (typeof holder)[], hours: number) => {
      const asked = ok([...who.h, 'attest', 'request', cid, ...witnesses.flatMap((w) => ['--witness', w.id]), ...net(), '--json'], hours) as { deposited: number }[];
      expect(asked.every((a) => a.deposited >= 1)).toBe(true);
      for (const w of witnesses) ok([...w.h, 'attest', 'sign', mailFrom(w, who, 'attest-request', hours), '--verdict', 'yes', ...net()], hours);
      const { routed } = ok([...who.h, 'mail', ...net(), '--json'], hours) as { routed: { kind: string; state: string }[] };
      expect(routed.filter((r) => r.kind === 'attestation' && r.state === 'taken')).toHaveLength(witnesses.length);
    };

    // The holder's marathon, attested by 3 trusted witnesses and proven; the observer's own claim, by the same 3.
    for (const who of [holder, observer]) for (const w of panel) ok([...who.h, 'trust', 'add', w.id, '--for', 'marathon'], 0);
    const claim = (ok([...holder.h, 'feat', 'claim', 'Marathon under 3h', '--type', 'marathon', '--policy', 'k-of-n:3', '--json'], 0) as { cid: string }).cid;
    attest(holder, claim, panel, 0);
    const other = (ok([...observer.h, 'feat', 'claim', 'Marathon under 3h 30', '--type', 'marathon', '--policy', 'k-of-n:3', '--json'], 0) as { cid: string }).cid;
    attest(observer, other, panel, 0);
    expect(ok([...observer.h, 'feat', 'status', other, '--json'], 0)).toEqual({ met: true, have: 3, need: 3 });
    const proof = F('proof.json');
    ok([...holder.h, 'prove', 'feat', claim, '--nonce', '11', '--out', proof], 0);

    // The stranger, shown the proof, challenges it; the challenge reaches the holder through its mailboxes.
    const sent = ok([...stranger.h, 'challenge', 'send', proof, '--deadline', iso(25), ...panelArgs, '--k', '2', ...net(), '--json'], 1) as { id: string; holder: string; claim: string; delivered: { deposited: number }[] };
    expect(sent).toMatchObject({ holder: holder.id, claim });
    expect(sent.delivered[0]!.deposited).toBeGreaterThanOrEqual(1);
    const challengeMail = mailFrom(holder, stranger, 'challenge', 2);
    const listed = ok([...holder.h, 'challenge', 'list', '--json'], 2) as { incoming: { mail: string; id: string; claim: string }[] };
    expect(listed.incoming).toEqual([expect.objectContaining({ mail: challengeMail, id: sent.id, claim })]);

    // The holder declines; the answer goes back by mail; the stranger resolves from it, signs the outcome, and
    // leaves the refutation at the 3 witnesses' replicas.
    ok([...holder.h, 'challenge', 'answer', challengeMail, 'decline', ...net()], 2);
    const answerMail = mailFrom(stranger, holder, 'challenge', 3);
    const won = ok([...stranger.h, 'challenge', 'resolve', sent.id, '--answer', answerMail, '--public', F('outcome.public'), ...net(), '--json'], 3) as {
      result: string; winner: string; refutes: string; refutation: { accused: string[]; spread: number }; delivered: { deposited: number }[];
    };
    expect(won).toMatchObject({ result: 'declined', winner: stranger.id, refutes: claim });
    expect([...won.refutation.accused].sort()).toEqual(panel.map((w) => w.id).sort());
    expect(won.refutation.spread).toBeGreaterThanOrEqual(3);
    expect(won.delivered[0]!.deposited).toBeGreaterThanOrEqual(1);

    // The holder takes the outcome from its mail: the claim is refuted, and prove feat refuses it.
    const outcomeMail = mailFrom(holder, stranger, 'challenge', 4);
    expect(ok([...holder.h, 'challenge', 'import', outcomeMail, '--json'], 4)).toMatchObject({ result: 'declined', winner: stranger.id, refutes: claim });
    expect(ok([...holder.h, 'feat', 'status', claim, '--json'], 4)).toEqual({ met: false, have: 3, need: 3, refuted: sent.id });
    expectCleanError(run([...holder.h, 'prove', 'feat', claim, '--nonce', '12', '--out', F('again.json')], at(4)), /refuted/);
    const refused = run(['verify-proof', proof, '--nonce', '11', '--outcome', F('outcome.public'), '--json'], { env: { HOME: F('verifier'), DEFAUST_PASSPHRASE: undefined } });
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({ valid: false, refutedBy: sent.id });

    // The observer asks each witness's replicas: the refutation is found, checked, and bars the witness for the
    // cooldown from the outcome's time; their sign-offs no longer meet the observer's own claim.
    // One piece names all three: taken when asking about the first, held already for the others.
    for (const [i, w] of panel.entries()) {
      const view = ok([...observer.h, 'honor', w.id, ...net(), '--json'], 5) as { status: string; until: number; evidence: { kind: string; claim: string }[]; gathered: { taken: number; refused: string[] } };
      expect(view).toMatchObject({ status: 'barred', until: T0 + 3 * HOUR + COOLDOWN, gathered: { taken: i === 0 ? 1 : 0, refused: [] } });
      expect(view.evidence).toEqual([expect.objectContaining({ kind: 'refutation', claim })]);
    }
    expect(ok([...observer.h, 'feat', 'status', other, '--json'], 5)).toEqual({ met: false, have: 0, need: 3 });
    // Past the cooldown the bar is over (the evidence stays).
    expect(ok([...observer.h, 'honor', w1.id, '--json'], 3 + 180 * 24 + 1)).toMatchObject({ status: 'good' });

    // The holder challenges back: the stranger's own marathon (attested by the observer), proven.
    ok([...stranger.h, 'trust', 'add', observer.id, '--for', 'marathon'], 6);
    const theirs = (ok([...stranger.h, 'feat', 'claim', 'Marathon under 4h', '--type', 'marathon', '--policy', 'k-of-n:1', '--json'], 6) as { cid: string }).cid;
    attest(stranger, theirs, [observer], 6);
    ok([...stranger.h, 'prove', 'feat', theirs, '--nonce', '13', '--out', F('theirs.json')], 6);
    const back = ok([...holder.h, 'challenge', 'back', sent.id, F('theirs.json'), '--deadline', iso(30), '--witness', w1.id, ...net(), '--json'], 7) as { id: string };
    expect(back).toMatchObject({ holder: stranger.id, claim: theirs, counter: sent.id });

    // The stranger accepts in time (and never re-performs); past the deadline its chain moves on and is published.
    const counterMail = mailFrom(stranger, holder, 'challenge', 8);
    ok([...stranger.h, 'challenge', 'answer', counterMail, 'accept', ...net()], 8);
    ok([...stranger.h, 'set', 'public', 'name', 'Stranger'], 31);
    ok([...stranger.h, 'publish', ...net()], 31);
    // A timeout, from the stranger's chain fetched from its replicas, is refused: it shows the answer in time.
    expectCleanError(run([...holder.h, 'challenge', 'resolve', back.id, ...net()], at(32)), /answered in time/);
    // With the accept from the mail, the same chain shows no win by the deadline: the holder wins as failed.
    const acceptMail = mailFrom(holder, stranger, 'challenge', 32);
    expect(ok([...holder.h, 'challenge', 'resolve', back.id, '--answer', acceptMail, ...net(), '--json'], 32)).toMatchObject({ result: 'failed', winner: holder.id, refutes: theirs });

    // A duel by mail: proposed to the stranger, accepted, judged by the 3 witnesses from their mail (2 say a).
    const duel = (ok([...holder.h, 'duel', 'propose', stranger.id, 'Chess, one game', '--type', 'chess', '--at', iso(40), '--judge-until', iso(46), ...panelArgs, '--k', '2', ...net(), '--json'], 33) as { id: string }).id;
    ok([...stranger.h, 'duel', 'accept', mailFrom(stranger, holder, 'duel', 34), ...net()], 34);
    ok([...holder.h, 'duel', 'accept', mailFrom(holder, stranger, 'duel', 35)], 35);
    for (const [i, w] of panel.entries()) ok([...w.h, 'duel', 'judge', mailFrom(w, stranger, 'duel', 41), i < 2 ? 'a' : 'b', ...net()], 41);
    const { waiting } = ok([...holder.h, 'mail', ...net(), '--json'], 42) as { waiting: Waiting[] };
    const verdicts = panel.map((w) => waiting.find((m) => m.from === w.id && m.kind === 'duel')!.id);
    const duelWon = ok([...holder.h, 'duel', 'resolve', duel, ...verdicts.flatMap((v) => ['--verdict', v]), ...net(), '--json'], 42) as { winner: string; claim: string };
    expect(duelWon.winner).toBe('a');
    ok([...stranger.h, 'duel', 'import', mailFrom(stranger, holder, 'duel', 43)], 43);
    expect((ok([...stranger.h, 'duel', 'list', '--json'], 43) as { state: { verdict: string } }[])[0]!.state.verdict).toBe('a');

    // The won duel is a feat the holder proves (the holder holds no evidence against these judges: honor is each observer's).
    for (const w of panel) ok([...holder.h, 'trust', 'add', w.id, '--for', 'chess'], 43);
    expect(ok([...holder.h, 'feat', 'status', duelWon.claim, '--json'], 43)).toEqual({ met: true, have: 2, need: 2 });
    const root = (ok([...holder.h, 'trust', 'root', '--for', 'chess', '--json'], 43) as { root: string }).root;
    ok([...holder.h, 'prove', 'feat', duelWon.claim, '--nonce', '14', '--out', F('duel.json')], 43);
    const verified = run(['verify-proof', F('duel.json'), '--trust-root', root, '--nonce', '14', '--json'], { env: { HOME: F('verifier'), DEFAUST_PASSPHRASE: undefined } });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({ valid: true, claim: duelWon.claim, featType: 'chess', witnesses: 2 });
  }, 3_600_000);
});
