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
import { expectCleanError, PASS, run } from './cli-helpers.ts';

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

describe('honor (CLI)', { timeout: 300_000 }, () => {
  it('a forked witness is barred for good: its sign-off stops counting, it leaves the root, an old proof is a stale root', () => {
    const dir = tempDir();
    const home = (name: string) => ['--home', join(dir, name)];
    const H = home('holder');
    const A = home('authority');
    run([...H, 'init']);
    run([...A, 'init']);
    const authority = run([...A, 'whoami', '--json']).json().id as string;
    const witnesses = ['w1', 'w2'].map((name) => ({ name, id: run([...home(name), 'init', '--json']).json().id as string }));
    for (const w of witnesses) expect(run([...H, 'trust', 'add', w.id, '--for', 'lifting']).code).toBe(0);
    const { cid } = run([...H, 'feat', 'claim', 'Deadlift 200 kg', '--type', 'lifting', '--policy', 'k-of-n:2', '--json']).json();
    const requests = run([...H, 'attest', 'request', cid, ...witnesses.flatMap((w) => ['--witness', w.id]), '--out', join(dir, 'requests'), '--json']).json() as { witness: string; file: string }[];
    for (const [i, r] of requests.entries()) {
      const w = witnesses.find((x) => x.id === r.witness)!;
      expect(run([...home(w.name), 'attest', 'sign', r.file, '--verdict', 'yes', '--out', join(dir, `reply-${i}`)]).code).toBe(0);
      expect(run([...H, 'attest', 'import', join(dir, `reply-${i}`)]).code).toBe(0);
    }
    expect(run([...H, 'feat', 'status', cid, '--json']).json()).toEqual({ met: true, have: 2, need: 2 });
    expect(run([...H, 'honor', witnesses[1]!.id, '--json']).json()).toMatchObject({ status: 'good', until: null, evidence: [] });
    // A verifier's list, published by an authority with both witnesses; a proof made against it while both are in it.
    for (const w of witnesses) expect(run([...A, 'trust', 'add', w.id, '--for', 'lifting']).code).toBe(0);
    const listFile = join(dir, 'authority.archive');
    expect(run([...A, 'export', '--out', listFile]).code).toBe(0);
    const archives = ['--archive', listFile, ...witnesses.flatMap((w) => { const f = join(dir, `${w.name}.archive`); run([...home(w.name), 'export', '--out', f]); return ['--archive', f]; })];
    const proof = join(dir, 'proof.json');
    const proved = run([...H, 'prove', 'feat', cid, '--nonce', '77', '--against', authority, ...archives, '--out', proof]);
    expect(proved.code, proved.stderr).toBe(0);
    const V = home('verifier');
    const checked = run([...V, 'verify-proof', proof, '--trust-list', authority, ...archives, '--nonce', '77', '--json']);
    expect(checked.json(), checked.stderr).toMatchObject({ valid: true });

    // The second witness forks its chain; the proof reaches the holder and the verifier as a file.
    const evidence = join(dir, 'fork.evidence');
    writeFileSync(evidence, forkOf(join(dir, 'w2')));
    for (const who of [H, V]) {
      const imported = run([...who, 'evidence', 'import', evidence, '--json']);
      expect(imported.json(), imported.stderr).toMatchObject({ kind: 'equivocation', accused: [witnesses[1]!.id], added: true });
    }
    expect(run([...H, 'evidence', 'import', evidence, '--json']).json()).toMatchObject({ added: false });
    const honor = run([...H, 'honor', witnesses[1]!.id, '--json']).json();
    expect(honor).toMatchObject({ status: 'barred', until: null, evidence: [{ kind: 'equivocation' }] });
    expect(run([...H, 'honor', witnesses[1]!.id]).stdout).toContain('barred for good');
    expect(run([...H, 'feat', 'status', cid, '--json']).json()).toEqual({ met: false, have: 1, need: 2 });
    expect((run([...H, 'trust', 'root', '--for', 'lifting', '--json']).json() as { members: string[] }).members).toEqual([witnesses[0]!.id]);
    const stale = run([...V, 'verify-proof', proof, '--trust-list', authority, ...archives, '--nonce', '77', '--json']);
    expect(stale.code).toBe(1);
    expect(stale.json()).toMatchObject({ valid: false, stale: [witnesses[1]!.id], reason: expect.stringMatching(/^stale root/u) });
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
    expectCleanError(run([...O, 'evidence', 'import', refutation]), /refutations cannot be checked here/u);
    expect(run([...O, 'honor', witness, '--json']).json()).toMatchObject({ status: 'good', evidence: [{ kind: 'review' }] });
  });
});
