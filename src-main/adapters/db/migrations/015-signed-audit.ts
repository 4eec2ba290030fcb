// Migration 15: signed audit entries. A registered client signs each read it served or refused and sends the
// entries to the owner; the owner keeps what its clients sent in the same table. `id` is the entry's CID
// (unique when present), `bytes` the signed entry, `sent` whether it reached the owner's mailboxes (rows of
// before are not sent: they carry no signature).
import type { Migration } from './migration.ts';

export const migration015SignedAudit: Migration = {
  version: 15,
  name: 'signed-audit',
  up(db) {
    db.exec(`
      ALTER TABLE audit ADD COLUMN client TEXT;
      ALTER TABLE audit ADD COLUMN id TEXT;
      ALTER TABLE audit ADD COLUMN bytes BLOB;
      ALTER TABLE audit ADD COLUMN sent INTEGER NOT NULL DEFAULT 1 CHECK (sent IN (0, 1));
      CREATE UNIQUE INDEX audit_by_id ON audit (id) WHERE id IS NOT NULL;
      CREATE INDEX audit_unsent ON audit (n) WHERE sent = 0;
    `);
  },
};
