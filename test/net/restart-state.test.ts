// The pieces of a node's state that outlive a restart, each on a real SQLite file reopened: libp2p's
// datastore (the interface-datastore contract kad-dht and the peer store rely on), the held head records
// (the highest seq wins), and the node key file (same key after a restart; an unreadable file is a typed
// error and is left as it is).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Key } from 'interface-datastore';
import { SqliteHeldRecordStore } from '../../src-main/adapters/db/held-record-store.ts';
import { SqliteChainStore } from '../../src-main/adapters/db/sqlite-store.ts';
import { SqliteDatastore } from '../../src-main/adapters/p2p/datastore.ts';
import { NodeKeyError, nodeKeyAt } from '../../src-main/adapters/p2p/peer-key.ts';
import { tempDir } from '../helpers.ts';

const dir = tempDir('defaust-node-state-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect<T>(items: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('SqliteDatastore', () => {
  it('keeps, replaces, finds by prefix and deletes entries, and still holds them after the database is reopened', async () => {
    const path = join(dir, 'ds.db');
    let db = new SqliteChainStore(path);
    let ds = new SqliteDatastore(db.database);
    const bytes = (n: number) => new Uint8Array([n, n + 1, n + 2]);
    await ds.put(new Key('/dht/record/a'), bytes(1));
    await ds.put(new Key('/dht/record/b'), bytes(2));
    await ds.put(new Key('/dht/provider/x'), bytes(3));
    await ds.put(new Key('/dht/record/a'), bytes(4));
    expect(await collect(ds.queryKeys({ prefix: '/dht/record' }))).toEqual([new Key('/dht/record/a'), new Key('/dht/record/b')]);
    db.close();

    db = new SqliteChainStore(path);
    ds = new SqliteDatastore(db.database);
    expect(await ds.get(new Key('/dht/record/a'))).toEqual(bytes(4));
    expect(await ds.has(new Key('/dht/provider/x'))).toBe(true);
    expect((await collect(ds.query({ prefix: '/dht/provider' }))).map((p) => [p.key.toString(), [...p.value]])).toEqual([['/dht/provider/x', [3, 4, 5]]]);
    await ds.delete(new Key('/dht/provider/x'));
    expect(await ds.has(new Key('/dht/provider/x'))).toBe(false);
    // kad-dht and the peer store tell a missing key by the error's name.
    await expect(Promise.resolve().then(() => ds.get(new Key('/missing')))).rejects.toMatchObject({ name: 'NotFoundError' });
    // Batches (BaseDatastore's) land too; a query may delete while it iterates.
    const batch = ds.batch();
    batch.put(new Key('/peers/1'), bytes(7));
    batch.put(new Key('/peers/2'), bytes(8));
    await batch.commit();
    for await (const key of ds.queryKeys({ prefix: '/peers' })) await ds.delete(key);
    expect(await collect(ds.queryKeys({ prefix: '/peers' }))).toEqual([]);
    db.close();
  });
});

describe('SqliteHeldRecordStore', () => {
  it('keeps the highest seq of each chain and still holds it after a reopen', () => {
    const path = join(dir, 'held.db');
    let db = new SqliteChainStore(path);
    let held = new SqliteHeldRecordStore(db.database);
    expect(held.keep({ id: 'did:key:a', seq: 3, record: new Uint8Array([3]) }, 1)).toBe(true);
    expect(held.keep({ id: 'did:key:a', seq: 2, record: new Uint8Array([2]) }, 2)).toBe(false);
    expect(held.keep({ id: 'did:key:a', seq: 3, record: new Uint8Array([9]) }, 3)).toBe(false);
    expect(held.keep({ id: 'did:key:b', seq: 0, record: new Uint8Array([0]) }, 4)).toBe(true);
    db.close();
    db = new SqliteChainStore(path);
    held = new SqliteHeldRecordStore(db.database);
    expect(held.get('did:key:a')).toEqual({ id: 'did:key:a', seq: 3, record: new Uint8Array([3]) });
    expect(held.all().map((r) => [r.id, r.seq])).toEqual([['did:key:a', 3], ['did:key:b', 0]]);
    db.close();
  });
});

describe('the node key file', () => {
  it('gives the same peer id every time, and refuses (keeping the file) one that holds no key', async () => {
    const path = join(dir, 'node-key');
    const first = (await nodeKeyAt(path)).publicKey.toString();
    expect((await nodeKeyAt(path)).publicKey.toString()).toBe(first);
    writeFileSync(path, 'not a key');
    await expect(nodeKeyAt(path)).rejects.toBeInstanceOf(NodeKeyError);
    expect(readFileSync(path, 'utf8')).toBe('not a key');
  });
});
