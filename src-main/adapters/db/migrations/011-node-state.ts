// Migration 12: what a node holds survives its restart (issue 13 item 1) — libp2p's datastore (kad-dht
// records, provider records, the peer store) as key/value rows, and the last owner-signed head record of
// each chain this home hosts, which its node republishes on start and before expiry.
import type { Migration } from './migration.ts';

export const migration011NodeState: Migration = {
  version: 11,
  name: 'node-state',
  up(db) {
    db.exec(`
      CREATE TABLE libp2p_datastore (
        key   TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE held_head_records (
        id      TEXT    PRIMARY KEY,
        seq     INTEGER NOT NULL,
        record  BLOB    NOT NULL,
        kept_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
