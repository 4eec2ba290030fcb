// Attribute proofs as people use them: an issuer signs the holder's age, the holder proves it satisfies a
// predicate for a nonce; a verifier with no home of its own, no network and no contact with the holder checks
// the file against the issuer it trusts (its archived genesis); tampering and false claims never pass.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

describe('attribute proofs (CLI)', { timeout: 600_000 }, () => {
  it('prove ≥ / ∈ and verify without a home; a tampered or re-targeted proof is refused', () => {
    const dir = tempDir();
    const A = ['--home', join(dir, 'alice')];
    const D = ['--home', join(dir, 'doctor')];
    const id = run([...A, 'init', '--json']).json().id as string;
    const doctor = run([...D, 'init', '--json']).json().id as string;
    const archive = (home: string[], name: string) => {
      const file = join(dir, `${name}.archive`);
      expect(run([...home, 'export', '--out', file, '--force']).code).toBe(0);
      return ['--archive', file];
    };
    expect(run([...D, 'attribute', 'issue', '--holder', id, '--field', 'age', '--value', '34', '--out', join(dir, 'cred.json'), ...archive(A, 'alice')]).code).toBe(0);
    expect(run([...A, 'attribute', 'import', join(dir, 'cred.json')]).code).toBe(0);
    const trusted = ['--trust', doctor, ...archive(D, 'doctor')];

    const proof = join(dir, 'age.json');
    const made = run([...A, 'prove', 'attribute', '--field', 'age', '--op', 'gte', '--bound', '18', '--nonce', '5', '--out', proof, '--json']);
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(proof, 'utf8')).not.toMatch(/"34"/);

    const nowhere = { env: { HOME: join(dir, 'verifier-has-no-home'), DEFAUST_PASSPHRASE: undefined } };
    const verified = run(['verify-proof', proof, '--nonce', '5', ...trusted, '--json'], nowhere);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toMatchObject({ valid: true, kind: 'attribute', holder: id, issuer: doctor, field: 'age', op: 'gte', bound: '18', nonce: '5' });

    const inSet = join(dir, 'in.json');
    expect(run([...A, 'prove', 'attribute', '--field', 'age', '--op', 'in', '--bound', '30,34,40', '--nonce', '5', '--out', inSet]).code).toBe(0);
    expect(run(['verify-proof', inSet, '--nonce', '5', ...trusted, '--json'], nowhere).json()).toMatchObject({ valid: true, op: 'in', set: ['30', '34', '40'] });

    // Claiming the proof is about another field, or changing the bound, or the proof itself: refused.
    const file = JSON.parse(readFileSync(proof, 'utf8'));
    writeFileSync(join(dir, 'other-field.json'), JSON.stringify({ ...file, field: 'weight' }));
    expectCleanError(run(['verify-proof', join(dir, 'other-field.json'), '--nonce', '5', ...trusted], nowhere), /not about the field weight/);
    writeFileSync(join(dir, 'bound.json'), JSON.stringify({ ...file, publicSignals: file.publicSignals.map((s: string, i: number) => (i === 6 ? '30' : s)) }));
    const bound = run(['verify-proof', join(dir, 'bound.json'), '--nonce', '5', ...trusted, '--json'], nowhere);
    expect(bound.code).toBe(1);
    expect(bound.json()).toMatchObject({ valid: false, reason: 'the proof does not verify' });
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify({ ...file, proof: { ...file.proof, pi_c: [file.proof.pi_a[0], file.proof.pi_c[1], '1'] } }));
    expect(run(['verify-proof', join(dir, 'tampered.json'), '--nonce', '5', ...trusted], nowhere).code).toBe(1);

    // No proof for a false claim, nor without an --op, nor for a field no issuer signed.
    expectCleanError(run([...A, 'prove', 'attribute', '--field', 'age', '--op', 'gte', '--bound', '40', '--nonce', '5', '--out', join(dir, 'x.json')]), /does not satisfy/);
    expectCleanError(run([...A, 'prove', 'attribute', '--field', 'age', '--bound', '1', '--nonce', '5', '--out', join(dir, 'z.json')]), /--op gte, lte, eq or in/, 2);
    expectCleanError(run([...A, 'prove', 'attribute', '--field', 'name', '--op', 'gte', '--bound', '1', '--nonce', '5', '--out', join(dir, 'y.json')]), /no credential for name/);
    expectCleanError(run(['verify-proof', join(dir, 'missing.json')], nowhere), /no such file/);
  });
});
