// The shape of one numbered schema migration; index.ts lists them in order and applies them.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
