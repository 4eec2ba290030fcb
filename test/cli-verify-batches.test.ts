// `defaust verify` on a chain long enough for the signature workers (verify pool): a real child process
// that verifies on worker threads, exits when done, and names the same rule and seq as the verifier on
// one thread when a block deep in the chain was tampered with.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { PASS, run } from './cli-helpers.ts';
import { crypto, tempDir } from './helpers.ts';

const BLOCKS = 1500;

describe('defaust verify on every core', { timeout: 180_000 }, () => {
  const home = join(tempDir(), 'long');
  const h = new Home(home);
  const { profile, id } = h.init(PASS);
  while (profile.length < BLOCKS) profile.set('fitness', `lap${profile.length % 50}`, profile.length);
  h.close();

  it(`verifies a ${BLOCKS}-block chain and exits`, () => {
    const r = run(['--home', home, 'verify', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ ok: true, length: BLOCKS });
  });

  it('names the tampered block deep in the chain as the one-thread verifier does', () => {
    const db = new Database(join(home, 'defaust.db'));
    const row = db.prepare('SELECT bytes FROM headers WHERE seq = 1234').pluck().get() as Buffer;
    row[row.length - 5]! ^= 1;
    db.prepare('UPDATE headers SET bytes = ? WHERE seq = 1234').run(row);
    db.close();
    const r = run(['--home', home, 'verify', '--json']);
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ ok: false, error: { code: 'chain/signature', seq: 1234 } });
    const reference = new Home(home);
    const one = verifyStoredChain(crypto, reference.store, id);
    reference.close();
    expect(r.json().error).toEqual({ code: one.error!.code, seq: one.error!.seq, message: one.error!.message });
  });
});
