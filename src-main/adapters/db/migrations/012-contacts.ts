// Migration 13: the local address book — a name, notes and roles per did, kept on this device only.
import type { Migration } from './migration.ts';

export const migration012Contacts: Migration = {
  version: 12,
  name: 'contacts',
  up(db) {
    db.exec(`
      CREATE TABLE contacts (
        did        TEXT    PRIMARY KEY,
        name       TEXT    NOT NULL,
        notes      TEXT    NOT NULL DEFAULT '',
        roles      TEXT    NOT NULL DEFAULT '[]',
        added_at   INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
