// AuditStore on SQLite (sharing the home's database) and its in-memory twin: append-only. A signed entry is
// kept once (by its id) with its bytes, and marked sent once it reached its owner's mailboxes.
import type Database from 'better-sqlite3';
import type { Did } from '../../core/identity/did.ts';
import type { AuditEntry, AuditStore, SignedAudit } from '../../core/ports.ts';

interface Row {
  owner: string;
  requester: string;
  section: string;
  ts: number;
  served: number;
  reason: string;
  client: string | null;
  id: string | null;
  bytes: Uint8Array | null;
}

const entryOf = (r: Row): AuditEntry => ({
  owner: r.owner as Did, requester: r.requester as Did, section: r.section, ts: r.ts, served: r.served === 1, reason: r.reason,
  ...(r.client === null ? {} : { client: r.client as Did }),
});

export class SqliteAuditStore implements AuditStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  append(e: AuditEntry): void {
    this.db.prepare('INSERT INTO audit (owner, requester, section, ts, served, reason, client) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.owner, e.requester, e.section, e.ts, e.served ? 1 : 0, e.reason, e.client ?? null);
  }

  put(signed: SignedAudit, sent: boolean): boolean {
    const e = signed.entry;
    const result = this.db.prepare('INSERT OR IGNORE INTO audit (owner, requester, section, ts, served, reason, client, id, bytes, sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.owner, e.requester, e.section, e.ts, e.served ? 1 : 0, e.reason, e.client, signed.id, signed.bytes, sent ? 1 : 0);
    return result.changes === 1;
  }

  list(owner?: Did): AuditEntry[] {
    const rows = (owner === undefined
      ? this.db.prepare('SELECT * FROM audit ORDER BY ts, n').all()
      : this.db.prepare('SELECT * FROM audit WHERE owner = ? ORDER BY ts, n').all(owner)) as Row[];
    return rows.map(entryOf);
  }

  unsent(limit: number): SignedAudit[] {
    const rows = this.db.prepare('SELECT * FROM audit WHERE sent = 0 ORDER BY n LIMIT ?').all(limit) as Row[];
    return rows.map((r) => ({ id: r.id!, entry: { ...entryOf(r), client: r.client as Did }, bytes: new Uint8Array(r.bytes!) }));
  }

  markSent(ids: readonly string[]): void {
    const mark = this.db.prepare('UPDATE audit SET sent = 1 WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) mark.run(id);
    })();
  }
}

export class MemoryAuditStore implements AuditStore {
  private readonly entries: { entry: AuditEntry; signed: SignedAudit | null; sent: boolean }[] = [];

  append(entry: AuditEntry): void {
    this.entries.push({ entry: { ...entry }, signed: null, sent: true });
  }

  put(signed: SignedAudit, sent: boolean): boolean {
    if (this.entries.some((e) => e.signed?.id === signed.id)) return false;
    this.entries.push({ entry: { ...signed.entry }, signed, sent });
    return true;
  }

  list(owner?: Did): AuditEntry[] {
    // Oldest first by time (batches from clients arrive in any order), then as kept.
    return this.entries.filter((e) => owner === undefined || e.entry.owner === owner).map((e) => ({ ...e.entry })).sort((a, b) => a.ts - b.ts);
  }

  unsent(limit: number): SignedAudit[] {
    return this.entries.filter((e) => !e.sent && e.signed !== null).slice(0, limit).map((e) => e.signed!);
  }

  markSent(ids: readonly string[]): void {
    for (const e of this.entries) if (e.signed !== null && ids.includes(e.signed.id)) e.sent = true;
  }
}
