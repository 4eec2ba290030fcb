// Migration 4: the audit log of a registered client: every read it served or refused.
import type { Migration } from './migration.ts';

export const migration004Audit: Migration = {
  version: 4,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit (
        n         INTEGER PRIMARY KEY AUTOINCREMENT,
        owner     TEXT    NOT NULL,
        requester TEXT    NOT NULL,
        section   TEXT    NOT NULL,
        ts        INTEGER NOT NULL,
        served    INTEGER NOT NULL CHECK (served IN (0, 1)),
        reason    TEXT    NOT NULL
      );
      CREATE INDEX audit_by_owner ON audit (owner, n);
    `);
  },
};
