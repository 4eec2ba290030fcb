// Migration 8: the bytes held per chain (its headers, the bodies stored under it, its media blobs), kept
// up to date in the same transaction as every append and blob write, so a quota or a status reads one row
// instead of every stored byte. Filled here from what the database already holds.
import type { Migration } from './migration.ts';

export const migration008ChainBytes: Migration = {
  version: 8,
  name: 'chain-bytes',
  up(db) {
    db.exec(`
      CREATE TABLE chain_bytes (
        chain TEXT    PRIMARY KEY,
        bytes INTEGER NOT NULL CHECK (bytes >= 0)
      ) WITHOUT ROWID;
      INSERT INTO chain_bytes (chain, bytes)
        SELECT chain, SUM(n) FROM (
          SELECT chain, length(bytes) AS n FROM headers
          UNION ALL SELECT chain, length(bytes) FROM bodies
          UNION ALL SELECT chain, length(bytes) FROM blobs
        ) GROUP BY chain;
    `);
  },
};
