// The custody store (port in core/recovery/custody.ts) on SQLite, sharing the home's database.
import type Database from 'better-sqlite3';
import type { CustodyStore, HeldShare } from '../../core/recovery/custody.ts';

interface Row {
  holder: string;
  owner: string;
  set_id: string;
  k: number;
  n: number;
  idx: number;
  made_at: number;
  received_at: number;
  envelope: Uint8Array;
}

const fromRow = (r: Row): HeldShare => ({
  holder: r.holder, owner: r.owner, set: r.set_id, k: r.k, n: r.n, index: r.idx, madeAt: r.made_at, receivedAt: r.received_at, envelope: new Uint8Array(r.envelope),
});

export class SqliteCustodyStore implements CustodyStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  put(s: HeldShare): boolean {
    const { changes } = this.db.prepare('INSERT OR IGNORE INTO custody (holder, owner, set_id, k, n, idx, made_at, received_at, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(s.holder, s.owner, s.set, s.k, s.n, s.index, s.madeAt, s.receivedAt, s.envelope);
    return changes === 1;
  }

  list(holder: string): HeldShare[] {
    return (this.db.prepare('SELECT * FROM custody WHERE holder = ? ORDER BY made_at DESC, owner').all(holder) as Row[]).map(fromRow);
  }
}
