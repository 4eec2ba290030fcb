// A disk that fills up under a real writer (a tmpfs of 1 MiB): the write that does not fit leaves no torn
// block, the CLI says so in one typed line (`disk-full`), SQLite's integrity check and the chain verifier
// pass, and once space is freed (the mount grows) writes work again. Skips, saying why, where mounting is
// not permitted; every mount it makes is unmounted. The same through SQLite's own quota (max_page_count),
// which runs anywhere.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseBusyError, DatabaseCorruptError, withDatabaseErrors } from '../src-main/adapters/db/sqlite-errors.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { SqliteRequestStore } from '../src-main/adapters/db/request-store.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { StorageFullError, StorageIoError } from '../src-main/core/storage-errors.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { expectCleanError, run } from './cli-helpers.ts';
import { crypto, ownerKeys, TestClock, tempDir } from './helpers.ts';

const base = tempDir('defaust-io-');
const mountPoint = join(base, 'disk');
mkdirSync(mountPoint);
let mounted = false;
let notMounted = '';
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  notMounted = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
}

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(base, { recursive: true, force: true });
});

function inspect(home: string, id: Did) {
  const store = new SqliteChainStore(join(home, 'defaust.db'));
  try {
    return {
      integrity: store.database.pragma('integrity_check', { simple: true }),
      report: verifyStoredChain(crypto, store, id),
    };
  } finally {
    store.close();
  }
}

describe('a write the disk cannot hold', () => {
  it('leaves no torn block, says disk-full in one line, and writes work again once space is freed', (ctx) => {
    if (!mounted) {
      console.warn(`io-fault test skipped: cannot mount a tmpfs here (${notMounted})`);
      ctx.skip();
    }
    const home = join(mountPoint, 'home');
    const init = run(['--home', home, 'init', '--label', 'io', '--json']);
    expect(init.code, init.stderr).toBe(0);
    const id = init.json().id as Did;
    const file = join(base, 'clip.bin');
    writeFileSync(file, crypto.randomBytes(300_000));

    let attached = 0;
    let failure: ReturnType<typeof run> | undefined;
    for (let i = 0; i < 12 && failure === undefined; i++) {
      const r = run(['--home', home, 'attach', file, '--section', 'public', '--event', `e${i}`]);
      if (r.code === 0) attached++;
      else failure = r;
    }
    expect(attached, 'some attachments fit before the disk is full').toBeGreaterThan(0);
    expect(failure, 'the disk filled up').toBeDefined();
    expectCleanError(failure!, /^defaust: the disk is full: nothing was written/u);
    const before = inspect(home, id);
    expect(before.integrity).toBe('ok');
    expect(before.report.ok, JSON.stringify(before.report.error)).toBe(true);
    const length = before.report.length;

    const json = run(['--home', home, 'set', 'public', 'name', 'Ada', '--json']);
    if (json.code !== 0) expect(json.json()).toMatchObject({ ok: false, error: { code: 'disk-full' } });
    expect(inspect(home, id).report.length).toBe(json.code === 0 ? length + 1 : length);

    execFileSync('mount', ['-o', 'remount,size=8m', mountPoint]);
    const again = run(['--home', home, 'attach', file, '--section', 'public', '--event', 'after']);
    expect(again.code, again.stderr).toBe(0);
    const after = inspect(home, id);
    expect(after.integrity).toBe('ok');
    expect(after.report.ok, JSON.stringify(after.report.error)).toBe(true);
    expect(after.report.length).toBeGreaterThan(length);
  }, 120_000);
});

describe('a write over the database quota (SQLite max_page_count: a real SQLITE_FULL)', () => {
  it('is a typed disk-full error, rolls back whole, and writes work again once the quota grows', () => {
    const store = new SqliteChainStore(join(tempDir(), 'defaust.db'));
    try {
      const profile = Profile.create({ crypto, store, clock: new TestClock(), requests: new SqliteRequestStore(store.database) }, ownerKeys());
      const pages = store.database.pragma('page_count', { simple: true }) as number;
      store.database.pragma(`max_page_count = ${pages + 20}`);
      let written = 0;
      let failure: unknown;
      for (let i = 0; i < 50 && failure === undefined; i++) {
        try {
          profile.attach('public', `e${i}`, crypto.randomBytes(30_000), 'a.bin', 'application/octet-stream');
          written++;
        } catch (error) {
          failure = error;
        }
      }
      expect(failure).toBeInstanceOf(StorageFullError);
      expect((failure as StorageFullError).code).toBe('disk-full');
      const length = profile.length;
      expect(store.database.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(verifyStoredChain(crypto, store, profile.id)).toMatchObject({ ok: true, length });
      expect(length).toBe(3 + written);
      store.database.pragma(`max_page_count = ${pages + 10_000}`);
      profile.set('public', 'name', 'Ada');
      expect(verifyStoredChain(crypto, store, profile.id)).toMatchObject({ ok: true, length: length + 1 });
    } finally {
      store.close();
    }
  });

  it('SQLITE_IOERR (EIO and kin) is a typed disk-io error, busy and foreign files theirs; other failures pass on', () => {
    const failing = (code: string) => () => withDatabaseErrors('/home/defaust.db', () => {
      throw Object.assign(new Error('disk I/O error'), { code });
    });
    expect(failing('SQLITE_IOERR_WRITE')).toThrow(StorageIoError);
    expect(failing('SQLITE_IOERR_FSYNC')).toThrow(/disk failed to write \(SQLITE_IOERR_FSYNC\): nothing was written/u);
    expect(failing('SQLITE_BUSY')).toThrow(DatabaseBusyError);
    expect(failing('SQLITE_NOTADB')).toThrow(DatabaseCorruptError);
    expect(failing('SQLITE_CONSTRAINT')).toThrow('disk I/O error');
  });
});
