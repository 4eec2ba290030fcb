// Proofs as people use them: the owner proves a field satisfies a predicate; a verifier with no home, no
// network and no contact with the owner checks the file; tampering and false claims never pass.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

describe('attribute proofs (CLI)', { timeout: 180_000 }, () => {
  it('prove ≥ / ∈ and verify without a home; a tampered or re-targeted proof is refused', () => {
    const dir = tempDir();
    const A = ['--home', join(dir, 'alice')];
    const id = run([...A, 'init', '--json']).json().id as string;
    run([...A, 'set', 'fitness', 'age', '34', '--type', 'number']);
    run([...A, 'set', 'public', 'name', 'Alice']);

    const proof = join(dir, 'age.json');
    const made = run([...A, 'prove', 'attribute', 'fitness', 'age', '--gte', '18', '--out', proof, '--json']);
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(proof, 'utf8')).not.toMatch(/"34"/);

    const nowhere = { env: { HOME: join(dir, 'verifier-has-no-home'), DEFAUST_PASSPHRASE: undefined } };
    const verified = run(['verify-proof', proof, '--json'], nowhere);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.json()).toEqual({ valid: true, kind: 'attribute', owner: id, field: 'fitness/age', op: 'gte', bound: '18' });

    const inSet = join(dir, 'in.json');
    expect(run([...A, 'prove', 'attribute', 'fitness', 'age', '--in', '30,34,40', '--out', inSet]).code).toBe(0);
    expect(run(['verify-proof', inSet, '--json'], nowhere).json()).toMatchObject({ valid: true, op: 'in', set: ['30', '34', '40', '30'] });

    // Claiming the proof is about another field, or changing the bound, or the proof itself: refused.
    const file = JSON.parse(readFileSync(proof, 'utf8'));
    writeFileSync(join(dir, 'other-field.json'), JSON.stringify({ ...file, path: 'weight' }));
    expectCleanError(run(['verify-proof', join(dir, 'other-field.json')], nowhere), /not about fitness\/weight/);
    writeFileSync(join(dir, 'bound.json'), JSON.stringify({ ...file, publicSignals: file.publicSignals.map((s: string, i: number) => (i === 4 ? '30' : s)) }));
    const bound = run(['verify-proof', join(dir, 'bound.json'), '--json'], nowhere);
    expect(bound.code).toBe(1);
    expect(bound.json()).toMatchObject({ valid: false, reason: 'the proof does not verify' });
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify({ ...file, proof: { ...file.proof, pi_c: [file.proof.pi_a[0], file.proof.pi_c[1], '1'] } }));
    expect(run(['verify-proof', join(dir, 'tampered.json')], nowhere).code).toBe(1);

    // No proof for a false claim, nor for a field that is not a whole number.
    expectCleanError(run([...A, 'prove', 'attribute', 'fitness', 'age', '--gte', '40', '--out', join(dir, 'x.json')]), /does not satisfy/);
    expectCleanError(run([...A, 'prove', 'attribute', 'public', 'name', '--gte', '1', '--out', join(dir, 'y.json')]), /whole number/);
    expectCleanError(run([...A, 'prove', 'attribute', 'fitness', 'age', '--gte', '1', '--lte', '2', '--out', join(dir, 'z.json')]), /exactly one/, 2);
    expectCleanError(run(['verify-proof', join(dir, 'missing.json')], nowhere), /no such file/);
  });
});
