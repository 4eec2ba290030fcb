// Proofs that follow the claim's policy, on real homes through the CLI: a 2-of-n claim proves with two
// trusted witnesses and verifies (and is refused where 3 are asked for); a claim a trusted authority (a
// trainer) signed off proves with the authority circuit against the holder's authorities root; an untrusted
// witness's yes counts toward neither the status nor the proof.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

describe('feat proofs by policy (CLI)', { timeout: 300_000 }, () => {
  it('2-of-n and authority claims prove and verify; the verifier can ask for a policy', () => {
    const dir = tempDir();
    const home = (name: string) => ['--home', join(dir, name)];
    const H = home('holder');
    run([...H, 'init']);
    const [w1, w2, stranger, trainer] = ['w1', 'w2', 'stranger', 'trainer'].map((name) => ({ name, id: run([...home(name), 'init', '--json']).json().id as string }));
    for (const w of [w1!, w2!]) expect(run([...H, 'trust', 'add', w.id, '--for', 'lifting']).code).toBe(0);
    expect(run([...H, 'trust', 'add', trainer!.id, '--for', 'lifting', '--authority']).code).toBe(0);
    const attest = (cid: string, witnesses: { name: string; id: string }[], tag: string) => {
      const requests = run([...H, 'attest', 'request', cid, ...witnesses.flatMap((w) => ['--witness', w.id]), '--out', join(dir, `req-${tag}`), '--json']).json() as { witness: string; file: string }[];
      for (const [i, r] of requests.entries()) {
        const w = witnesses.find((x) => x.id === r.witness)!;
        const reply = join(dir, `reply-${tag}-${i}`);
        expect(run([...home(w.name), 'attest', 'sign', r.file, '--verdict', 'yes', '--out', reply]).code).toBe(0);
        const imported = run([...H, 'attest', 'import', reply]);
        expect(imported.code, imported.stderr).toBe(0);
      }
    };
    const nowhere = { env: { HOME: join(dir, 'third-party'), DEFAUST_PASSPHRASE: undefined } };

    // 2-of-n: a stranger's yes does not count; two trusted witnesses meet the policy and prove it.
    const pair = run([...H, 'feat', 'claim', 'Deadlift 200 kg', '--type', 'lifting', '--policy', 'k-of-n:2', '--json']).json().cid as string;
    attest(pair, [w1!, stranger!], 'pair-1');
    expect(run([...H, 'feat', 'status', pair, '--json']).json()).toEqual({ met: false, have: 1, need: 2 });
    expectCleanError(run([...H, 'prove', 'feat', pair, '--nonce', '7', '--out', join(dir, 'no.json')]), /needs 2 distinct trusted witnesses; 1 signed/);
    attest(pair, [w2!], 'pair-2');
    expect(run([...H, 'feat', 'status', pair, '--json']).json()).toEqual({ met: true, have: 2, need: 2 });
    const witnessRoot = run([...H, 'trust', 'root', '--for', 'lifting', '--json']).json().root as string;
    const pairProof = join(dir, 'pair.json');
    const proved = run([...H, 'prove', 'feat', pair, '--nonce', '7', '--out', pairProof]);
    expect(proved.code, proved.stderr).toBe(0);
    const verified = run(['verify-proof', pairProof, '--trust-root', witnessRoot, '--nonce', '7', '--policy', 'k-of-n:2', '--json'], nowhere);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({ valid: true, claim: pair, proves: 'k-of-n', witnesses: 2, root: witnessRoot, policy: { kind: 'k-of-n', k: 2 } });
    const asksThree = run(['verify-proof', pairProof, '--trust-root', witnessRoot, '--nonce', '7', '--policy', 'k-of-n:3', '--json'], nowhere);
    expect(asksThree.code).toBe(1);
    expect(asksThree.json()).toMatchObject({ valid: false, reason: 'the proof shows 2 witnesses; 3 are asked for' });
    expect(run(['verify-proof', pairProof, '--policy', 'authority', '--json'], nowhere).json()).toMatchObject({ valid: false, reason: expect.stringMatching(/not an authority's/) });

    // authority: a trusted witness's yes does not meet it; the trainer's does, and proves it.
    const lift = run([...H, 'feat', 'claim', 'Clean and jerk form', '--type', 'lifting', '--policy', 'authority', '--json']).json().cid as string;
    attest(lift, [w1!], 'lift-1');
    expect(run([...H, 'feat', 'status', lift, '--json']).json()).toEqual({ met: false, have: 0, need: 1 });
    expectCleanError(run([...H, 'prove', 'feat', lift, '--nonce', '8', '--out', join(dir, 'no2.json')]), /needs a trusted authority; none signed/);
    attest(lift, [trainer!], 'lift-2');
    expect(run([...H, 'feat', 'status', lift, '--json']).json()).toEqual({ met: true, have: 1, need: 1 });
    const authorityRoot = run([...H, 'trust', 'root', '--for', 'lifting', '--authorities', '--json']).json() as { root: string; members: string[] };
    expect(authorityRoot.members).toEqual([trainer!.id]);
    const liftProof = join(dir, 'lift.json');
    expect(run([...H, 'prove', 'feat', lift, '--nonce', '8', '--out', liftProof]).code).toBe(0);
    const ok = run(['verify-proof', liftProof, '--trust-root', authorityRoot.root, '--nonce', '8', '--policy', 'authority', '--json'], nowhere);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ valid: true, claim: lift, proves: 'authority', witnesses: 1, policy: { kind: 'authority' } });
    expect(run(['verify-proof', liftProof, '--trust-root', witnessRoot, '--json'], nowhere).json()).toMatchObject({ valid: false, reason: expect.stringMatching(/root differs/) });
    expect(run(['verify-proof', liftProof, '--policy', 'k-of-n:1', '--json'], nowhere).json()).toMatchObject({ valid: false, reason: expect.stringMatching(/^the proof shows an authority's yes/) });
  });
});
