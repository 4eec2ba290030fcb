// Verifier-owned trust, on real homes through the CLI: a holder who makes three identities of its own, has
// them sign and hands over its `trust root` gets a proof that verifies against that root, but not against
// the list the verifier trusts (its own members, or an authority's published list), whose root the verifier
// computes from the members' genesis blocks. Three witnesses an authority lists make a proof that passes; the
// proof records the list it was made against, and the verifier's output names the list it checked.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

describe('verifier-owned trust (CLI)', { timeout: 300_000 }, () => {
  it('a proof over self-made witnesses fails the verifier\'s list; one over an authority\'s listed witnesses passes', () => {
    const dir = tempDir();
    const home = (name: string) => ['--home', join(dir, name)];
    const H = home('holder');
    run([...H, 'init']);
    const made = (name: string) => ({ name, id: run([...home(name), 'init', '--json']).json().id as string });
    const sock = [1, 2, 3].map((i) => made(`sock${i}`));
    const listed = [1, 2, 3].map((i) => made(`w${i}`));
    const trainer = made('trainer');
    const archive = (w: { name: string }) => {
      const file = join(dir, `${w.name}.archive`);
      expect(run([...home(w.name), 'export', '--out', file]).code).toBe(0);
      return ['--archive', file];
    };
    for (const w of listed) expect(run([...home(trainer.name), 'trust', 'add', w.id, '--for', 'lifting', '--public']).code).toBe(0);
    const listChains = [trainer, ...listed].flatMap(archive);
    const attest = (cid: string, witnesses: { name: string; id: string }[]) => {
      const requests = run([...H, 'attest', 'request', cid, ...witnesses.flatMap((w) => ['--witness', w.id]), '--out', join(dir, `req-${cid.slice(-6)}`), '--json']).json() as { witness: string; file: string }[];
      for (const r of requests) {
        const w = witnesses.find((x) => x.id === r.witness)!;
        const reply = join(dir, `reply-${w.name}`);
        expect(run([...home(w.name), 'attest', 'sign', r.file, '--verdict', 'yes', '--out', reply]).code).toBe(0);
        expect(run([...H, 'attest', 'import', reply]).code).toBe(0);
      }
    };
    const verifier = { env: { HOME: join(dir, 'verifier-without-home'), DEFAUST_PASSPHRASE: undefined } };

    // The attack: three self-made witnesses, trusted by the holder, and the holder's own root handed over.
    for (const w of sock) expect(run([...H, 'trust', 'add', w.id, '--for', 'lifting']).code).toBe(0);
    const forged = run([...H, 'feat', 'claim', 'Deadlift 300 kg', '--type', 'lifting', '--policy', 'k-of-n:3', '--json']).json().cid as string;
    attest(forged, sock);
    const handedOver = run([...H, 'trust', 'root', '--for', 'lifting', '--json']).json().root as string;
    const forgedProof = join(dir, 'forged.json');
    expect(run([...H, 'prove', 'feat', forged, '--nonce', '5', '--out', forgedProof]).code).toBe(0);
    expect(run(['verify-proof', forgedProof, '--nonce', '5', '--trust-root', handedOver, '--json'], verifier).json()).toMatchObject({ valid: true });
    // The verifier's own list (these three people), and the trainer's published list: both refuse it.
    const mine = run(['verify-proof', forgedProof, '--nonce', '5', '--trust', listed.map((w) => w.id).join(','), ...listChains, '--json'], verifier);
    expect(mine.code).toBe(1);
    expect(mine.json()).toMatchObject({ valid: false, reason: expect.stringMatching(/^made against a tree your list does not give/), members: 3, list: { members: listed.map((w) => w.id).sort() } });
    const theirs = run(['verify-proof', forgedProof, '--nonce', '5', '--trust-list', trainer.id, ...listChains], verifier);
    expect(theirs.code).toBe(1);
    expect(theirs.stdout).toMatch(new RegExp(`INVALID: made against a tree your list does not give.*\\nchecked against the list ${trainer.id} published for lifting \\(block \\d+, 3 members\\)`, 'u'));

    // Three witnesses the trainer lists: the holder proves against the trainer's list, which the verifier recomputes.
    const real = run([...H, 'feat', 'claim', 'Deadlift 200 kg', '--type', 'lifting', '--policy', 'k-of-n:3', '--json']).json().cid as string;
    attest(real, listed);
    const realProof = join(dir, 'real.json');
    const proved = run([...H, 'prove', 'feat', real, '--nonce', '6', '--out', realProof, '--against', trainer.id, ...listChains, '--json']);
    expect(proved.code, proved.stderr).toBe(0);
    expect(proved.json().against).toMatchObject({ authority: trainer.id, featType: 'lifting' });
    const passes = run(['verify-proof', realProof, '--trust-list', trainer.id, ...listChains, '--nonce', '6'], verifier);
    expect(passes.code, passes.stderr).toBe(0);
    expect(passes.stdout).toMatch(new RegExp(`^VALID: feat ${real} .*\\nchecked against the list ${trainer.id} published for lifting \\(block \\d+, 3 members\\)\\n$`, 'u'));
    const byMembers = run(['verify-proof', realProof, '--nonce', '6', '--trust', listed.map((w) => w.id).reverse().join(','), ...listChains, '--json'], verifier);
    expect(byMembers.json()).toMatchObject({ valid: true, members: 3, checkedAgainst: 'the 3 members named' });
    // A root the verifier computed earlier from the trainer's list works as --trust-root.
    const root = run(['trust', 'root', '--of', trainer.id, '--for', 'lifting', ...listChains, '--json'], verifier).json() as { root: string; members: string[] };
    expect(root.members).toEqual(listed.map((w) => w.id).sort());
    expect(run(['verify-proof', realProof, '--nonce', '6', '--trust-root', root.root, '--json'], verifier).json()).toMatchObject({ valid: true, root: root.root });
    // A list member whose chain the verifier lacks is named, not silently left out.
    expectCleanError(run(['verify-proof', realProof, '--nonce', '6', '--trust-list', trainer.id, ...listChains.slice(0, 2)], verifier), /the chains of did:\S+, did:\S+, did:\S+ are not held here: fetch them from the network, or give their archive files/);
  });
});
