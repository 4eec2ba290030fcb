// Runs the ChainStore compliance suite on every implementation, and tests each migration on its own.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { MIGRATIONS, migrate, SchemaTooNewError, LATEST_SCHEMA } from '../src-main/adapters/db/migrations/index.ts';
import { SqliteEvidenceStore } from '../src-main/adapters/db/evidence-store.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { MemoryRequestStore, SqliteRequestStore } from '../src-main/adapters/db/request-store.ts';
import { MemoryMailboxStore, SqliteMailboxStore } from '../src-main/adapters/db/mailbox-store.ts';
import { mailboxStoreCompliance, requestStoreCompliance, storeCompliance } from './store-compliance.ts';
import { tempDir } from './helpers.ts';

storeCompliance('memory', () => new MemoryChainStore());
storeCompliance('sqlite (in memory)', () => new SqliteChainStore(':memory:'));
storeCompliance('sqlite (file, WAL)', () => new SqliteChainStore(join(tempDir(), 'defaust.db')));
requestStoreCompliance('memory', () => new MemoryRequestStore());
requestStoreCompliance('sqlite', () => new SqliteRequestStore(new SqliteChainStore(':memory:').database));
mailboxStoreCompliance('memory', () => new MemoryMailboxStore());
mailboxStoreCompliance('sqlite', () => new SqliteMailboxStore(new SqliteChainStore(':memory:').database));

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);

