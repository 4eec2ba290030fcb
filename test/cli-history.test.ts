// "Did you X?" on real homes: a 300-block chain gets its automatic checkpoint; `prove included` makes bundles
// (committed by the checkpoint, or by a head record past it; with the body revealed) that verify offline in a
// second home; forged bundles are refused with their typed reason; the checkpoint adds no other party to
// the public header bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { CHECKPOINT_EVERY } from '../src-main/core/chain/checkpoint.ts';
import { PASS, run } from './cli-helpers.ts';
import { leaksIn, partyOf } from './header-scan.ts';
import { tempDir } from './helpers.ts';

const BLOCKS = 300;

describe('inclusion bundles on real homes', { timeout: 300_000 }, () => {
  const dir = tempDir();
  const owner = join(dir, 'owner');
  const verifier = join(dir, 'verifier');
  const friend = new Home(verifier).init(PASS);
  const friendPub = friend.profile.identity;
  const h = new Home(owner);
  const { profile, id } = h.init(PASS);
  // A grant names a friend: the public headers (checkpoint included) must still not.
  profile.grant(friend.id, 'contact', 'read', Date.UTC(2030, 0, 1));
  // The fastest way to many blocks: writes in this process, each one block, as the CLI's `set` makes.
  while (profile.length < BLOCKS) profile.set('fitness', `lap${profile.length % 40}`, profile.length);
  const headers = [...h.store.headers(id)];
  h.close();

  const file = (name: string): string => join(dir, name);
  const prove = (seq: number, name: string, extra: string[] = []) => {
    const r = run(['--home', owner, 'prove', 'included', String(seq), '--out', file(name), '--json', ...extra]);
    expect(r.code, r.stderr).toBe(0);
    return r.json() as { by: { kind: string; seq: number } };
  };
  const check = (name: string) => run(['--home', verifier, 'verify-inclusion', file(name), '--json']);

  it('writes the checkpoint by itself, and the chain verifies', () => {
    const checkpoints = headers.filter((x) => x.kind === 'checkpoint').map((x) => x.seq);
    expect(checkpoints).toEqual([CHECKPOINT_EVERY]);
    const r = run(['--home', owner, 'verify', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ ok: true, length: BLOCKS });
  });

  it('the public header bytes name nobody else, checkpoint included', () => {
    expect(leaksIn(headers.map((x) => x.bytes), [partyOf(friendPub)], [])).toEqual([]);
  });

  it('a block under the checkpoint proves offline in another home, with its body revealed', () => {
    expect(prove(42, 'b42.json', ['--reveal']).by).toEqual({ kind: 'checkpoint', seq: CHECKPOINT_EVERY });
    const r = check('b42.json');
    expect(r.code, r.stderr).toBe(0);
    const result = r.json();
    expect(result).toMatchObject({ valid: true, id, seq: 42, kind: 'delta', by: { kind: 'checkpoint', seq: CHECKPOINT_EVERY, size: CHECKPOINT_EVERY } });
    expect(result.revealed).toEqual([{ section: 'fitness', ops: [{ op: 'set', path: expect.stringMatching(/^lap\d+$/u), value: expect.any(Number) }] }]);
    const text = run(['--home', verifier, 'verify-inclusion', file('b42.json')]);
    expect(text.stdout).toContain(`VALID: block 42 (delta) of ${id} is in the history committed by the checkpoint at seq ${CHECKPOINT_EVERY}, signed by the owner`);
  });

  it('a block after the last checkpoint proves through a signed head record', () => {
    expect(prove(BLOCKS - 3, 'late.json').by).toEqual({ kind: 'head-record', seq: BLOCKS - 1 });
    const r = check('late.json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ valid: true, seq: BLOCKS - 3, by: { kind: 'head-record', seq: BLOCKS - 1, size: BLOCKS }, revealed: [] });
  });

  it('refuses every forgery with its reason', () => {
    prove(43, 'b43.json', ['--reveal']);
    const b42 = JSON.parse(readFileSync(file('b42.json'), 'utf8'));
    const b43 = JSON.parse(readFileSync(file('b43.json'), 'utf8'));
    // The friend's own checkpoint, to pass off as the owner's.
    expect(run(['--home', verifier, 'checkpoint']).code).toBe(0);
    expect(run(['--home', verifier, 'prove', 'included', '1', '--out', file('friend.json')]).code).toBe(0);
    const friendBundle = JSON.parse(readFileSync(file('friend.json'), 'utf8'));
    const flip = (hex: string, at: number): string => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);
    const cases: [string, (b: typeof b42) => void, string][] = [
      ['a changed header byte', (b) => { b.header = flip(b.header, b.header.length - 20); }, 'inclusion/header'],
      ['a wrong path', (b) => { b.path[2] = flip(b.path[2], 5); }, 'inclusion/path'],
      ['a path of another block', (b) => { b.path = b43.path; }, 'inclusion/path'],
      ['another block\'s header', (b) => { b.header = b43.header; }, 'inclusion/header'],
      ['another owner\'s checkpoint', (b) => { b.commitment = friendBundle.commitment; }, 'inclusion/owner'],
      ['a swapped body', (b) => { b.reveal[0].body = b43.reveal[0].body; }, 'inclusion/body'],
      ['a wrong key', (b) => { b.reveal[0].key = flip(b.reveal[0].key, 0); }, 'inclusion/key'],
      ['a block beyond the checkpoint', (b) => { const late = JSON.parse(readFileSync(file('late.json'), 'utf8')); b.seq = late.seq; b.header = late.header; }, 'inclusion/range'],
      ['not a bundle', (b) => { b.format = 'something/else'; }, 'inclusion/malformed'],
    ];
    for (const [what, change, code] of cases) {
      const forged = structuredClone(b42);
      change(forged);
      writeFileSync(file('forged.json'), JSON.stringify(forged));
      const r = check('forged.json');
      expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.json(), what).toMatchObject({ valid: false, code });
    }
  });
});
