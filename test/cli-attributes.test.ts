// Issuer-bound attributes on real homes, as people would run them: a doctor issues a holder's age, the holder
// imports it and proves "age ≥ 18" for a verifier's nonce; the verifier takes the proof against the issuers it
// trusts (named, or a registry's published list, their keys from archived genesis blocks) once — and refuses
// it without a trusted issuer, against another issuer, for a self-issued value, and when replayed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

describe('attribute credentials and proofs (CLI, real homes)', { timeout: 900_000 }, () => {
  it('issue → import → nonce → prove → verify against the trusted issuer; refused otherwise', () => {
    const dir = tempDir();
    const home = (name: string) => ['--home', join(dir, name)];
    const made = (name: string) => ({ name, id: run([...home(name), 'init', '--json']).json().id as string });
    const [doctor, holder, quack, registry, stranger] = ['doctor', 'holder', 'quack', 'registry', 'stranger'].map(made) as [ReturnType<typeof made>, ReturnType<typeof made>, ReturnType<typeof made>, ReturnType<typeof made>, ReturnType<typeof made>];
    const archive = (w: { name: string }) => {
      const file = join(dir, `${w.name}.archive`);
      expect(run([...home(w.name), 'export', '--out', file, '--force']).code).toBe(0);
      return ['--archive', file];
    };
    const H = home(holder.name);

    // The doctor reads the holder's key from the holder's archived genesis and signs age = 34 for that holder.
    const credential = join(dir, 'age.json');
    const issued = run([...home(doctor.name), 'attribute', 'issue', '--holder', holder.id, '--field', 'age', '--value', '34', '--out', credential, ...archive(holder)]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toContain(`signed: ${holder.id}'s age is 34`);
    expectCleanError(run([...home(doctor.name), 'attribute', 'issue', '--holder', holder.id, '--field', 'age', '--value', '34', '--out', join(dir, 'x.json')]), /no copy of did:\S+'s chain here/u);
    expectCleanError(run([...home(doctor.name), 'attribute', 'issue', '--holder', holder.id, '--field', 'Age!', '--value', '34', ...archive(holder)]), /a field tag is 1–40 lower-case letters/u);
    expectCleanError(run([...home(doctor.name), 'attribute', 'issue', '--holder', holder.id, '--field', 'age', '--value', '1.5', ...archive(holder)]), /an attribute value is a whole number/u);

    // Only the holder it was issued to keeps it, and only as the doctor signed it.
    expectCleanError(run([...home(stranger.name), 'attribute', 'import', credential]), /the credential was issued to did:\S+, not to did:/u);
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, readFileSync(credential, 'utf8').replace('"value": "34"', '"value": "35"'));
    expectCleanError(run([...H, 'attribute', 'import', tampered]), /the issuer's signature does not verify/u);
    expectCleanError(run([...H, 'attribute', 'import', join(dir, 'holder.archive')]), /not an attribute credential/u);
    const imported = run([...H, 'attribute', 'import', credential]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toBe(`kept ${doctor.id}'s credential: age = 34`);
    // A value the holder signs about itself is kept too, but proves nothing to a verifier who trusts the doctor.
    const selfIssued = join(dir, 'self.json');
    expect(run([...H, 'attribute', 'issue', '--holder', holder.id, '--field', 'age', '--value', '99', '--out', selfIssued]).code).toBe(0);
    expect(run([...H, 'attribute', 'import', selfIssued]).code).toBe(0);
    const listed = run([...H, 'attribute', 'list', '--json']).json() as { issuer: string; field: string; value: string }[];
    expect(listed.map((c) => [c.issuer, c.field, c.value]).sort()).toEqual([[doctor.id, 'age', '34'], [holder.id, 'age', '99']].sort());

    // The verifier asks for a proof; the holder proves over the doctor's credential, then over its own.
    const V = home('verifier');
    const ask = () => run([...V, 'verify', 'request', '--json']).json().nonce as string;
    const nonce = ask();
    const proof = join(dir, 'proof.json');
    const proved = run([...H, 'prove', 'attribute', '--field', 'age', '--op', 'gte', '--bound', '18', '--nonce', nonce, '--issuer', doctor.id, '--out', proof]);
    expect(proved.code, proved.stderr).toBe(0);
    expect(proved.stdout.trim()).toBe(`wrote a proof that age ≥ 18 (issued by ${doctor.id}) to ${proof}`);
    expect(readFileSync(proof, 'utf8')).not.toMatch(/"34"|"value"/u);
    expectCleanError(run([...H, 'prove', 'attribute', '--field', 'age', '--op', 'lte', '--bound', '18', '--nonce', nonce, '--issuer', doctor.id, '--out', join(dir, 'no.json')]), /does not satisfy the predicate/u);
    expectCleanError(run([...H, 'prove', 'attribute', '--field', 'height', '--op', 'gte', '--bound', '1', '--nonce', nonce, '--out', join(dir, 'no.json')]), /no credential for height is held here/u);
    const selfNonce = ask();
    const selfProof = join(dir, 'self-proof.json');
    expect(run([...H, 'prove', 'attribute', '--field', 'age', '--op', 'gte', '--bound', '18', '--nonce', selfNonce, '--issuer', holder.id, '--out', selfProof]).code).toBe(0);

    const verify = (file: string, ...extra: string[]) => run([...V, 'verify-proof', file, ...extra]);
    // Without a trusted issuer: refused, in one line, and the nonce is not spent.
    const bare = verify(proof);
    expect([bare.code, bare.stdout.trim()]).toEqual([1, 'INVALID: an attribute proof needs the issuers you trust: name them (--trust did,… or --trust-list AUTHORITY)']);
    // Against another issuer; and the self-issued value against the doctor: refused.
    const other = verify(proof, '--trust', quack.id, ...archive(quack), '--json');
    expect(other.code).toBe(1);
    expect(other.json()).toMatchObject({ valid: false, kind: 'attribute', issuer: null, members: 1, reason: `the credential was not signed by an issuer on the 1 member named (the file names ${doctor.id})` });
    expect(verify(selfProof, '--trust', doctor.id, ...archive(doctor), '--json').json()).toMatchObject({ valid: false, reason: expect.stringMatching(/^the credential was not signed by an issuer on/u) });
    // Against the doctor: valid, once.
    const taken = verify(proof, '--trust', `${quack.id},${doctor.id}`, ...archive(doctor), ...archive(quack));
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stdout).toBe(`VALID: ${holder.id}'s age ≥ 18, issued by ${doctor.id}\nchecked against the 2 members named\n`);
    const replay = verify(proof, '--trust', doctor.id, ...archive(doctor), '--json');
    expect(replay.code).toBe(1);
    expect(replay.json()).toMatchObject({ valid: false, refused: 'already-used', reason: expect.stringMatching(/\(replay\)$/u) });
    expect(run([...home('elsewhere'), 'verify-proof', proof, '--trust', doctor.id, ...archive(doctor), '--json']).json()).toMatchObject({ valid: false, refused: 'unknown' });
    // A registry's published list of issuers for "age", recomputed by the verifier; a stated nonce is checked alone.
    expect(run([...home(registry.name), 'trust', 'add', doctor.id, '--for', 'age', '--public']).code).toBe(0);
    const byList = verify(proof, '--trust-list', registry.id, ...archive(registry), ...archive(doctor), '--nonce', nonce, '--json');
    expect(byList.code, byList.stderr).toBe(0);
    expect(byList.json()).toMatchObject({ valid: true, kind: 'attribute', holder: holder.id, issuer: doctor.id, field: 'age', op: 'gte', bound: '18', nonce, list: { authority: registry.id, featType: 'age' } });
    expect(verify(proof, '--trust', doctor.id, ...archive(doctor), '--nonce', '7', '--json').json()).toMatchObject({ valid: false, reason: 'the proof was made for another nonce (replay)' });
    expect(verify(proof, '--trust-root', '12345', '--nonce', nonce, '--json').json()).toMatchObject({ valid: false, reason: expect.stringMatching(/not a root/u) });
  });
});
