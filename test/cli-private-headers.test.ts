// Issue 11 through the CLI: after grants, a revoke, a registered client, a labelled device and a trusted
// witness, neither `defaust log --json` nor the header bytes the home's store keeps name any of those parties
// or labels; a witness put on the public list (`trust add --public`) is named, as the owner chose.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { didFromPublicKey, type Did } from '../src-main/core/identity/did.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { run } from './cli-helpers.ts';
import { leaksIn, partyOf } from './header-scan.ts';
import { crypto, ownerKeys, tempDir } from './helpers.ts';

const PEER = '12D3KooWLRPJAA5o6Z6ZAyY6ZzWQhMmWgp3TzQFzaZSWxxDdByL5';

describe('private headers (CLI)', () => {
  it('log --json and the stored header bytes name no grantee, client, trusted witness or label', () => {
    const home = join(tempDir(), 'alice');
    const A = ['--home', home];
    const ok = (args: string[]) => {
      const r = run([...A, ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    const alice = ok(['init', '--label', 'alice laptop', '--json']).json().id as Did;
    const [reader, client, witness, listed] = [ownerKeys(), ownerKeys(), ownerKeys(), ownerKeys()].map((k) => partyOf(identityPublic(crypto, k.identity)));
    const phone = didFromPublicKey(crypto.ed25519.publicKey(crypto.randomBytes(32)));
    ok(['set', 'contact', 'email', 'alice@example.org']);
    ok(['grant', reader!.id, 'contact', '--rights', 'read', '--until', '2099-01-31']);
    ok(['grant', reader!.id, 'health', '--rights', 'propose', '--until', '2099-01-31']);
    ok(['revoke', reader!.id, 'health']);
    ok(['registry', 'add', client!.id, '--sections', 'contact', '--peer', PEER, '--label', 'alice home server']);
    ok(['device', 'add', phone, '--label', 'alice phone']);
    expect(ok(['trust', 'add', witness!.id, '--for', 'lifting']).stdout).toMatch(/sealed: only you see it/u);
    ok(['trust', 'add', listed!.id, '--for', 'lifting', '--public']);
    const log = ok(['log', '--json']);
    expect((log.json() as { kind: string }[]).map((b) => b.kind)).toEqual(expect.arrayContaining(['grant', 'revoke', 'registry', 'device-add', 'trust']));
    const store = new SqliteChainStore(join(home, 'defaust.db'));
    const headers = [...store.headers(alice)].map((h) => h.bytes);
    store.close();
    const labels = ['alice laptop', 'alice phone', 'alice home server', PEER];
    expect(leaksIn([new TextEncoder().encode(log.stdout), ...headers], [reader!, client!, witness!], labels)).toEqual([]);
    expect(leaksIn(headers, [listed!], [])).toContain(`${listed!.id} (did text)`);
    // The owner still lists them all.
    expect(ok(['grants', '--json']).json()).toMatchObject([{ grantee: reader!.id, section: 'contact' }, { grantee: client!.id, section: 'contact' }]);
    expect(ok(['registry', 'list', '--json']).json()).toMatchObject([{ client: client!.id, label: 'alice home server', peer: PEER }]);
    expect((ok(['device', 'list', '--json']).json() as { label: string }[]).map((d) => d.label)).toEqual(['alice laptop', 'alice phone']);
    expect(ok(['trust', 'list', '--json']).json()).toEqual([
      { did: witness!.id, featType: 'lifting', authority: false, listed: false },
      { did: listed!.id, featType: 'lifting', authority: false, listed: true },
    ]);
  }, 120_000);
});
