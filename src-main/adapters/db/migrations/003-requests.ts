// Migration 3: the inbox of change requests, kept as the sealed envelopes they arrived in.
import type { Migration } from './migration.ts';

export const migration003Requests: Migration = {
  version: 3,
  name: 'requests',
  up(db) {
    db.exec(`
      CREATE TABLE requests (
        chain       TEXT    NOT NULL,
        id          TEXT    NOT NULL,
        sender      TEXT    NOT NULL,
        section     TEXT    NOT NULL,
        received_at INTEGER NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        envelope    BLOB    NOT NULL,
        PRIMARY KEY (chain, id)
      );
    `);
  },
};
