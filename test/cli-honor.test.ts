// Honor as people use it from the CLI, on real homes: a witness whose chain forks (the proof handed over as
// a file) is barred for good in the holder's view, its sign-off no longer meets the policy and it leaves the
// trust root; a proof made against a list while it still held the witness is reported "stale root"; a review
// ("Report this witness") is signed, handed over and counted only when the observer trusts the reviewer; bad
// evidence (damaged, forged, a refutation with no checker here) is refused with one clean line, keeping nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { Home } from '../src-main/app/home.ts';
import { openSession } from '../src-main/app/session.ts';
import { exportArchive, importArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { encode } from '../src-main/core/chain/codec.ts';
import { EquivocationError } from '../src-main/core/chain/equivocation.ts';
import { encodeEvidence } from '../src-main/core/honor/evidence.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { crypto, deps, tempDir } from './helpers.ts';
import { expectCleanError, PASS, run, runMany } from './cli-helpers.ts';

/** Makes `dir`'s identity fork (its device writes two blocks at one seq) and returns the proof as an evidence file's bytes. */
function forkOf(dir: string): Uint8Array {
  const home = new Home(dir);
  try {
    const session = openSession(home, PASS);
    const copy = new MemoryChainStore();
    importArchive(crypto, copy, readArchive(crypto, home.exportArchive()));
    Profile.open(deps(copy), session.keys).set('public', 'name', 'B');
    session.profile.set('public', 'name', 'A');
    try {
      importArchive(crypto, home.store, readArchive(crypto, exportArchive(copy, session.profile.id)));
    } catch (error) {
      if (error instanceof EquivocationError) return encodeEvidence({ kind: 'equivocation', proof: error.proof });
      throw error;
    }
    throw new Error('no fork');
  } finally {
    home.close();
  }
}

describe('honor (CLI)', { timeout: 600_000 }, () => {
  it('a forked witness is barred for good: its sign-off stops counting, it leaves the root, an old proof is a stale root', () => {
    const dir = tempDir();
    const home = (name: string) => ['--home', join(dir, name)];
    const batch = (cases: string[][]) => runMany(cases.map((args) => ({ args })), join(dir, 'cases.json'));
    const [H, A, V] = [home('holder'), home('authority'), home('verifier')];
    const names = ['w1', 'w2'];
    const ids = batch([[...H, 'init'], [...A, 'init', '--json'], ...names.map((n) => [...home(n), 'init', '--json'])]).slice(1).map((r) => r.json().id as string);
    const [authority, w1, w2] = ids as [string, string, string];
    const witnesses = [{ name: 'w1', id: w1 }, { name: 'w2', id: w2 }];
    const claimed = batch([
      ...witnesses.flatMap((w) => [[...H, 'trust', 'add', w.id, '--for', 'lifting'], [...A, 'trust', 'add', w.id, '--for', 'lifting', '--public']]),
      [...H, 'feat', 'claim', 'Deadlift 200 kg', '--type', 'lifting', '--policy', 'k-of-n:2', '--json'],
    ]).at(-1)!;
    const { cid } = claimed.json() as { cid: string };
    const requests = run([...H, 'attest', 'request', cid, ...witnesses.flatMap((w) => ['--witness', w.id]), '--out', join(dir, 'requests'), '--json']).json() as { witness: string; file: string }[];
    const listFile = join(dir, 'authority.archive');
    const archives = ['--archive', listFile, ...witnesses.flatMap((w) => ['--archive', join(dir, `${w.name}.archive`)])];
    const signed = batch([
      ...requests.map((r, i) => [...home(witnesses.find((x) => x.id === r.witness)!.name), 'attest', 'sign', r.file, '--verdict', 'yes', '--out', join(dir, `reply-${i}`)]),
      ...requests.map((_, i) => [...H, 'attest', 'import', join(dir, `reply-${i}`)]),
      [...A, 'export', '--out', listFile],
      ...witnesses.map((w) => [...home(w.name), 'export', '--out', join(dir, `${w.name}.archive`)]),
      [...H, 'feat', 'status', cid, '--json'],
      [...H, 'honor', w2, '--json'],
      [...H, 'prove', 'feat', cid, '--nonce', '77', '--against', authority, ...archives, '--out', join(dir, 'proof.json')],
      [...V, 'verify-proof', join(dir, 'proof.json'), '--trust-list', authority, ...archives, '--nonce', '77', '--json'],
    ]);
    for (const r of signed) expect(r.code, r.stderr).toBe(0);
    expect(signed.at(-4)!.json()).toEqual({ met: true, have: 2, need: 2 });
    expect(signed.at(-3)!.json()).toMatchObject({ status: 'good', until: null, evidence: [] });
    expect(signed.at(-1)!.json()).toMatchObject({ valid: true });

    // The second witness forks its chain; the proof reaches the holder and the verifier as a file.
    const evidence = join(dir, 'fork.evidence');
    writeFileSync(evidence, forkOf(join(dir, 'w2')));
    const after = batch([
      [...H, 'evidence', 'import', evidence, '--json'],
      [...V, 'evidence', 'import', evidence, '--json'],
      [...H, 'evidence', 'import', evidence, '--json'],
      [...H, 'honor', w2, '--json'],
      [...H, 'honor', w2],
      [...H, 'feat', 'status', cid, '--json'],
      [...H, 'trust', 'root', '--for', 'lifting', '--json'],
      [...V, 'verify-proof', join(dir, 'proof.json'), '--trust-list', authority, ...archives, '--nonce', '77', '--json'],
    ]);
    for (const r of after.slice(0, 2)) expect(r.json(), r.stderr).toMatchObject({ kind: 'equivocation', accused: [w2], added: true });
    expect(after[2]!.json()).toMatchObject({ added: false });
    expect(after[3]!.json()).toMatchObject({ status: 'barred', until: null, evidence: [{ kind: 'equivocation' }] });
    expect(after[4]!.stdout).toContain('barred for good');
    expect(after[5]!.json()).toEqual({ met: false, have: 1, need: 2 });
    expect((after[6]!.json() as { members: string[] }).members).toEqual([w1]);
    expect(after[7]!.code).toBe(1);
    expect(after[7]!.json()).toMatchObject({ valid: false, stale: [w2], reason: expect.stringMatching(/^stale root/u) });
  });

  it('a review is signed, handed over as a file, and counts only when the observer trusts the reviewer; bad evidence is refused cleanly', () => {
    const dir = tempDir();
    const home = (name: string) => ['--home', join(dir, name)];
    const [O, R] = [home('observer'), home('reviewer')];
    run([...O, 'init']);
    const reviewer = run([...R, 'init', '--json']).json().id as string;
    const witness = run([...home('witness'), 'init', '--json']).json().id as string;
    const claim = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const file = join(dir, 'review.evidence');
    const reviewed = run([...R, 'review', claim, '--witness', witness, '--reason', 'was not at the meet', '--out', file, '--json']);
    expect(reviewed.json(), reviewed.stderr).toMatchObject({ reviewer, witness, claim, reason: 'was not at the meet' });
    expectCleanError(run([...R, 'review', claim, '--witness', reviewer, '--reason', 'me', '--out', join(dir, 'self')]), /cannot review themselves/u);
    expectCleanError(run([...R, 'review', 'not-a-cid', '--witness', witness, '--reason', 'x', '--out', join(dir, 'bad')]), /not a claim's CID/u);
    expect(run([...O, 'evidence', 'import', file, '--json']).json()).toMatchObject({ kind: 'review', accused: [witness], reviewer, added: true });
    expect(run([...O, 'honor', witness, '--json']).json()).toMatchObject({ status: 'good', reviews: { counted: 0, needed: 3 }, evidence: [{ kind: 'review' }] });
    expect(run([...O, 'trust', 'add', reviewer, '--for', '*']).code).toBe(0);
    expect(run([...O, 'honor', witness, '--json']).json()).toMatchObject({ status: 'good', reviews: { counted: 1, needed: 3 } });

    const damaged = join(dir, 'damaged');
    writeFileSync(damaged, new Uint8Array([0xa1, 0x61]));
    expectCleanError(run([...O, 'evidence', 'import', damaged]), /not DeFaust evidence/u);
    const refutation = join(dir, 'refutation');
    writeFileSync(refutation, encodeEvidence({ kind: 'refutation', claim, witnesses: [witness], outcomeBytes: encode({ any: 1 }) }));
    // A refutation is checked as the challenge outcome it carries: these bytes are none.
    expectCleanError(run([...O, 'evidence', 'import', refutation]), /this is not an outcome/u);
    expect(run([...O, 'honor', witness, '--json']).json()).toMatchObject({ status: 'good', evidence: [{ kind: 'review' }] });
  });
});
