// The access scenario of DESIGN §4, as two people would run it with the CLI: grants, reading from an
// archive while the owner is gone, expiry, revocation, change requests.
import { renameSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

describe('access scenario (CLI)', () => {
  it('grant, read while the owner is gone, expiry, revocation, change request', () => {
    const dir = tempDir();
    const A = ['--home', join(dir, 'alice')];
    const B = ['--home', join(dir, 'bob')];
    const now = (iso: string) => ({ env: { DEFAUST_NOW: iso } });
    const alice = run([...A, 'init', '--json'], now('2030-01-10T10:00:00Z')).json().id as string;
    const bob = run([...B, 'init', '--json']).json().id as string;

    // Alice writes, and grants Bob read on contact until the end of January, nothing on health.
    expect(run([...A, 'set', 'contact', 'email', 'alice@example.org'], now('2030-01-10T11:00:00Z')).code).toBe(0);
    expect(run([...A, 'set', 'health', 'blood', 'O+'], now('2030-01-10T11:00:00Z')).code).toBe(0);
    const granted = run([...A, 'grant', bob, 'contact', '--rights', 'read', '--until', '2030-01-31', '--json'], now('2030-01-10T12:00:00Z'));
    expect(granted.code, granted.stderr).toBe(0);
    expect(run([...A, 'grants', '--json']).json()).toEqual([
      { grantee: bob, section: 'contact', rights: 'read', from: '2030-01-10T00:00:00.000Z', until: '2030-01-31T23:59:59.999Z' },
    ]);
    const archive1 = join(dir, 'alice-1.defaust');
    run([...A, 'export', '--out', archive1]);

    // Alice's machine is gone: Bob reads from the archive alone.
    renameSync(join(dir, 'alice'), join(dir, 'alice-away'));
    expect(run([...B, 'read', archive1, '--json']).json()).toEqual({ contact: { email: 'alice@example.org' } });
    expectCleanError(run([...B, 'read', archive1, 'health']), /no grant for section health/);
    renameSync(join(dir, 'alice-away'), join(dir, 'alice'));

    // After the grant's end, what Alice writes is sealed to Bob.
    run([...A, 'set', 'contact', 'email', 'alice@new.example.org'], now('2030-02-15T09:00:00Z'));
    const archive2 = join(dir, 'alice-2.defaust');
    run([...A, 'export', '--out', archive2]);
    expect(run([...B, 'read', archive2, 'contact', '--json']).json()).toEqual({ contact: { email: 'alice@example.org' } });

    // A new grant, then revocation: what was read stays read; what is written afterwards is sealed.
    // A grant may reach back: --from opens the epochs since then.
    run([...A, 'grant', bob, 'contact', '--rights', 'read', '--from', '2030-02-01', '--until', '2030-12-31'], now('2030-02-16T09:00:00Z'));
    const archive3 = join(dir, 'alice-3.defaust');
    run([...A, 'export', '--out', archive3]);
    expect(run([...B, 'read', archive3, 'contact', '--json']).json()).toEqual({ contact: { email: 'alice@new.example.org' } });
    const revoked = run([...A, 'revoke', bob, 'contact'], now('2030-02-20T09:00:00Z'));
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toMatch(/cannot be taken back/);
    run([...A, 'set', 'contact', 'phone', '+44 1234'], now('2030-02-21T09:00:00Z'));
    const archive4 = join(dir, 'alice-4.defaust');
    run([...A, 'export', '--out', archive4]);
    expect(run([...B, 'read', archive4, 'contact', '--json']).json()).toEqual({ contact: { email: 'alice@new.example.org' } });
    expect(run([...A, 'grants', '--json']).json()).toEqual([]);

    // Bob proposes a change to fitness; Alice approves; her chain verifies with Bob's signature inside.
    run([...A, 'grant', bob, 'fitness', '--rights', 'propose', '--until', '2030-12-31'], now('2030-03-01T09:00:00Z'));
    const archive5 = join(dir, 'alice-5.defaust');
    run([...A, 'export', '--out', archive5]);
    const request = join(dir, 'weight.request');
    const proposed = run([...B, 'propose', alice, 'fitness', 'weight', '58.5', '--type', 'number', '--archive', archive5, '--out', request, '--json']);
    expect(proposed.code, proposed.stderr).toBe(0);
    const { id } = proposed.json();
    const imported = run([...A, 'requests', 'import', request, '--json'], now('2030-03-02T09:00:00Z'));
    expect(imported.code, imported.stderr).toBe(0);
    expect(run([...A, 'requests', '--json']).json()).toMatchObject([{ id, from: bob, section: 'fitness', ops: [{ op: 'set', path: 'weight', value: 58.5 }] }]);
    expect(run([...A, 'approve', id], now('2030-03-02T10:00:00Z')).code).toBe(0);
    expect(run([...A, 'show', 'fitness', '--json']).json()).toEqual({ fitness: { weight: 58.5 } });
    expect(run([...A, 'requests', '--all', '--json']).json()).toMatchObject([{ id, status: 'approved', merge: { signatureValid: true } }]);
    const log = run([...A, 'log', '--json']).json() as { kind: string }[];
    expect(log[log.length - 1]!.kind).toBe('merge');
    expect(run([...A, 'verify', '--json']).json()).toMatchObject({ ok: true });

    // A replayed or forged request is refused with its reason, and nothing changes.
    const before = run([...A, 'log', '--json']).stdout;
    expectCleanError(run([...A, 'requests', 'import', request], now('2030-03-03T09:00:00Z')), /already received/);
    const forged = readFileSync(request);
    forged[forged.length - 5]! ^= 1;
    writeFileSync(join(dir, 'forged.request'), forged);
    expectCleanError(run([...A, 'requests', 'import', join(dir, 'forged.request')], now('2030-03-03T09:00:00Z')), /does not open|does not verify|does not decode/);
    expect(run([...A, 'log', '--json']).stdout).toBe(before);
  }, 180_000);
});
