// Migration 6: the witness log — what this home signed or declined as a witness of others' feats.
import type { Migration } from './migration.ts';

export const migration006WitnessLog: Migration = {
  version: 6,
  name: 'witness-log',
  up(db) {
    db.exec(`
      CREATE TABLE witness_log (
        n         INTEGER PRIMARY KEY AUTOINCREMENT,
        witness   TEXT    NOT NULL,
        claim     TEXT    NOT NULL,
        holder    TEXT    NOT NULL,
        title     TEXT    NOT NULL,
        feat_type TEXT    NOT NULL,
        verdict   TEXT    NOT NULL CHECK (verdict IN ('yes', 'no')),
        ts        INTEGER NOT NULL
      );
      CREATE INDEX witness_log_by_witness ON witness_log (witness, n);
    `);
  },
};
