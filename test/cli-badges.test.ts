// Open Badges on real homes through the CLI: a feat attested by 2 trusted witnesses is exported as an Open
// Badge; a third party with no identity verifies it offline (issuer, achievement, endorsers, status unknown);
// a changed file is INVALID with the refusal's code; a feat not met yet is refused. Then the feat is challenged
// and the holder declines: the claim is refuted, so the badge verifies as REVOKED from the holder's chain
// (the holder's home) and from the signed outcome (the third party), and no new badge is made for it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

const T0 = Date.parse('2027-03-01T10:00:00Z');
const at = (hours: number) => ({ env: { DEFAUST_NOW: new Date(T0 + hours * 3_600_000).toISOString() } });
const iso = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

describe('Open Badges (CLI)', { timeout: 1_800_000 }, () => {
  it('badge export → verify offline; tampered INVALID; unmet refused; refuted → REVOKED', () => {
    const dir = tempDir();
    const F = (name: string) => join(dir, name);
    const home = (name: string) => ['--home', F(name)];
    const ok = (r: ReturnType<typeof run>) => {
      expect(r.code, r.stderr).toBe(0);
      return /^[[{]/u.test(r.stdout.trim()) ? r.json() : null;
    };
    const id = (name: string) => (ok(run([...home(name), 'init', '--json'], at(0))) as { id: string }).id;
    const [holder, stranger, w1, w2] = ['holder', 'stranger', 'w1', 'w2'].map((name) => ({ name, id: id(name), h: home(name) }));
    const panel = [w1!, w2!];
    for (const w of panel) ok(run([...holder!.h, 'trust', 'add', w.id, '--for', 'marathon'], at(0)));
    const claim = (ok(run([...holder!.h, 'feat', 'claim', 'Marathon under 3h', '--type', 'marathon', '--policy', 'k-of-n:2', '--criteria', 'chip time < 3:00:00', '--json'], at(0))) as { cid: string }).cid;
    // Not met yet: no badge.
    expectCleanError(run([...holder!.h, 'badge', 'export', claim, '--out', F('early.json')], at(0)), /0 of the 2 trusted yes/);
    const requests = ok(run([...holder!.h, 'attest', 'request', claim, ...panel.flatMap((w) => ['--witness', w.id]), '--out', F('req'), '--json'], at(1))) as { witness: string; file: string }[];
    for (const r of requests) {
      const w = panel.find((x) => x.id === r.witness)!;
      ok(run([...w.h, 'attest', 'sign', r.file, '--verdict', 'yes', '--out', F(`reply-${w.name}`)], at(1)));
      ok(run([...holder!.h, 'attest', 'import', F(`reply-${w.name}`)], at(1)));
    }

    const exported = ok(run([...holder!.h, 'badge', 'export', claim, '--out', F('badge.json'), '--json'], at(2))) as { issuer: string; endorsers: string[] };
    expect(exported).toMatchObject({ issuer: holder!.id, achievement: 'Marathon under 3h' });
    expect(exported.endorsers.sort()).toEqual(panel.map((w) => w.id).sort());
    const badge = JSON.parse(readFileSync(F('badge.json'), 'utf8')) as Record<string, unknown>;
    expect(badge).toMatchObject({ type: ['VerifiableCredential', 'OpenBadgeCredential'], proof: { cryptosuite: 'eddsa-jcs-2022' }, validFrom: '2027-03-01T12:00:00Z' });

    const nowhere = { env: { HOME: F('verifier'), DEFAUST_PASSPHRASE: undefined } };
    const text = run(['badge', 'verify', F('badge.json')], nowhere);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('VALID Open Badge: “Marathon under 3h” [marathon]');
    expect(text.stdout).toContain(`issuer: ${holder!.id}`);
    for (const w of panel) expect(text.stdout).toContain(w.id);
    expect(text.stdout).toMatch(/status: unknown/u);
    expect(ok(run(['badge', 'verify', F('badge.json'), '--json'], nowhere))).toMatchObject({ valid: true, badge: { claim, issuer: holder!.id }, status: { state: 'unknown' } });
    expect(ok(run([...holder!.h, 'badge', 'verify', F('badge.json'), '--json'], at(2)))).toMatchObject({ valid: true, status: { state: 'not-revoked' } });

    // A changed achievement name: the proof no longer verifies.
    writeFileSync(F('changed.json'), JSON.stringify({ ...badge, name: 'Marathon under 2h' }));
    const changed = run(['badge', 'verify', F('changed.json'), '--json'], nowhere);
    expect(changed.code).toBe(1);
    expect(changed.json()).toMatchObject({ valid: false, code: 'badge/signature' });
    writeFileSync(F('junk.json'), 'not json');
    expect(run(['badge', 'verify', F('junk.json'), '--json'], nowhere).json()).toMatchObject({ valid: false, code: 'badge/not-json' });

    // The feat is challenged; the holder declines: refuted.
    ok(run([...holder!.h, 'prove', 'feat', claim, '--nonce', '11', '--out', F('proof.json')], at(3)));
    const sent = ok(run([...stranger!.h, 'challenge', 'send', F('proof.json'), '--deadline', iso(24 * 7), ...panel.flatMap((w) => ['--witness', w.id]), '--k', '2', '--out', F('ch'), '--json'], at(4))) as { id: string };
    ok(run([...holder!.h, 'challenge', 'answer', F('ch'), 'decline', '--out', F('ans')], at(5)));
    ok(run([...stranger!.h, 'challenge', 'resolve', sent.id, '--answer', F('ans'), '--out', F('out'), '--public', F('out.public')], at(6)));
    ok(run([...holder!.h, 'challenge', 'import', F('out')], at(7)));

    expect(ok(run([...holder!.h, 'badge', 'verify', F('badge.json'), '--json'], at(8)))).toMatchObject({ valid: true, status: { state: 'revoked', challenge: sent.id, source: 'chain' } });
    const revoked = run(['badge', 'verify', F('badge.json'), '--outcome', F('out.public')], nowhere);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`REVOKED: the holder lost challenge ${sent.id}`);
    expectCleanError(run([...holder!.h, 'badge', 'export', claim, '--out', F('again.json')], at(8)), /refuted/);
  });
});
