// Migration 9 (the verifier's nonces) on its own; the nonce store on SQLite beside its in-memory twin, through
// one compliance suite; and the nonce memory on top: issued once, used once, before expiry.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src-main/adapters/db/migrations/index.ts';
import { MemoryNonceStore, SqliteNonceStore } from '../src-main/adapters/db/nonce-store.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { NonceMemory, NonceRefusedError, DEFAULT_NONCE_TTL_MS } from '../src-main/app/proofs/nonces.ts';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import type { NonceStore } from '../src-main/core/ports.ts';
import { FIELD_MODULUS } from '../src-main/core/zk/field.ts';
import { tempDir } from './helpers.ts';

describe('migration 009 nonces', () => {
  it('adds the nonces on top of 008; a state is issued or used; a nonce is held once', () => {
    const db = new Database(':memory:');
    migrate(db, 8);
    expect(migrate(db, 9)).toBe(9);
    const insert = db.prepare('INSERT INTO nonces (nonce, issued_at, expires, state) VALUES (?, ?, ?, ?)');
    insert.run('1', 0, 10, 'issued');
    expect(() => insert.run('2', 0, 10, 'spent')).toThrow(/CHECK/);
    expect(() => insert.run('1', 0, 10, 'issued')).toThrow(/UNIQUE|PRIMARY/);
  });
});

for (const [name, make] of [['sqlite', () => new SqliteNonceStore(new SqliteChainStore(':memory:').database)], ['memory', () => new MemoryNonceStore()]] as const) {
  describe(`nonce store (${name})`, () => {
    it('issues once; uses once, before expiry; says why it cannot', () => {
      const store: NonceStore = make();
      expect(store.issue('7', 100, 200)).toBe(true);
      expect(store.issue('7', 150, 900)).toBe(false);
      expect(store.get('7')).toEqual({ nonce: '7', issuedAt: 100, expires: 200, state: 'issued', usedAt: null });
      expect(store.use('8', 150)).toBe('unknown');
      expect(store.use('7', 200)).toBe('expired');
      expect(store.get('7')!.state).toBe('issued');
      expect(store.use('7', 199)).toBe('used');
      expect(store.get('7')).toEqual({ nonce: '7', issuedAt: 100, expires: 200, state: 'used', usedAt: 199 });
      expect(store.use('7', 199)).toBe('already-used');
      expect(store.use('7', 500)).toBe('already-used');
      expect(store.get('8')).toBeUndefined();
    });
  });
}

describe('nonce store (sqlite, two connections to one home)', () => {
  it('one nonce is used once, whichever process asks first', () => {
    const file = join(tempDir(), 'defaust.db');
    const [a, b] = [new SqliteChainStore(file), new SqliteChainStore(file)];
    const [first, second] = [new SqliteNonceStore(a.database), new SqliteNonceStore(b.database)];
    expect(first.issue('42', 0, 100)).toBe(true);
    expect(second.issue('42', 0, 100)).toBe(false);
    expect([second.use('42', 50), first.use('42', 50)]).toEqual(['used', 'already-used']);
    a.close();
    b.close();
  });
});

describe('nonce memory', () => {
  it('issues random field elements that expire after the ttl (24 h by default) and refuses each misuse with typed fields', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const memory = new NonceMemory(new MemoryNonceStore(), createNodeCrypto(), { now: () => now });
    const first = memory.issue();
    const second = memory.issue(60_000);
    expect(first.expires - now).toBe(DEFAULT_NONCE_TTL_MS);
    expect(second.expires - now).toBe(60_000);
    for (const { nonce } of [first, second]) expect(BigInt(nonce) < FIELD_MODULUS && BigInt(nonce) > 0n).toBe(true);
    expect(first.nonce).not.toBe(second.nonce);
    expect(() => memory.issue(0)).toThrow(/above 0/);

    const refusal = (nonce: bigint): NonceRefusedError => {
      try {
        memory.use(nonce);
      } catch (error) {
        if (error instanceof NonceRefusedError) return error;
        throw error;
      }
      throw new Error('the nonce was taken');
    };
    expect(refusal(5n)).toMatchObject({ code: 'proof/nonce-unknown', refusal: 'unknown', nonce: '5', at: undefined });
    now += 60_000;
    expect(refusal(BigInt(second.nonce))).toMatchObject({ code: 'proof/nonce-expired', refusal: 'expired', at: second.expires, message: expect.stringMatching(/expired at 2026-01-01T00:01:00.000Z/u) });
    memory.use(BigInt(first.nonce));
    expect(refusal(BigInt(first.nonce))).toMatchObject({ code: 'proof/nonce-used', refusal: 'already-used', at: now, message: expect.stringMatching(/already used .*replay/u) });
  });
});
