// Files and the home folder, driven through the real command: planted symbolic links cannot redirect an
// --out write, every file DeFaust writes is 0600 (the home 0700) whatever the umask, and a file as the home,
// a garbage database, a database another process holds, or a tampered keystore are each one typed line.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, PASS, run } from './cli-helpers.ts';

const BIN = new URL('../bin/defaust.mjs', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;
const mode = (path: string) => statSync(path).mode & 0o777;

/** The command under umask 000, where any mode DeFaust does not set itself comes out world-writable. */
function runUmask0(args: string[]) {
  const r = spawnSync('sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, BIN, ...args], {
    encoding: 'utf8', input: '', env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const errorCode = (r: ReturnType<typeof run>) => (r.json() as { error: { code: string } }).error.code;

describe('defaust files and home safety', { timeout: 180_000 }, () => {
  const dir = tempDir();
  const alice = join(dir, 'alice');
  const bob = join(dir, 'bob');
  const A = ['--home', alice];
  const B = ['--home', bob];
  let aliceId = '';
  let bobId = '';
  let mnemonic = '';
  let archive = '';
  let requestId = '';
  const victim = join(dir, 'victim.txt');

  /** A link to the victim file and a dangling link to where a second victim would be, both under `name`. */
  function plant(name: string): { link: string; dangling: string; absent: string } {
    const link = join(dir, `${name}.link`);
    const dangling = join(dir, `${name}.dangling`);
    const absent = join(dir, `${name}.absent`);
    symlinkSync(victim, link);
    symlinkSync(absent, dangling);
    return { link, dangling, absent };
  }

  function expectUntouched(planted: { link: string; dangling: string; absent: string }) {
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(planted.link).isSymbolicLink()).toBe(true);
    expect(lstatSync(planted.dangling).isSymbolicLink()).toBe(true);
    expect(existsSync(planted.absent)).toBe(false);
  }

  beforeAll(() => {
    writeFileSync(victim, 'precious\n');
    const a = run([...A, 'init', '--json']);
    expect(a.code, a.stderr).toBe(0);
    ({ id: aliceId, mnemonic } = a.json());
    bobId = run([...B, 'init', '--json']).json().id;
    expect(run([...A, 'grant', bobId, 'fitness', '--rights', 'propose', '--until', '2099-01-01']).code).toBe(0);
    archive = join(dir, 'alice.defaust');
    expect(run([...A, 'export', '--out', archive]).code).toBe(0);
    const request = join(dir, 'weight.request');
    const proposed = run([...B, 'propose', aliceId, 'fitness', 'weight', '58', '--type', 'number', '--archive', archive, '--out', request, '--json']);
    expect(proposed.code, proposed.stderr).toBe(0);
    requestId = proposed.json().id;
    expect(run([...A, 'requests', 'import', request]).code).toBe(0);
  }, 180_000);

  it('export --out and propose --out refuse a planted link (to a file, or dangling), even with --force', () => {
    const planted = plant('export');
    for (const out of [planted.link, planted.dangling]) {
      expectCleanError(run([...A, 'export', '--out', out, '--force']), /is a symbolic link/);
      const r = run([...B, 'propose', aliceId, 'fitness', 'weight', '59', '--type', 'number', '--archive', archive, '--out', out, '--force', '--json']);
      expect(errorCode(r)).toBe('file-is-symlink');
    }
    expectUntouched(planted);
  });

  it('reject --out refuses a planted link before it rejects: the request stays pending', () => {
    const planted = plant('reject');
    expectCleanError(run([...A, 'reject', requestId, '--out', planted.link, '--force']), /is a symbolic link/);
    expectCleanError(run([...A, 'reject', requestId, '--out', planted.dangling]), /is a symbolic link/);
    expectUntouched(planted);
    expect(run([...A, 'requests', '--json']).json()).toMatchObject([{ id: requestId, status: 'pending' }]);
    const reply = join(dir, 'reply');
    expect(run([...A, 'reject', requestId, '--out', reply]).code).toBe(0);
    expect(mode(reply)).toBe(0o600);
  });

  it('attest request --out refuses a link as the folder, and a link planted at the file name it will write', () => {
    const cid = run([...A, 'feat', 'claim', 'Ten thousand steps', '--type', 'walk', '--policy', 'k-of-n:1', '--json']).json().cid as string;
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const linkedFolder = join(dir, 'requests.link');
    symlinkSync(elsewhere, linkedFolder);
    expectCleanError(run([...A, 'attest', 'request', cid, '--witness', bobId, '--out', linkedFolder]), /is a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
    const folder = join(dir, 'requests');
    mkdirSync(folder);
    symlinkSync(victim, join(folder, `${bobId.slice(-12)}.attest-request`));
    expectCleanError(run([...A, 'attest', 'request', cid, '--witness', bobId, '--out', folder, '--force']), /is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('the home is 0700 and the database, its WAL and SHM, the keystore and exports are 0600, under umask 000', () => {
    const parent = join(dir, 'open');
    mkdirSync(parent, { mode: 0o777 });
    const home = join(parent, 'home');
    const H = ['--home', home];
    expect(runUmask0([...H, 'init']).code).toBe(0);
    const db = join(home, 'defaust.db');
    expect(mode(home)).toBe(0o700);
    expect(mode(join(home, 'keystore.json'))).toBe(0o600);
    expect(mode(db)).toBe(0o600);
    // While another connection holds the database, its -wal and -shm files stay on disk to be looked at.
    const held = new Database(db);
    try {
      held.prepare('SELECT count(*) FROM headers').get();
      const set = runUmask0([...H, 'set', 'contact', 'email', 'a@example.org']);
      expect(set.code, set.stderr).toBe(0);
      for (const file of [db, `${db}-wal`, `${db}-shm`]) expect(mode(file), file).toBe(0o600);
      const out = join(parent, 'export.defaust');
      expect(runUmask0([...H, 'export', '--out', out]).code).toBe(0);
      expect(mode(out)).toBe(0o600);
    } finally {
      held.close();
    }
  });

  it('an existing home others can read, and database files left 0644, are brought back to 0700 and 0600 on open', () => {
    const db = join(alice, 'defaust.db');
    const held = new Database(db);
    try {
      held.prepare('SELECT count(*) FROM headers').get();
      chmodSync(alice, 0o755);
      for (const file of [db, `${db}-wal`, `${db}-shm`]) chmodSync(file, 0o644);
      expect(run([...A, 'show']).code).toBe(0);
      expect(mode(alice)).toBe(0o700);
      for (const file of [db, `${db}-wal`, `${db}-shm`]) expect(mode(file), file).toBe(0o600);
    } finally {
      held.close();
    }
  });

  it('a file given as the home is one typed line (home-not-a-folder), for init and for commands that read', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    expectCleanError(run(['--home', file, 'init']), /is not a folder/);
    expect(errorCode(run(['--home', file, 'show', '--json']))).toBe('home-not-a-folder');
    expectCleanError(run(['--home', join(file, 'below'), 'whoami']), /is not a folder/);
  });

  it('a defaust.db that is not a database is one typed line (database-corrupt); init then writes no keystore', () => {
    const fresh = join(dir, 'garbage-new');
    mkdirSync(fresh);
    writeFileSync(join(fresh, 'defaust.db'), 'this is not a SQLite database, just text long enough to be read');
    expectCleanError(run(['--home', fresh, 'init']), /not a DeFaust database/);
    expect(existsSync(join(fresh, 'keystore.json'))).toBe(false);
    const existing = join(dir, 'garbage-existing');
    mkdirSync(existing);
    copyFileSync(join(alice, 'keystore.json'), join(existing, 'keystore.json'));
    writeFileSync(join(existing, 'defaust.db'), Buffer.alloc(8192, 0xa5));
    const r = run(['--home', existing, 'show', '--json']);
    expect(errorCode(r)).toBe('database-corrupt');
    expectCleanError(r, /not a DeFaust database/);
  });

  it('a database another process holds locked is one typed line (database-busy) once the busy timeout passes', async () => {
    const db = join(bob, 'defaust.db');
    const holder = spawn(process.execPath, ['-e', `
      const db = new (require('better-sqlite3'))(process.argv[1]);
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);`, db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
        holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
      });
      const r = run([...B, 'show', '--json']);
      expect(errorCode(r)).toBe('database-busy');
      expectCleanError(r, /locked by another process/);
    } finally {
      holder.kill();
    }
  });

  it('a keystore with out-of-bounds scrypt parameters is one typed line (keystore-corrupt), before any scrypt', () => {
    const home = join(dir, 'tampered');
    mkdirSync(home);
    const file = JSON.parse(readFileSync(join(alice, 'keystore.json'), 'utf8')) as { kdf: Record<string, unknown> };
    writeFileSync(join(home, 'keystore.json'), JSON.stringify({ ...file, kdf: { ...file.kdf, N: 2 ** 22, r: 32 } }));
    const r = run(['--home', home, 'show', '--json']);
    expect(errorCode(r)).toBe('keystore-corrupt');
    expectCleanError(r, /keystore .* is damaged/);
  });

  it('recover --mnemonic still works but warns on stderr that other processes can read it; stdin does not warn', () => {
    const flagged = run(['--home', join(dir, 'recovered-flag'), 'recover', '--mnemonic', mnemonic, '--json']);
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(flagged.json()).toMatchObject({ id: aliceId });
    expect(flagged.stderr).toMatch(/^defaust: warning: --mnemonic .*other processes.*stdin/u);
    expect(flagged.stderr.trim().split('\n')).toHaveLength(1);
    const piped = run(['--home', join(dir, 'recovered-stdin'), 'recover', '--json'], { input: mnemonic + '\n' });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
    expect(run(['recover', '--help']).stdout).toMatch(/PHRASE-FILE.*--mnemonic .* ps/u);
  });
});
