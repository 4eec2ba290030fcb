// The feat scenario of DESIGN §6–7 as people run it: three witnesses sign a feat; the holder proves it; a
// third party verifies with the verification key and the trust root alone; with two signatures no proof.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

describe('feats, witnesses and proofs (CLI)', { timeout: 240_000 }, () => {
  it('claim, attest, status, trust root, prove, verify; replay and too few witnesses fail', () => {
    const dir = tempDir();
    const home = (name: string) => ['--home', join(dir, name)];
    const H = home('holder');
    run([...H, 'init']);
    const witnesses = ['w1', 'w2', 'w3', 'w4'].map((name) => ({ name, id: run([...home(name), 'init', '--json']).json().id as string }));
    for (const w of witnesses) expect(run([...H, 'trust', 'add', w.id, '--for', 'marathon']).code).toBe(0);

    const claimed = run([...H, 'feat', 'claim', 'Berlin marathon under 4 hours', '--type', 'marathon', '--policy', 'k-of-n:3', '--criteria', 'chip time < 4:00:00', '--json']);
    expect(claimed.code, claimed.stderr).toBe(0);
    const { cid } = claimed.json();
    const requests = run([...H, 'attest', 'request', cid, ...witnesses.slice(0, 3).flatMap((w) => ['--witness', w.id]), '--out', join(dir, 'requests'), '--json']).json() as { witness: string; file: string }[];
    expect(requests).toHaveLength(3);
    expect(run([...H, 'feat', 'status', cid, '--json']).json()).toEqual({ met: false, have: 0, need: 3 });

    for (const [i, r] of requests.entries()) {
      const w = witnesses.find((x) => x.id === r.witness)!;
      const reply = join(dir, `reply-${i}`);
      const signed = run([...home(w.name), 'attest', 'sign', r.file, '--verdict', 'yes', '--out', reply]);
      expect(signed.code, signed.stderr).toBe(0);
      expect(signed.stderr).toContain('Berlin marathon under 4 hours');
      const imported = run([...H, 'attest', 'import', reply, '--json']);
      expect(imported.code, imported.stderr).toBe(0);
      if (i === 0) expectCleanError(run([...H, 'attest', 'import', reply]), /already recorded/);
    }
    expect(run([...H, 'feat', 'status', cid, '--json']).json()).toEqual({ met: true, have: 3, need: 3 });
    // A witness cannot open a request addressed to someone else.
    expectCleanError(run([...home('w4'), 'attest', 'sign', requests[0]!.file, '--verdict', 'yes', '--out', join(dir, 'x')]), /addressed to someone else, not to you/);

    const root = run([...H, 'trust', 'root', '--json']).json() as { root: string; members: string[]; missing: string[] };
    expect(root.members).toHaveLength(3);
    expect(root.missing).toEqual([witnesses[3]!.id]);

    const proof = join(dir, 'feat-proof.json');
    const proved = run([...H, 'prove', 'feat', cid, '--nonce', '424242', '--out', proof]);
    expect(proved.code, proved.stderr).toBe(0);
    const nowhere = { env: { HOME: join(dir, 'third-party'), DEFAUST_PASSPHRASE: undefined } };
    const verified = run(['verify-proof', proof, '--trust-root', root.root, '--nonce', '424242', '--json'], nowhere);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({ valid: true, kind: 'feat', claim: cid, root: root.root, nonce: '424242' });
    const replay = run(['verify-proof', proof, '--trust-root', root.root, '--nonce', '1', '--json'], nowhere);
    expect(replay.code).toBe(1);
    expect(replay.json()).toMatchObject({ valid: false, reason: expect.stringMatching(/another nonce/) });
    expect(run(['verify-proof', proof, '--trust-root', '12345', '--json'], nowhere).json()).toMatchObject({ valid: false, reason: expect.stringMatching(/root differs/) });

    // Only two witnesses sign a second feat: no proof can be made.
    const second = run([...H, 'feat', 'claim', 'Half marathon', '--type', 'marathon', '--policy', 'k-of-n:3', '--json']).json().cid as string;
    const two = run([...H, 'attest', 'request', second, '--witness', witnesses[0]!.id, '--witness', witnesses[1]!.id, '--out', join(dir, 'requests2'), '--json']).json() as { witness: string; file: string }[];
    for (const [i, r] of two.entries()) {
      const w = witnesses.find((x) => x.id === r.witness)!;
      run([...home(w.name), 'attest', 'sign', r.file, '--verdict', 'yes', '--out', join(dir, `r2-${i}`)]);
      run([...H, 'attest', 'import', join(dir, `r2-${i}`)]);
    }
    expect(run([...H, 'feat', 'status', second, '--json']).json()).toEqual({ met: false, have: 2, need: 3 });
    expectCleanError(run([...H, 'prove', 'feat', second, '--nonce', '1', '--out', join(dir, 'no.json')]), /needs 3 distinct trusted witnesses; 2 signed/);
  });
});
