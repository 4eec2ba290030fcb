// Two writers on one SQLite file (two processes, or the CLI beside a running wallet): each write catches up
// with what the other appended, re-signs on the true head and lands; a store that keeps refusing ends in a
// typed ConcurrentWriteError with the folds as they were.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { parseCid } from '../src-main/core/chain/codec.ts';
import { ChainVerificationError, ConcurrentWriteError } from '../src-main/core/chain/errors.ts';
import { HEADER_VERSION, signHeader } from '../src-main/core/chain/header.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { retryPauseMs, type WriteRetry } from '../src-main/core/chain/writer.ts';
import { StoreConflictError } from '../src-main/core/ports.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, tempDir } from './helpers.ts';

/** The real store, refusing its first `refusals` transactions as a store whose lock another writer held. */
class RefusingStore extends SqliteChainStore {
  refusals = 0;
  override transaction<T>(work: () => T): T {
    if (this.refusals > 0) {
      this.refusals--;
      throw new StoreConflictError('the database is busy with another writer (SQLITE_BUSY)');
    }
    return super.transaction(work);
  }
}

function twoWriters() {
  const file = join(tempDir(), 'defaust.db');
  const keys = ownerKeys();
  const first = new SqliteChainStore(file);
  const a = Profile.create(deps(first), keys);
  const second = new RefusingStore(file);
  const pauses: number[] = [];
  const retry: WriteRetry = { tries: 4, pause: (ms) => pauses.push(ms) };
  const b = Profile.open({ ...deps(second), retry }, keys);
  return { a, b, first, second, pauses };
}

describe('concurrent writers on one SQLite file', () => {
  it('a writer whose head is behind catches up, re-signs on the new head and lands; the other sees it on refresh', () => {
    const { a, b, first } = twoWriters();
    a.set('contact', 'email', 'a@example.org');
    a.set('contact', 'phone', '1');
    const block = b.set('contact', 'city', 'Lyon');
    expect(block.seq).toBe(5);
    expect(b.current().contact?.fields).toEqual({ email: 'a@example.org', phone: '1', city: 'Lyon' });
    expect(verifyStoredChain(crypto, first, a.id)).toMatchObject({ ok: true, length: 6 });
    expect(a.current().contact?.fields).not.toHaveProperty('city');
    expect(a.refresh()).toBe(true);
    expect(a.refresh()).toBe(false);
    expect(a.current().contact?.fields).toEqual({ email: 'a@example.org', phone: '1', city: 'Lyon' });
    expect(a.set('contact', 'zip', '69001').seq).toBe(6);
  });

  it('a refused write is tried again after a jittered pause, and lands once', () => {
    const { a, b, second, pauses } = twoWriters();
    a.set('contact', 'email', 'a@example.org');
    second.refusals = 2;
    expect(b.set('contact', 'city', 'Lyon').seq).toBe(4);
    expect(pauses).toHaveLength(2);
    expect(pauses[0]).toBeGreaterThanOrEqual(retryPauseMs(1, 0));
    expect(pauses[0]).toBeLessThanOrEqual(retryPauseMs(1, 1)); // random < 1, but the pause is rounded to whole ms
    expect(pauses[1]).toBeGreaterThanOrEqual(retryPauseMs(2, 0));
    expect(verifyStoredChain(crypto, second, b.id)).toMatchObject({ ok: true, length: 5 });
  });

  it('after every try is refused: a ConcurrentWriteError, nothing written, the folds as stored', () => {
    const { a, b, second } = twoWriters();
    a.set('contact', 'email', 'a@example.org');
    second.refusals = 100;
    let error: unknown;
    try {
      b.set('contact', 'city', 'Lyon');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConcurrentWriteError);
    expect(error).toMatchObject({ code: 'concurrent-write', tries: 4 });
    expect(second.head(b.id)?.seq).toBe(3);
    expect(b.length).toBe(3);
    expect(b.current().contact).toBeUndefined();
    expect(b.refresh()).toBe(true);
    expect(b.current().contact?.fields).toEqual({ email: 'a@example.org' });
  });

  it("a block another writer appended is checked before it is folded: a forged signature is refused", () => {
    const { a, b, first, second } = twoWriters();
    const head = first.head(a.id)!;
    const forged = signHeader(crypto, {
      v: HEADER_VERSION, id: a.id, seq: head.seq + 1, prev: parseCid(head.cid), ts: head.ts + 1, kind: 'delta', author: a.device, bodies: [], meta: {},
    }, crypto.randomBytes(32));
    first.append(a.id, [{ header: { seq: head.seq + 1, cid: forged.cid.toString(), kind: 'delta', ts: head.ts + 1, author: a.device, bytes: forged.bytes }, bodies: [] }]);
    expect(() => b.set('contact', 'city', 'Lyon')).toThrow(ChainVerificationError);
    expect(second.head(b.id)?.seq).toBe(head.seq + 1);
  });

  it('the pause doubles from 10 ms to 640 ms, drawn in [½, 1½) of it', () => {
    expect([1, 2, 7, 20].map((n) => retryPauseMs(n, 0))).toEqual([5, 10, 320, 320]);
    expect([1, 2, 7, 20].map((n) => retryPauseMs(n, 0.999))).toEqual([15, 30, 959, 959]);
  });
});
