// Migration 1: chain headers (indexed by chain, seq and kind) and sealed bodies (indexed by the seq of
// the block that references them, so a verifier reads them a page at a time).
import type { Migration } from './migration.ts';

export const migration001Chain: Migration = {
  version: 1,
  name: 'chain',
  up(db) {
    db.exec(`
      CREATE TABLE headers (
        chain  TEXT    NOT NULL,
        seq    INTEGER NOT NULL CHECK (seq >= 0),
        cid    TEXT    NOT NULL,
        kind   TEXT    NOT NULL,
        ts     INTEGER NOT NULL,
        author TEXT    NOT NULL,
        bytes  BLOB    NOT NULL,
        PRIMARY KEY (chain, seq)
      ) WITHOUT ROWID;
      CREATE INDEX headers_by_kind ON headers (chain, kind, seq);
      CREATE TABLE bodies (
        cid   TEXT    PRIMARY KEY,
        chain TEXT    NOT NULL,
        seq   INTEGER NOT NULL,
        bytes BLOB    NOT NULL
      );
      CREATE INDEX bodies_by_seq ON bodies (chain, seq);
    `);
  },
};
