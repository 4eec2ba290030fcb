// HeldRecordStore on SQLite (sharing the chain database, table `held_head_records` of migration 12): the last
// owner-signed head record of each chain this home hosts, so its node republishes them after a restart.
// The caller validates a record before it keeps it; the store only keeps the highest seq.
import type Database from 'better-sqlite3';
import type { Did } from '../../core/identity/did.ts';
import type { HeldHeadRecord, HeldRecordStore } from '../../core/ports.ts';

interface Row {
  id: string;
  seq: number;
  record: Buffer;
}

const toHeld = (r: Row): HeldHeadRecord => ({ id: r.id, seq: r.seq, record: new Uint8Array(r.record.buffer, r.record.byteOffset, r.record.byteLength) });

export class SqliteHeldRecordStore implements HeldRecordStore {
  private readonly statements;

  /** `db` must be migrated (SqliteChainStore's `database` is). */
  constructor(db: Database.Database) {
    this.statements = {
      keep: db.prepare(`INSERT INTO held_head_records (id, seq, record, kept_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, record = excluded.record, kept_at = excluded.kept_at WHERE excluded.seq > held_head_records.seq`),
      get: db.prepare('SELECT id, seq, record FROM held_head_records WHERE id = ?'),
      all: db.prepare('SELECT id, seq, record FROM held_head_records ORDER BY id'),
    };
  }

  keep(record: HeldHeadRecord, at: number): boolean {
    return this.statements.keep.run(record.id, record.seq, record.record, at).changes === 1;
  }

  get(id: Did): HeldHeadRecord | undefined {
    const row = this.statements.get.get(id) as Row | undefined;
    return row === undefined ? undefined : toHeld(row);
  }

  all(): HeldHeadRecord[] {
    return (this.statements.all.all() as Row[]).map(toHeld);
  }
}

/** HeldRecordStore in memory (the simulation's nodes, tests): the same rule, nothing kept across runs. */
export class MemoryHeldRecordStore implements HeldRecordStore {
  private readonly records = new Map<Did, HeldHeadRecord>();

  keep(record: HeldHeadRecord): boolean {
    const held = this.records.get(record.id);
    if (held !== undefined && held.seq >= record.seq) return false;
    this.records.set(record.id, { ...record });
    return true;
  }

  get(id: Did): HeldHeadRecord | undefined {
    return this.records.get(id);
  }

  all(): HeldHeadRecord[] {
    return [...this.records.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
