// Migration 7: mail this identity received through its mailboxes (sealed envelopes as they came) and what
// became of each: taken into the inbox or the chain, refused with a reason, or waiting (attestation requests
// for the witness inbox).
import type { Migration } from './migration.ts';

export const migration007ReceivedMail: Migration = {
  version: 7,
  name: 'received-mail',
  up(db) {
    db.exec(`
      CREATE TABLE received_mail (
        id          TEXT    PRIMARY KEY,
        recipient   TEXT    NOT NULL,
        sender      TEXT    NOT NULL,
        format      TEXT    NOT NULL,
        ts          INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        envelope    BLOB    NOT NULL,
        state       TEXT    NOT NULL CHECK (state IN ('waiting', 'taken', 'refused', 'answered')),
        note        TEXT    NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX received_mail_by_recipient ON received_mail (recipient, format, state, received_at);
    `);
  },
};
