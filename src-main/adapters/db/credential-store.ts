// The holder's attribute credentials on SQLite (the home's database): one per issuer and field; a credential
// issued later replaces an older one, an older one never replaces a newer.
import type Database from 'better-sqlite3';

/** A stored credential: its document (JSON, as the issuer sent it) and when it was imported. */
export interface StoredCredential {
  issuer: string;
  field: string;
  issuedAt: number;
  importedAt: number;
  document: string;
}

interface Row {
  issuer: string;
  field: string;
  issued_at: number;
  imported_at: number;
  document: string;
}

const stored = (row: Row): StoredCredential => ({ issuer: row.issuer, field: row.field, issuedAt: row.issued_at, importedAt: row.imported_at, document: row.document });

export class SqliteCredentialStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Keeps `credential` unless one issued later by the same issuer for the same field is held; true when kept. */
  put(credential: StoredCredential): boolean {
    const { changes } = this.db.prepare(`
      INSERT INTO attribute_credentials (issuer, field, issued_at, imported_at, document) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (issuer, field) DO UPDATE SET issued_at = excluded.issued_at, imported_at = excluded.imported_at, document = excluded.document
      WHERE excluded.issued_at >= attribute_credentials.issued_at
    `).run(credential.issuer, credential.field, credential.issuedAt, credential.importedAt, credential.document);
    return changes === 1;
  }

  /** The credentials for `field` (every field when omitted), newest first. */
  list(field?: string): StoredCredential[] {
    const rows = field === undefined
      ? this.db.prepare('SELECT * FROM attribute_credentials ORDER BY issued_at DESC, issuer').all()
      : this.db.prepare('SELECT * FROM attribute_credentials WHERE field = ? ORDER BY issued_at DESC, issuer').all(field);
    return (rows as Row[]).map(stored);
  }
}
