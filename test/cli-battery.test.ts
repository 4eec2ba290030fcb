// A battery of bad command lines, as typos and hostile files would give them: every one ends in one clear
// `defaust: …` line and a non-zero exit, never "internal error" or a stack. (A file as --home, a locked or
// foreign database, `set constructor` and deeply nested JSON are tried elsewhere.)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src-main/cli/main.ts';
import { tempDir } from './helpers.ts';
import { expectCleanError, run, runMany } from './cli-helpers.ts';

type Case = { args: string[]; env?: Record<string, string | undefined> };

/** Fixed pseudo-random bytes (xorshift), so every run tries the same garbage. */
function garbage(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('bad CLI inputs', { timeout: 300_000 }, () => {
  const dir = tempDir();
  const alice = join(dir, 'alice');
  const bob = join(dir, 'bob');
  const F = (name: string) => join(dir, 'files', name);
  const cases: Case[] = [];
  let bobId = '';
  let results: ReturnType<typeof runMany> = [];

  beforeAll(() => {
    mkdirSync(join(dir, 'files', 'a-directory'), { recursive: true });
    const setup = runMany([
      { args: ['--home', alice, 'init', '--json'] },
      { args: ['--home', bob, 'init', '--json'] },
      { args: ['--home', alice, 'set', 'contact', 'email', 'a@example.org'] },
      { args: ['--home', alice, 'export', '--out', F('alice.archive')] },
      { args: ['--home', alice, 'feat', 'claim', 'Marathon', '--type', 'marathon', '--policy', 'k-of-n:1', '--json'] },
    ], join(dir, 'setup.json'));
    for (const r of setup) expect(r.code, r.stderr).toBe(0);
    bobId = (setup[1]!.json() as { id: string }).id;
    const claim = (setup[4]!.json() as { cid: string }).cid;
    const archive = readFileSync(F('alice.archive'));
    writeFileSync(F('empty'), '');
    writeFileSync(F('garbage.bin'), garbage(4096, 7));
    writeFileSync(F('small-garbage.bin'), garbage(13, 11));
    writeFileSync(F('truncated.archive'), archive.subarray(0, Math.floor(archive.length / 2)));
    writeFileSync(F('flipped.archive'), Buffer.from(archive.map((b, i) => (i === Math.floor(archive.length / 3) ? b ^ 0xff : b))));
    writeFileSync(F('junk.json'), '{"kind": "attribute", "proof": 12');
    writeFileSync(F('object.json'), '{}');
    writeFileSync(F('array.json'), '[1, 2, 3]');
    writeFileSync(F('null.json'), 'null');
    writeFileSync(F('wrong-proof.json'), JSON.stringify({ kind: 'attribute', v: 1, proof: { pi_a: [] }, publicSignals: ['x'] }));
    writeFileSync(F('text.txt'), 'hello\n');
    writeFileSync(F('existing.out'), 'keep me');

    const A = ['--home', alice];
    const until = ['--until', '2099-01-01'];
    const goodDid = bobId;
    const badDids = ['did:key:zBAD', 'not-a-did', 'did:key:z6Mk', `did:key:z${'1'.repeat(48)}`, `did:web:example.org`, `${bobId}x`];
    const many = (...list: Case[]) => cases.push(...list);

    // Wrong arity and an unknown flag, for every command.
    for (const c of COMMANDS) {
      const words = c.name.split(' ');
      const [min, max] = c.arity;
      many({ args: [...A, ...words, ...Array.from({ length: max + 1 }, (_, i) => `extra${i}`)] });
      if (min > 0) many({ args: [...A, ...words, ...Array.from({ length: min - 1 }, (_, i) => `arg${i}`)] });
      many({ args: [...A, ...words, ...Array.from({ length: min }, (_, i) => `arg${i}`), '--no-such-flag'] });
    }
    many({ args: ['nope'] }, { args: [...A, 'set', 'contact'] }, { args: [...A, 'show', '--json', '--jsonx'] }, { args: [...A, 'grant', goodDid, 'contact', '--until'] });

    // Identities.
    for (const did of badDids) {
      many({ args: [...A, 'grant', did, 'contact', ...until] }, { args: [...A, 'device', 'add', did] }, { args: [...A, 'trust', 'add', did, '--for', 'marathon'] });
    }
    many(
      { args: [...A, 'registry', 'add', 'did:key:zBAD', '--sections', 'contact'] },
      { args: [...A, 'revoke', 'did:key:zBAD', 'contact'] },
      { args: [...A, 'device', 'revoke', 'did:key:zBAD'] },
      { args: [...A, 'registry', 'revoke', 'did:key:zBAD'] },
      { args: [...A, 'propose', 'did:key:zBAD', 'contact', 'email', 'x'] },
      { args: [...A, 'read', 'did:key:zBAD'] },
      { args: [...A, 'attest', 'request', claim, '--witness', 'did:key:zBAD', '--out', F('requests')] },
    );

    // Sections and paths.
    for (const section of ['BAD', '', 'a b', 'x'.repeat(40), '-x', '__proto__', 'sec\u001bt']) many({ args: [...A, 'set', section, 'email', 'x'] });
    for (const path of ['', 'a..b', 'a/b', '.a', 'a.', 'x'.repeat(65), 'a.b.c.d.e.f.g.h.i', 'a b', 'é']) many({ args: [...A, 'set', 'contact', path, 'x'] });
    many(
      { args: [...A, 'show', 'nosuch'] },
      { args: [...A, 'section', 'create', 'Bad'] },
      { args: [...A, 'section', 'create', 'fine', '--epoch', '0m'] },
      { args: [...A, 'section', 'create', 'fine', '--epoch', '1y'] },
      { args: [...A, 'section', 'create', 'fine', '--epoch', '99999999999d'] },
      { args: [...A, 'section', 'create', 'fine', '--epoch', '-1d'] },
      { args: [...A, 'grant', goodDid, 'nosuch', ...until] },
      { args: [...A, 'grant', goodDid, 'contact', ...until, '--rights', 'admin'] },
      { args: [...A, 'attach', F('text.txt'), '--section', 'contact', '--event', 'bad/event'] },
      { args: [...A, 'attach', F('text.txt'), '--section', 'BAD', '--event', 'e'] },
    );

    // Numbers, values and JSON.
    for (const value of ['0x10', '0b101', '0o7', '1e-400', '9007199254740993', '', ' ', 'NaN', 'Infinity', '1,5', '12abc']) {
      many({ args: [...A, 'set', 'fitness', 'weight', value, '--type', 'number'] });
    }
    for (const value of ['{', '{"a":1e-400}', '[9007199254740993]', '1e999', "{'a':1}", '']) many({ args: [...A, 'set', 'fitness', 'w', value, '--type', 'json'] });
    many(
      { args: [...A, 'set', 'fitness', 'w', 'yes', '--type', 'boolean'] },
      { args: [...A, 'set', 'fitness', 'w', '1', '--type', 'integer'] },
      { args: [...A, 'set', 'contact', 'bio', 'x'.repeat(70 * 1024)] },
      { args: [...A, 'net', 'limits', '--quota', '0x10'] },
      { args: [...A, 'net', 'limits', '--quota', 'abc'] },
      { args: [...A, 'serve', '--port', '0x10'] },
      { args: [...A, 'serve', '--port', '70000'] },
      { args: [...A, 'serve', '--port', '-1'] },
      { args: [...A, 'serve', '--offline', '--listen', '/ip4/0.0.0.0/tcp/0'] },
      { args: [...A, 'serve', '--listen', 'not-a-multiaddr'] },
      { args: [...A, 'publish', '--bootstrap', '/ip4/1.2.3.4/tcp/1'] },
      { args: [...A, 'mail', '--bootstrap', 'garbage'] },
      { args: [...A, 'propose', goodDid, 'contact', 'email', 'x', '--out', F('p1'), '--base', '0x10'] },
      { args: [...A, 'propose', goodDid, 'contact', 'email', 'x', '--out', F('p2'), '--base', '99999999999999999999'] },
      { args: [...A, 'propose', goodDid, 'contact', 'email', 'x', '--out', F('p3')] },
      { args: [...A, 'propose', goodDid, 'contact', 'email', '--out', F('p4'), '--base', '1'] },
      { args: [...A, 'prove', 'attribute', '--field', 'weight', '--op', 'gte', '--bound', 'abc', '--nonce', '1', '--out', F('proof')] },
      { args: [...A, 'prove', 'attribute', '--field', 'weight', '--op', 'between', '--bound', '1', '--nonce', '1', '--out', F('proof')] },
      { args: [...A, 'prove', 'attribute', '--field', 'Weight!', '--op', 'gte', '--bound', '1', '--nonce', '1', '--out', F('proof')] },
      { args: [...A, 'prove', 'attribute', '--field', 'weight', '--op', 'in', '--bound', '1,x', '--nonce', '1', '--out', F('proof')] },
      { args: [...A, 'attribute', 'issue', '--holder', goodDid, '--field', 'age', '--value', '0x10'] },
      { args: [...A, 'attribute', 'import', F('object.json')] },
      { args: [...A, 'prove', 'feat', claim, '--nonce', '0x10', '--out', F('proof')] },
      { args: [...A, 'prove', 'feat', claim, '--nonce', '1'] },
      { args: [...A, 'verify-proof', F('object.json'), '--nonce', '-1'] },
      { args: [...A, 'verify-proof', F('object.json'), '--trust-root', '1e3'] },
      { args: [...A, 'verify', 'request', '--ttl', '0h'] },
      { args: [...A, 'verify', 'request', '--ttl', '1y'] },
      { args: [...A, 'verify', 'request', '--ttl', '400d'] },
    );

    // Dates and durations.
    for (const date of ['2027-01-01 junk', '2027-02-30', '2027-13-01', 'tomorrow', '2027-01-31T12:00', '1969-12-31', '2020-01-01', '', '12/31/2027', '2027-01-31T25:00Z', '+275760-09-13']) {
      many({ args: [...A, 'grant', goodDid, 'contact', '--until', date] });
    }
    many(
      { args: [...A, 'grant', goodDid, 'contact', ...until, '--from', 'junk'] },
      { args: [...A, 'grant', goodDid, 'contact', '--until', '2099-01-01', '--from', '2099-06-01'] },
      { args: [...A, 'grant', goodDid, 'contact'] },
      { args: [...A, 'whoami'], env: { DEFAUST_NOW: 'junk' } },
      { args: [...A, 'whoami'], env: { DEFAUST_NOW: '2030-01-01 junk' } },
      { args: [...A, 'show'], env: { DEFAUST_NOW: '2030-02-30' } },
    );

    // Files: missing, a directory, empty, garbage, truncated, tampered.
    for (const file of [F('missing'), F('a-directory'), F('empty'), F('garbage.bin'), F('small-garbage.bin'), F('truncated.archive'), F('flipped.archive'), F('junk.json')]) {
      many(
        { args: [...A, 'import', file] },
        { args: [...A, 'requests', 'import', file] },
        { args: [...A, 'attest', 'import', file] },
        { args: [...A, 'read', file] },
      );
    }
    for (const file of [F('missing'), F('a-directory'), F('empty'), F('garbage.bin'), F('junk.json'), F('object.json'), F('array.json'), F('null.json'), F('wrong-proof.json')]) {
      many({ args: [...A, 'verify-proof', file] });
    }
    for (const file of [F('missing'), F('a-directory'), F('garbage.bin'), F('empty')]) many({ args: ['--home', bob, 'attest', 'sign', file, '--verdict', 'yes', '--out', F('reply')] });
    many(
      { args: [...A, 'attach', F('missing'), '--section', 'contact', '--event', 'e'] },
      { args: [...A, 'attach', F('a-directory'), '--section', 'contact', '--event', 'e'] },
      { args: [...A, 'attach', F('text.txt'), '--section', 'contact'] },
      { args: [...A, 'attach', F('text.txt'), '--section', 'contact', '--event', 'e', '--type', 'x'.repeat(256)] },
      { args: [...A, 'export'] },
      { args: [...A, 'export', '--out', F('existing.out')] },
      { args: [...A, 'export', '--out', join(dir, 'no', 'such', 'dir', 'x')] },
      { args: [...A, 'export', '--out', F('a-directory'), '--force'] },
      { args: [...A, 'media', 'get', 'bafynotacid', '--out', F('m')] },
      { args: [...A, 'media', 'get', 'bafynotacid'] },
      { args: [...A, 'propose', goodDid, 'contact', 'email', 'x', '--out', F('p5'), '--archive', F('garbage.bin')] },
      { args: [...A, 'propose', goodDid, 'contact', 'email', 'x', '--out', F('p6'), '--archive', F('alice.archive')] },
      { args: [...A, 'propose', goodDid, 'contact', 'email', 'x', '--out', F('p7'), '--archive', F('missing')] },
      { args: [...A, 'attest', 'request', claim, '--witness', goodDid, '--out', F('text.txt')] },
    );

    // Requests, feats, trust, registry, network.
    many(
      { args: [...A, 'approve', 'nosuch'] },
      { args: [...A, 'reject', 'nosuch', '--out', F('reply')] },
      { args: [...A, 'reject', 'nosuch'] },
      { args: [...A, 'reject', 'nosuch', '--out', F('reply'), '--reason', 'x'.repeat(1001)] },
      { args: [...A, 'feat', 'claim', 'Title'] },
      { args: [...A, 'feat', 'claim', 'Title', '--type', 'marathon'] },
      { args: [...A, 'feat', 'claim', 'Title', '--type', 'marathon', '--policy', 'k-of-n:0'] },
      { args: [...A, 'feat', 'claim', 'Title', '--type', 'marathon', '--policy', 'k-of-n:999'] },
      { args: [...A, 'feat', 'claim', 'Title', '--type', 'BAD TYPE', '--policy', 'authority'] },
      { args: [...A, 'feat', 'claim', 'Title', '--type', 'marathon', '--policy', 'authority', '--evidence', 'notacid'] },
      { args: [...A, 'feat', 'claim', 'x'.repeat(201), '--type', 'marathon', '--policy', 'authority'] },
      { args: [...A, 'feat', 'claim', 'Title', '--type', 'marathon', '--policy', 'authority', '--criteria', 'x'.repeat(2001)] },
      { args: [...A, 'feat', 'status', 'nosuch'] },
      { args: [...A, 'feat', 'status', claim.slice(0, -1)] },
      { args: [...A, 'attest', 'request', 'nosuch', '--witness', goodDid, '--out', F('requests')] },
      { args: [...A, 'attest', 'request', claim] },
      { args: [...A, 'attest', 'sign', 'nosuch-mail', '--verdict', 'yes'] },
      { args: [...A, 'attest', 'sign', F('garbage.bin'), '--verdict', 'maybe'] },
      { args: [...A, 'prove', 'feat', 'nosuch', '--nonce', '1', '--out', F('proof')] },
      { args: [...A, 'trust', 'add', goodDid] },
      { args: [...A, 'trust', 'add', goodDid, '--for', 'BAD TYPE'] },
      { args: [...A, 'trust', 'root', '--for', 'BAD TYPE'] },
      { args: [...A, 'trust', 'sync'] },
      { args: [...A, 'trustlist', 'publish'] },
      { args: [...A, 'registry', 'add', goodDid] },
      { args: [...A, 'registry', 'add', goodDid, '--sections', 'BAD'] },
      { args: [...A, 'registry', 'add', goodDid, '--sections', 'contact', '--label', 'x'.repeat(81)] },
      { args: [...A, 'registry', 'add', goodDid, '--sections', 'contact', '--peer', 'not-a-peer'] },
      { args: [...A, 'device', 'add', goodDid, '--label', 'x'.repeat(81)] },
      { args: [...A, 'device', 'revoke', goodDid] },
      { args: [...A, 'revoke', goodDid, 'contact'] },
      { args: [...A, 'net', 'status'] },
      { args: [...A, 'net', 'peers'] },
      { args: [...A, 'net', 'limits', '--quota', '1000000'] },
      { args: [...A, 'publish'] },
      { args: [...A, 'mail'] },
      { args: [...A, 'propose', goodDid, 'contact', 'email', 'x'] },
      { args: [...A, 'read', goodDid] },
    );

    // Homes, passphrases and phrases.
    many(
      { args: [...A, 'init'] },
      { args: ['--home', join(dir, 'long-label'), 'init', '--label', 'x'.repeat(81)] },
      { args: [...A, 'show'], env: { DEFAUST_PASSPHRASE: 'wrong passphrase' } },
      { args: [...A, 'show'], env: { DEFAUST_PASSPHRASE: '' } },
      { args: ['--home', join(dir, 'empty-home'), 'show'] },
      { args: ['--home', join(dir, 'empty-home'), 'log'] },
      { args: ['--home', join(dir, 'empty-home'), 'whoami'] },
      { args: ['--home', join(dir, 'fresh'), 'init'], env: { DEFAUST_PASSPHRASE: 'short' } },
      { args: ['--home', join(dir, 'r1'), 'recover', '--mnemonic', 'not a real phrase'] },
      { args: ['--home', join(dir, 'r2'), 'recover', '--mnemonic', 'abandon '.repeat(24).trim()] },
      { args: ['--home', join(dir, 'r3'), 'recover', '--mnemonic', ''] },
      { args: ['--home', join(dir, 'r4'), 'recover'] },
      { args: [...A, 'recover', '--mnemonic', 'abandon '.repeat(23) + 'art'] },
    );
    results = runMany(cases, join(dir, 'battery.json'));
  }, 280_000);

  it('tries at least 150 bad inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it('ends each with one clean `defaust:` line (after any warning) and a non-zero exit, never an internal error', () => {
    const unclean = results.flatMap((r, i) => {
      // A warning about the input itself (recover --mnemonic: the phrase was visible in ps) may come first.
      const lines = r.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('defaust: warning: '));
      const clean = r.code > 0 && lines[0]!.startsWith('defaust: ') && !/internal error/u.test(r.stderr) && !/\n\s+at /u.test(r.stderr) &&
        lines.slice(1).every((line) => line.startsWith('usage: '));
      return clean ? [] : [`${cases[i]!.args.slice(2).join(' ')} → ${r.code}: ${r.stderr.trim()}`];
    });
    expect(unclean).toEqual([]);
  });

  it('gives the same clean line from the real command as from the batch', () => {
    for (const i of [0, Math.floor(cases.length / 3), Math.floor(cases.length / 2), cases.length - 1]) {
      const c = cases[i]!;
      const alone = run(c.args, { env: c.env });
      expectCleanError(alone, /^defaust: /u, results[i]!.code);
      expect(alone.stderr).toBe(results[i]!.stderr);
    }
  });
});
