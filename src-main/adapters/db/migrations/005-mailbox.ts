// Migration 5: the deposits this node keeps as a mailbox for others (`/defaust/msg/1.0.0`). An acknowledged
// deposit keeps its row without its bytes (a tombstone) until it expires, so a replay is a duplicate.
import type { Migration } from './migration.ts';

export const migration005Mailbox: Migration = {
  version: 5,
  name: 'mailbox',
  up(db) {
    db.exec(`
      CREATE TABLE mailbox (
        id          TEXT    PRIMARY KEY,
        recipient   TEXT    NOT NULL,
        sender      TEXT    NOT NULL,
        ts          INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        size        INTEGER NOT NULL CHECK (size >= 0),
        deposit     BLOB,
        CHECK (deposit IS NULL OR length(deposit) = size)
      ) WITHOUT ROWID;
      CREATE INDEX mailbox_by_recipient ON mailbox (recipient, received_at, id);
      CREATE INDEX mailbox_by_sender ON mailbox (sender);
      CREATE INDEX mailbox_by_expiry ON mailbox (expires_at);
    `);
  },
};
