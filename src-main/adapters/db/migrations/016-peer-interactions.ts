// Migration 16: how much this node deals with each peer (issue 13 item 5), kept across restarts so the
// replication favourites do not start from nothing after each one. `weight` is a count that halves every
// week without contact (adapters/db/interaction-store.ts), `at` when it was last brought up to date.
import type { Migration } from './migration.ts';

export const migration016PeerInteractions: Migration = {
  version: 16,
  name: 'peer-interactions',
  up(db) {
    db.exec(`
      CREATE TABLE peer_interactions (
        peer   TEXT    PRIMARY KEY,
        weight REAL    NOT NULL CHECK (weight >= 0),
        at     INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
