// Migration 2: sealed media blobs (chunks and manifests) and sealed state snapshots.
import type { Migration } from './migration.ts';

export const migration002MediaSnapshots: Migration = {
  version: 2,
  name: 'media-snapshots',
  up(db) {
    db.exec(`
      CREATE TABLE blobs (
        cid   TEXT PRIMARY KEY,
        chain TEXT NOT NULL,
        bytes BLOB NOT NULL
      );
      CREATE INDEX blobs_by_chain ON blobs (chain);
      CREATE TABLE snapshots (
        chain  TEXT    NOT NULL,
        seq    INTEGER NOT NULL,
        cid    TEXT    NOT NULL,
        sealed BLOB    NOT NULL,
        PRIMARY KEY (chain, seq)
      );
    `);
  },
};
