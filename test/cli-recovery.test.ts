// Recovery by friends through the real CLI on six homes (an owner, four custodians, a fresh install), shares
// carried by file: k − 1 releases fail, a tampered release is detected and writes nothing, k releases give
// back the same id, and with the owner's archive the same chain up to the same head.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCleanError, run } from './cli-helpers.ts';
import { tempDir } from './helpers.ts';

const root = tempDir();
const home = (name: string) => ['--home', join(root, name)];
const CUSTODIANS = ['c1', 'c2', 'c3', 'c4'];
let owner: string;
let ids: Record<string, string>;
let temporaryId: string;

function ok(args: string[], input?: string) {
  const r = run(args, input === undefined ? {} : { input });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('recovery by friends, by file', () => {
  beforeAll(() => {
    ids = {};
    let mnemonic = '';
    for (const name of ['owner', ...CUSTODIANS]) {
      const init = ok([...home(name), 'init', '--json']).json();
      ids[name] = init.id;
      if (name === 'owner') mnemonic = init.mnemonic;
    }
    owner = ids.owner!;
    ok([...home('owner'), 'set', 'contact', 'email', 'owner@example.org']);
    writeFileSync(join(root, 'phrase'), mnemonic);
    ok([...home('owner'), 'export', '--out', join(root, 'owner.archive')]);
    const split = run([...home('owner'), 'recovery', 'split', ...CUSTODIANS.flatMap((c) => ['--custodian', ids[c]!]), '--k', '3', '--out', join(root, 'shares'), '--json'], { input: mnemonic });
    expect(split.code, split.stderr).toBe(0);
    expect(split.stderr).toMatch(/does NOT revoke/);
    expect(split.json()).toMatchObject({ k: 3, n: 4 });
  }, 600_000);

  it('each custodian keeps its own share, and no one else’s', () => {
    const files = readdirSync(join(root, 'shares')).sort();
    expect(files).toHaveLength(4);
    expectCleanError(run([...home('c1'), 'custody', 'import', join(root, 'shares', files[1]!)]), /sealed to|made for/);
    CUSTODIANS.forEach((c, i) => expect(ok([...home(c), 'custody', 'import', join(root, 'shares', files[i]!), '--json']).json()).toMatchObject({ owner, index: i + 1, k: 3, n: 4, fresh: true }));
    expect(ok([...home('c2'), 'custody', 'list', '--json']).json()).toEqual([expect.objectContaining({ owner, index: 2 })]);
  }, 600_000);

  it('a fresh install rebuilds the identity from k released shares; k − 1 and a tampered one write nothing', () => {
    temporaryId = ok([...home('fresh'), 'recovery', 'start', '--json']).json().temporaryId;
    expect(temporaryId).toMatch(/^did:key:z6Mk/);
    const released = CUSTODIANS.slice(0, 3).map((c) => {
      const out = join(root, `${c}.release`);
      ok([...home(c), 'custody', 'release', owner, '--to', temporaryId, '--out', out]);
      return out;
    });
    const keystore = join(root, 'fresh', 'keystore.json');

    expectCleanError(run([...home('fresh'), 'recovery', 'combine', ...released.slice(0, 2)]), /2 shares given; this set needs 3/);
    expect(existsSync(keystore)).toBe(false);

    const bytes = readFileSync(released[2]!);
    bytes[bytes.length - 7]! ^= 0x01;
    writeFileSync(join(root, 'tampered.release'), bytes);
    expectCleanError(run([...home('fresh'), 'recovery', 'combine', released[0]!, released[1]!, join(root, 'tampered.release')]), /altered/);
    expect(existsSync(keystore)).toBe(false);

    expect(ok([...home('fresh'), 'recovery', 'combine', ...released, '--json']).json()).toEqual({ id: owner, chain: false });
    expect(ok([...home('fresh'), 'whoami']).stdout.trim()).toBe(owner);
    expect(existsSync(join(root, 'fresh', 'recovery-key.json'))).toBe(false);
    ok([...home('fresh'), 'import', join(root, 'owner.archive')]);
    // The same chain up to the owner's head; the one block after it certifies this new device.
    const log = (name: string) => ok([...home(name), 'log', '--json']).json() as { cid: string; kind: string }[];
    const mine = log('owner');
    const recovered = log('fresh');
    expect(recovered.slice(0, mine.length)).toEqual(mine);
    expect(recovered.slice(mine.length).map((b) => b.kind)).toEqual(['device-add']);
    expect(ok([...home('fresh'), 'verify', '--json']).json()).toMatchObject({ ok: true });
  }, 600_000);
});
