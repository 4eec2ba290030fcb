// Migration 14: custody — recovery shares this identity keeps for others, sealed as they came.
import type { Migration } from './migration.ts';

export const migration014Custody: Migration = {
  version: 14,
  name: 'custody',
  up(db) {
    db.exec(`
      CREATE TABLE custody (
        holder      TEXT    NOT NULL,
        owner       TEXT    NOT NULL,
        set_id      TEXT    NOT NULL,
        k           INTEGER NOT NULL,
        n           INTEGER NOT NULL,
        idx         INTEGER NOT NULL,
        made_at     INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        envelope    BLOB    NOT NULL,
        PRIMARY KEY (holder, owner, set_id)
      ) WITHOUT ROWID;
    `);
  },
};
