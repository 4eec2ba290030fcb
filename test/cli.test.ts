// The defaust command line driven as a person would: real processes, a real home folder, real files.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveIdentitySecrets } from '../src-main/core/identity/keys.ts';
import { crypto, tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('defaust CLI', { timeout: 120_000 }, () => {
  const home = join(tempDir(), 'alice');
  const h = ['--home', home];
  let id = '';
  let mnemonic = '';

  beforeAll(() => {
    const r = run([...h, 'init', '--json']);
    expect(r.code, r.stderr).toBe(0);
    ({ id, mnemonic } = r.json());
  });

  it('init gives a did:key id and a 24-word phrase once; whoami gives the id', () => {
    expect(id).toMatch(/^did:key:z6Mk/);
    expect(mnemonic.split(' ')).toHaveLength(24);
    expect(run([...h, 'whoami', '--json']).json()).toEqual({ id });
    expect(run(['whoami'], { env: { DEFAUST_HOME: home } }).stdout.trim()).toBe(id);
    expectCleanError(run([...h, 'init']), /already holds an identity/);
  });

  it('set, unset and show: each change one block, show --json gives the fields', () => {
    expect(run([...h, 'set', 'contact', 'email', 'alice@example.org']).code).toBe(0);
    expect(run([...h, 'set', 'fitness', 'weight', '61.5', '--type', 'number']).code).toBe(0);
    expect(run([...h, 'set', 'contact', 'phone', '+44 20 7946 0000']).code).toBe(0);
    expect(run([...h, 'unset', 'contact', 'phone']).code).toBe(0);
    expect(run([...h, 'show', '--json']).json()).toMatchObject({ contact: { email: 'alice@example.org' }, fitness: { weight: 61.5 } });
    expect(run([...h, 'show', 'contact', '--json']).json()).toEqual({ contact: { email: 'alice@example.org' } });
    expect(run([...h, 'show', 'contact']).stdout).toContain('email = alice@example.org');
  });

  it('log --json lists {seq, cid, kind, author, ts} and verify --json says ok', () => {
    const log = run([...h, 'log', '--json']).json() as { seq: number; cid: string; kind: string; author: string; ts: number }[];
    expect(log.map((b) => b.kind)).toEqual(['genesis', 'device-add', 'section-keys', 'delta', 'delta', 'delta', 'delta']);
    expect(Object.keys(log[0]!).sort()).toEqual(['author', 'cid', 'kind', 'seq', 'ts']);
    expect(log[0]!.author).toBe(id);
    expect(log[3]!.author).not.toBe(id);
    const verify = run([...h, 'verify', '--json']);
    expect(verify.code).toBe(0);
    expect(verify.json()).toEqual({ ok: true, head: log[log.length - 1]!.cid, length: log.length });
  });

  it('attach and media get give the file back byte for byte', () => {
    const dir = tempDir();
    const photo = join(dir, 'finish.png');
    const bytes = crypto.randomBytes(700_000);
    writeFileSync(photo, bytes);
    const attached = run([...h, 'attach', photo, '--section', 'feats', '--event', 'marathon 2026', '--json']);
    expect(attached.code, attached.stderr).toBe(0);
    const { cid } = attached.json();
    expect(cid).toMatch(/^bafk/);
    const out = join(dir, 'copy.png');
    expect(run([...h, 'media', 'get', cid, '--out', out]).code).toBe(0);
    expect(new Uint8Array(readFileSync(out))).toEqual(bytes);
    expectCleanError(run([...h, 'media', 'get', cid, '--out', out]), /already exists/);
    expect(run([...h, 'media', 'list', '--json']).json()).toMatchObject([{ cid, section: 'feats', event: 'marathon 2026', name: 'finish.png', type: 'image/png' }]);
  });

  it('nothing under the home folder holds a field value, a mnemonic word run or a private key', () => {
    const secrets = deriveIdentitySecrets(crypto, mnemonic);
    const words = mnemonic.split(' ');
    const needles: Buffer[] = [
      Buffer.from('alice@example.org'), Buffer.from('+44 20 7946'), Buffer.from('marathon 2026'), Buffer.from('finish.png'),
      Buffer.from(words.slice(0, 3).join(' ')), Buffer.from(words.slice(10, 13).join(' ')),
      Buffer.from(secrets.ed25519Seed), Buffer.from(secrets.x25519Secret), Buffer.from(secrets.babyJubjubSecret),
      Buffer.from(Buffer.from(secrets.ed25519Seed).toString('hex')), Buffer.from(Buffer.from(secrets.ed25519Seed).toString('base64')),
    ];
    const files = filesUnder(home);
    expect(files.some((f) => f.endsWith('defaust.db'))).toBe(true);
    for (const file of files) {
      const content = readFileSync(file);
      for (const needle of needles) expect(content.includes(needle), `${needle.toString('utf8').slice(0, 20)} in ${file}`).toBe(false);
    }
  });

  it('export, then recover on a new machine and import: the same id, head and profile', () => {
    const dir = tempDir();
    const archive = join(dir, 'alice.defaust');
    expect(run([...h, 'export', '--out', archive]).code).toBe(0);
    const other = ['--home', join(dir, 'new-machine')];
    const recovered = run([...other, 'recover', '--json'], { input: `${mnemonic}\n` });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.json()).toEqual({ id, chain: false });
    expectCleanError(run([...other, 'show']), /import your archive/);
    const imported = run([...other, 'import', archive, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(run([...other, 'show', '--json']).json()).toEqual(run([...h, 'show', '--json']).json());
    const log = run([...other, 'log', '--json']).json() as { kind: string; cid: string }[];
    const original = run([...h, 'log', '--json']).json() as { kind: string; cid: string }[];
    expect(log.slice(0, original.length)).toEqual(original);
    expect(log[original.length]!.kind).toBe('device-add');
    expect(run([...other, 'verify']).code).toBe(0);
  });

  it('a damaged archive is refused with a clear error and changes nothing', () => {
    const dir = tempDir();
    const archive = join(dir, 'a.defaust');
    run([...h, 'export', '--out', archive]);
    const bytes = readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x10;
    writeFileSync(archive, bytes);
    const before = run([...h, 'log', '--json']).stdout;
    const r = run([...h, 'import', archive]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(run([...h, 'log', '--json']).stdout).toBe(before);
    writeFileSync(archive, 'not an archive');
    expectCleanError(run([...h, 'import', archive]), /not a DeFaust archive/);
  });

  it('a tampered database fails verify naming the rule and the seq', () => {
    const dir = tempDir();
    const copy = join(dir, 'tampered');
    const archive = join(dir, 'a.defaust');
    run([...h, 'export', '--out', archive]);
    run(['--home', copy, 'recover', '--mnemonic', mnemonic]);
    run(['--home', copy, 'import', archive]);
    const db = new Database(join(copy, 'defaust.db'));
    const row = db.prepare('SELECT bytes FROM headers WHERE seq = 4').pluck().get() as Buffer;
    row[row.length - 5]! ^= 1;
    db.prepare('UPDATE headers SET bytes = ? WHERE seq = 4').run(row);
    db.close();
    const r = run(['--home', copy, 'verify', '--json']);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ ok: false, length: expect.any(Number), error: { code: 'chain/signature', seq: 4 } });
    expect(run(['--home', copy, 'verify']).stdout).toMatch(/INVALID: block 4: .*rule signature/);
  });

  it('wrong passphrase, missing home, bad arguments and unknown commands: one line, non-zero, no stack', () => {
    expectCleanError(run([...h, 'show'], { env: { DEFAUST_PASSPHRASE: 'wrong passphrase' } }), /wrong passphrase/);
    expectCleanError(run(['--home', join(tempDir(), 'nobody'), 'show']), /no DeFaust home|no identity/);
    expectCleanError(run([...h, 'set', 'contact']), /wrong number of arguments/, 2);
    expectCleanError(run([...h, 'set', 'contact', 'a', 'b', '--colour', 'red']), /Unknown option/, 2);
    expectCleanError(run([...h, 'frobnicate']), /unknown command/, 2);
    expectCleanError(run([...h, 'set', 'Bad Section!', 'x', 'y']), /section name/);
    expectCleanError(run([...h, 'set', 'public', 'age', 'old', '--type', 'number']), /must be a decimal number/);
    expectCleanError(run([...h, 'attach', '/no/such/file.png', '--section', 'feats', '--event', 'x']), /no such file/);
    expectCleanError(run([...h, 'media', 'get', 'bafkreib', '--out', join(tempDir(), 'x')]), /no media/);
    expectCleanError(run(['--home', join(tempDir(), 'r'), 'recover', '--mnemonic', 'one two three']), /recovery phrase/);
    expectCleanError(run(['--home', join(tempDir(), 's'), 'init'], { env: { DEFAUST_PASSPHRASE: 'short' } }), /at least 8/);
    expect(existsSync(join(home, 'keystore.json'))).toBe(true);
    expect(run([...h, 'show', '--json'], { env: { DEFAUST_PASSPHRASE: 'wrong passphrase' } }).json()).toEqual({ ok: false, error: { code: 'wrong-passphrase', message: 'wrong passphrase' } });
  });

  it('--help lists every command', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['init', 'recover', 'whoami', 'set', 'unset', 'show', 'log', 'verify', 'attach', 'media get', 'export', 'import']) expect(r.stdout).toContain(`defaust ${name}`);
  });
});
