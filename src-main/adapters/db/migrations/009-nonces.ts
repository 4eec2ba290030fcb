// Migration 9: the verifier's nonces — challenges this home issued, until when, and whether a proof used them.
import type { Migration } from './migration.ts';

export const migration009Nonces: Migration = {
  version: 9,
  name: 'nonces',
  up(db) {
    db.exec(`
      CREATE TABLE nonces (
        nonce     TEXT    PRIMARY KEY,
        issued_at INTEGER NOT NULL,
        expires   INTEGER NOT NULL,
        state     TEXT    NOT NULL CHECK (state IN ('issued', 'used')),
        used_at   INTEGER
      ) WITHOUT ROWID;
    `);
  },
};
