// Migration 17: the archive tier (issue 15 item 2). `segments` names each archive segment file (its CID) with
// the run of blocks whose bodies it holds; `archived_bodies` says in which segment each moved body now is (its
// row left `bodies`). Headers never move: they stay hot, so verification and the timeline read them as before.
import type { Migration } from './migration.ts';

export const migration017ArchiveSegments: Migration = {
  version: 17,
  name: 'archive-segments',
  up(db) {
    db.exec(`
      CREATE TABLE segments (
        name     TEXT    PRIMARY KEY,
        chain    TEXT    NOT NULL,
        from_seq INTEGER NOT NULL CHECK (from_seq >= 0),
        to_seq   INTEGER NOT NULL CHECK (to_seq > from_seq),
        bodies   INTEGER NOT NULL CHECK (bodies > 0),
        bytes    INTEGER NOT NULL CHECK (bytes > 0),
        at       INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX segments_by_chain ON segments (chain, from_seq);
      CREATE TABLE archived_bodies (
        cid     TEXT    PRIMARY KEY,
        chain   TEXT    NOT NULL,
        seq     INTEGER NOT NULL,
        segment TEXT    NOT NULL REFERENCES segments (name)
      ) WITHOUT ROWID;
      CREATE INDEX archived_bodies_by_seq ON archived_bodies (chain, seq);
    `);
  },
};
