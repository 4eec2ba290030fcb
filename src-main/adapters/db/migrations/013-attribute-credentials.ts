// Migration 14: the attribute credentials issuers gave this holder — one per issuer and field, the newest kept.
// The document holds the value and salt, so it stays in the holder's own database and is never published.
import type { Migration } from './migration.ts';

export const migration013AttributeCredentials: Migration = {
  version: 13,
  name: 'attribute-credentials',
  up(db) {
    db.exec(`
      CREATE TABLE attribute_credentials (
        issuer      TEXT    NOT NULL,
        field       TEXT    NOT NULL,
        issued_at   INTEGER NOT NULL,
        imported_at INTEGER NOT NULL,
        document    TEXT    NOT NULL,
        PRIMARY KEY (issuer, field)
      ) WITHOUT ROWID;
    `);
  },
};
