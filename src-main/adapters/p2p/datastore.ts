// libp2p's datastore on the home's SQLite (table `libp2p_datastore` of migration 12): kad-dht's records and
// provider records and the peer store outlive a restart, so a restarted node still holds and serves them.
// An `interface-datastore` Datastore over BaseDatastore (datastore-core); a missing key is core's
// NotFoundError, whose name is the one the interface promises.
import type Database from 'better-sqlite3';
import { BaseDatastore } from 'datastore-core';
import { Key, type KeyQuery, type Pair, type Query } from 'interface-datastore';
import { NotFoundError } from '../../core/errors.ts';

interface Row {
  key: string;
  value: Buffer;
}

const bytesOf = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export class SqliteDatastore extends BaseDatastore {
  private readonly statements;

  /** `db` must be migrated (SqliteChainStore's `database` is). */
  constructor(db: Database.Database) {
    super();
    this.statements = {
      put: db.prepare('INSERT INTO libp2p_datastore (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      get: db.prepare('SELECT value FROM libp2p_datastore WHERE key = ?').pluck(),
      has: db.prepare('SELECT 1 FROM libp2p_datastore WHERE key = ?').pluck(),
      delete: db.prepare('DELETE FROM libp2p_datastore WHERE key = ?'),
      // `prefix` is matched on the text itself (no LIKE patterns); BaseDatastore filters again.
      all: db.prepare('SELECT key, value FROM libp2p_datastore WHERE substr(key, 1, length(?)) = ? ORDER BY key'),
      keys: db.prepare('SELECT key FROM libp2p_datastore WHERE substr(key, 1, length(?)) = ? ORDER BY key').pluck(),
    };
  }

  override put(key: Key, value: Uint8Array): Key {
    this.statements.put.run(key.toString(), value);
    return key;
  }

  override get(key: Key): Uint8Array {
    const value = this.statements.get.get(key.toString()) as Buffer | undefined;
    if (value === undefined) throw new NotFoundError(`no datastore entry ${key.toString()}`);
    return bytesOf(value);
  }

  override has(key: Key): boolean {
    return this.statements.has.get(key.toString()) !== undefined;
  }

  override delete(key: Key): void {
    this.statements.delete.run(key.toString());
  }

  // Rows are read at once: a query's consumer may write while it iterates (kad-dht deletes expired records).
  override *_all(q: Query): Generator<Pair> {
    const prefix = q.prefix ?? '';
    for (const row of this.statements.all.all(prefix, prefix) as Row[]) yield { key: new Key(row.key), value: bytesOf(row.value) };
  }

  override *_allKeys(q: KeyQuery): Generator<Key> {
    const prefix = q.prefix ?? '';
    for (const key of this.statements.keys.all(prefix, prefix) as string[]) yield new Key(key);
  }
}
