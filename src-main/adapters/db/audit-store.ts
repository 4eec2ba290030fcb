// AuditStore on SQLite (sharing the home's database) and its in-memory twin: append-only.
import type Database from 'better-sqlite3';
import type { Did } from '../../core/identity/did.ts';
import type { AuditEntry, AuditStore } from '../../core/ports.ts';

interface Row {
  owner: string;
  requester: string;
  section: string;
  ts: number;
  served: number;
  reason: string;
}

export class SqliteAuditStore implements AuditStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  append(e: AuditEntry): void {
    this.db.prepare('INSERT INTO audit (owner, requester, section, ts, served, reason) VALUES (?, ?, ?, ?, ?, ?)')
      .run(e.owner, e.requester, e.section, e.ts, e.served ? 1 : 0, e.reason);
  }

  list(owner?: Did): AuditEntry[] {
    const rows = (owner === undefined
      ? this.db.prepare('SELECT * FROM audit ORDER BY n').all()
      : this.db.prepare('SELECT * FROM audit WHERE owner = ? ORDER BY n').all(owner)) as Row[];
    return rows.map((r) => ({ owner: r.owner, requester: r.requester, section: r.section, ts: r.ts, served: r.served === 1, reason: r.reason }));
  }
}

export class MemoryAuditStore implements AuditStore {
  private readonly entries: AuditEntry[] = [];

  append(entry: AuditEntry): void {
    this.entries.push({ ...entry });
  }

  list(owner?: Did): AuditEntry[] {
    return this.entries.filter((e) => owner === undefined || e.owner === owner).map((e) => ({ ...e }));
  }
}
