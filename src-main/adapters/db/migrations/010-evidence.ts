// Migration 10: honor evidence this home verified (equivocation proofs, reviews, refutations), one row per
// accused did: the evidence bytes (served to others, who re-check them) and the finding they established.
import type { Migration } from './migration.ts';

export const migration010Evidence: Migration = {
  version: 10,
  name: 'evidence',
  up(db) {
    db.exec(`
      CREATE TABLE evidence (
        accused     TEXT    NOT NULL,
        id          TEXT    NOT NULL,
        kind        TEXT    NOT NULL CHECK (kind IN ('equivocation', 'review', 'refutation')),
        finding     TEXT    NOT NULL,
        bytes       BLOB    NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (accused, id)
      ) WITHOUT ROWID;
    `);
  },
};
