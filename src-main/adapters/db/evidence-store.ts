// The honor evidence store (port in core/honor/store.ts) on SQLite, sharing the home's database: one row per
// (accused, evidence id), so the same evidence is kept once per did it names.
import type Database from 'better-sqlite3';
import type { Did } from '../../core/identity/did.ts';
import type { Finding } from '../../core/honor/evidence.ts';
import type { EvidenceStore, StoredEvidence } from '../../core/honor/store.ts';

interface Row {
  finding: string;
  bytes: Uint8Array;
  received_at: number;
}

export class SqliteEvidenceStore implements EvidenceStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  add(finding: Finding, bytes: Uint8Array, receivedAt: number): boolean {
    const insert = this.db.prepare('INSERT OR IGNORE INTO evidence (accused, id, kind, finding, bytes, received_at) VALUES (?, ?, ?, ?, ?, ?)');
    const json = JSON.stringify(finding);
    return this.db.transaction(() => finding.accused.reduce((added, did) => insert.run(did, finding.id, finding.kind, json, bytes, receivedAt).changes === 1 || added, false))();
  }

  about(did: Did): StoredEvidence[] {
    const rows = this.db.prepare('SELECT finding, bytes, received_at FROM evidence WHERE accused = ? ORDER BY received_at, id').all(did) as Row[];
    return rows.map((r) => ({ finding: JSON.parse(r.finding) as Finding, bytes: new Uint8Array(r.bytes), receivedAt: r.received_at }));
  }
}