describe('migrations', () => {
  // Numbers are handed to parallel branches: a branch may hold a later number before an earlier one is merged.
  it('are numbered in increasing order, the last one being the latest schema', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(LATEST_SCHEMA).toBe(versions[versions.length - 1]);
  });

  it('001 chain: creates headers and bodies; a seq is unique per chain', () => {
    const db = new Database(':memory:');
    expect(migrate(db, 1)).toBe(1);
    expect(tables(db)).toEqual(['bodies', 'headers']);
    const insert = db.prepare('INSERT INTO headers VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run('a', 0, 'c0', 'genesis', 1, 'a', Buffer.from([1]));
    expect(() => insert.run('a', 0, 'c1', 'delta', 2, 'a', Buffer.from([2]))).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('a', -1, 'c1', 'delta', 2, 'a', Buffer.from([2]))).toThrow(/CHECK/);
  });

  it('002 media and snapshots: adds blobs and snapshots on top of 001, keeping its data', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    db.prepare('INSERT INTO headers VALUES (?, ?, ?, ?, ?, ?, ?)').run('a', 0, 'c0', 'genesis', 1, 'a', Buffer.from([1]));
    expect(migrate(db, 2)).toBe(2);
    expect(tables(db)).toEqual(['blobs', 'bodies', 'headers', 'snapshots']);
    expect(db.prepare('SELECT count(*) FROM headers').pluck().get()).toBe(1);
  });

  it('003 requests: adds the request inbox; a status outside pending/approved/rejected is refused', () => {
    const db = new Database(':memory:');
    migrate(db, 2);
    expect(migrate(db, 3)).toBe(3);
    expect(tables(db)).toContain('requests');
    const insert = db.prepare('INSERT INTO requests VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run('a', 'r1', 'b', 'fitness', 1, 'pending', Buffer.from([1]));
    expect(() => insert.run('a', 'r2', 'b', 'fitness', 1, 'lost', Buffer.from([1]))).toThrow(/CHECK/);
    expect(() => insert.run('a', 'r1', 'b', 'fitness', 1, 'pending', Buffer.from([1]))).toThrow(/UNIQUE|PRIMARY/);
  });

  it('004 audit: adds the audit log; served is 0 or 1', () => {
    const db = new Database(':memory:');
    migrate(db, 3);
    expect(migrate(db, 4)).toBe(4);
    const insert = db.prepare('INSERT INTO audit (owner, requester, section, ts, served, reason) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run('o', 'r', 's', 1, 1, 'served');
    expect(() => insert.run('o', 'r', 's', 1, 2, 'x')).toThrow(/CHECK/);
  });

  it('005 mailbox: adds the mailbox; an id is unique, a kept deposit has exactly `size` bytes, a tombstone none', () => {
    const db = new Database(':memory:');
    migrate(db, 4);
    db.prepare('INSERT INTO audit (owner, requester, section, ts, served, reason) VALUES (?, ?, ?, ?, ?, ?)').run('o', 'r', 's', 1, 1, 'served');
    expect(migrate(db, 5)).toBe(5);
    expect(tables(db)).toContain('mailbox');
    expect(db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(1);
    const insert = db.prepare('INSERT INTO mailbox (id, recipient, sender, ts, expires_at, received_at, size, deposit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run('m1', 'a', 'b', 1, 10, 2, 3, Buffer.from([1, 2, 3]));
    insert.run('m2', 'a', 'b', 1, 10, 2, 3, null);
    expect(() => insert.run('m1', 'c', 'b', 1, 10, 2, 1, Buffer.from([1]))).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('m3', 'a', 'b', 1, 10, 2, 4, Buffer.from([1]))).toThrow(/CHECK/);
    expect(() => insert.run('m4', 'a', 'b', 1, 10, 2, -1, null)).toThrow(/CHECK/);
  });

  it('008 chain bytes: counts what 001..007 already hold, per chain (headers, bodies, blobs)', () => {
    const db = new Database(':memory:');
    migrate(db, 7);
    db.prepare('INSERT INTO headers VALUES (?, ?, ?, ?, ?, ?, ?)').run('a', 0, 'c0', 'genesis', 1, 'a', Buffer.from([1, 2, 3]));
    db.prepare('INSERT INTO headers VALUES (?, ?, ?, ?, ?, ?, ?)').run('b', 0, 'c1', 'genesis', 1, 'b', Buffer.from([1]));
    db.prepare('INSERT INTO bodies VALUES (?, ?, ?, ?)').run('d0', 'a', 0, Buffer.from([1, 2]));
    db.prepare('INSERT INTO blobs VALUES (?, ?, ?)').run('m0', 'a', Buffer.from([1, 2, 3, 4, 5]));
    db.prepare('INSERT INTO blobs VALUES (?, ?, ?)').run('m1', 'c', Buffer.from([1]));
    expect(migrate(db, 8)).toBe(8);
    expect(db.prepare('SELECT chain, bytes FROM chain_bytes ORDER BY chain').all()).toEqual([
      { chain: 'a', bytes: 10 }, { chain: 'b', bytes: 1 }, { chain: 'c', bytes: 1 },
    ]);
    const store = new SqliteChainStore(db);
    expect(store.storedBytes('a')).toBe(10);
    expect(() => db.prepare('INSERT INTO chain_bytes VALUES (?, ?)').run('d', -1)).toThrow(/CHECK/);
  });

  it('010 evidence: one row per accused did and evidence id; a second add of the same evidence changes nothing', () => {
    const db = new Database(':memory:');
    migrate(db, 9);
    expect(migrate(db, 10)).toBe(10);
    const store = new SqliteEvidenceStore(db);
    const finding = { kind: 'refutation' as const, id: 'e1', accused: ['did:a', 'did:b'], claim: 'c', ts: 5 };
    expect(store.add(finding, new Uint8Array([1, 2]), 7)).toBe(true);
    expect(store.add(finding, new Uint8Array([1, 2]), 8)).toBe(false);
    expect(store.about('did:b')).toEqual([{ finding, bytes: new Uint8Array([1, 2]), receivedAt: 7 }]);
    expect(store.about('did:c')).toEqual([]);
    expect(() => db.prepare("INSERT INTO evidence VALUES ('x', 'y', 'rumour', '{}', x'00', 1)").run()).toThrow(/CHECK/);
  });

  it('running them again changes nothing, and a newer schema is refused', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(migrate(db)).toBe(LATEST_SCHEMA);
    db.pragma(`user_version = ${LATEST_SCHEMA + 1}`);
    expect(() => migrate(db)).toThrow(SchemaTooNewError);
  });

  it('the chain database runs WAL with synchronous FULL', () => {
    const store = new SqliteChainStore(join(tempDir(), 'x.db'));
    expect(store.durability()).toEqual({ journalMode: 'wal', synchronous: 'full' });
    store.close();
  });
});
