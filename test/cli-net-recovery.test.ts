// Recovery by friends over a loopback network, as people run it: `defaust serve` nodes (a bootstrap node and
// three replicas), an owner and three custodians who publish, shares delivered by mail and kept from the
// mail, two of them released to a fresh home's temporary id — one by mail, one as a file; one release alone
// fails (and the mailed one stays kept), two rebuild the identity and the network recovery brings back the
// same chain up to the owner's head.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, serve, stopNode, type ServedNode } from './cli-helpers.ts';
import { tempDir } from './helpers.ts';

function ok(args: string[], input?: string) {
  const r = run(args, input === undefined ? {} : { input });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('recovery by friends over loopback mail', () => {
  const dir = tempDir('defaust-net-recovery-');
  const nodes: ServedNode[] = [];
  let bootstrap: string;
  const home = (name: string) => ['--home', join(dir, name)];
  const net = () => ['--bootstrap', bootstrap];

  beforeAll(async () => {
    const first = await serve(join(dir, 'boot'), []);
    nodes.push(first);
    bootstrap = first.addrs[0]!;
    nodes.push(...(await Promise.all([1, 2, 3].map((i) => serve(join(dir, `replica-${i}`), [bootstrap])))));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(nodes.map(stopNode));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('k − 1 releases fail, k rebuild the same id and the network gives back the same chain', () => {
    const ids: Record<string, string> = {};
    let mnemonic = '';
    for (const name of ['owner', 'c1', 'c2', 'c3']) {
      const init = ok([...home(name), 'init', '--json']).json();
      ids[name] = init.id;
      if (name === 'owner') mnemonic = init.mnemonic;
      if (name === 'owner') ok([...home(name), 'set', 'contact', 'email', 'owner@example.org']);
      ok([...home(name), 'publish', ...net()]);
    }
    const owner = ids.owner!;
    const split = ok([...home('owner'), 'recovery', 'split', '--custodian', ids.c1!, '--custodian', ids.c2!, '--custodian', ids.c3!, '--k', '2', ...net(), '--json'], mnemonic).json();
    expect(split.sent).toHaveLength(3);
    expect(split.sent.every((s: { deposited: number }) => s.deposited > 0)).toBe(true);

    for (const c of ['c1', 'c2']) {
      const fetched = ok([...home(c), 'mail', ...net(), '--json']).json() as { waiting: { id: string; kind: string }[] };
      const share = fetched.waiting.find((w) => w.kind === 'recovery-share');
      expect(share, JSON.stringify(fetched)).toBeDefined();
      expect(ok([...home(c), 'custody', 'import', share!.id, '--json']).json()).toMatchObject({ owner, k: 2, n: 3, fresh: true });
    }

    const temporaryId = ok([...home('fresh'), 'recovery', 'start', '--json']).json().temporaryId as string;
    // c1 releases to the temporary id's mailboxes, c2 as a file handed over.
    const mailed = ok([...home('c1'), 'custody', 'release', owner, '--to', temporaryId, ...net(), '--json']).json();
    expect(mailed).toMatchObject({ owner, to: temporaryId, deposited: expect.any(Number) });
    expect(mailed.deposited).toBeGreaterThan(0);
    const file = join(dir, 'c2.release');
    ok([...home('c2'), 'custody', 'release', owner, '--to', temporaryId, '--out', file]);

    // The mail alone is one share: refused, but kept here, so the next try needs only the file.
    const alone = run([...home('fresh'), 'recovery', 'combine', ...net()]);
    expect(alone.code, alone.stderr).toBe(1);
    expect(alone.stderr).toMatch(/1 released share\(s\) came by mail; 1 kept here in all/);
    expect(alone.stderr).toMatch(/^defaust: .*1 share given; this set needs 2/mu);
    expect(alone.stderr).not.toMatch(/\n\s+at /u);
    const recovered = ok([...home('fresh'), 'recovery', 'combine', file, ...net(), '--json']).json();
    expect(recovered).toMatchObject({ id: owner, chain: true });

    const log = (name: string) => ok([...home(name), 'log', '--json']).json() as { cid: string; kind: string }[];
    const mine = log('owner');
    const theirs = log('fresh');
    expect(theirs.slice(0, mine.length)).toEqual(mine);
    expect(theirs.slice(mine.length).map((b) => b.kind)).toEqual(['device-add']);
    expect(recovered.head).toBe(theirs.at(-1)!.cid);
  }, 1_500_000);
});
