// Migration 6 (the witness log) on its own, and the witness log on SQLite beside its in-memory twin.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src-main/adapters/db/migrations/index.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { MemoryWitnessLog, SqliteWitnessLog } from '../src-main/adapters/db/witness-log.ts';
import type { WitnessLog } from '../src-main/core/ports.ts';

describe('migration 006 witness log', () => {
  it('adds the witness log on top of 005, keeping its data; a verdict is yes or no', () => {
    const db = new Database(':memory:');
    migrate(db, 5);
    db.prepare('INSERT INTO audit (owner, requester, section, ts, served, reason) VALUES (?, ?, ?, ?, ?, ?)').run('o', 'r', 's', 1, 1, 'served');
    expect(migrate(db, 6)).toBe(6);
    expect(db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(1);
    const insert = db.prepare('INSERT INTO witness_log (witness, claim, holder, title, feat_type, verdict, ts) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run('w', 'c', 'h', 't', 'marathon', 'yes', 1);
    expect(() => insert.run('w', 'c', 'h', 't', 'marathon', 'maybe', 1)).toThrow(/CHECK/);
  });
});

for (const [name, make] of [['sqlite', () => new SqliteWitnessLog(new SqliteChainStore(':memory:').database)], ['memory', () => new MemoryWitnessLog()]] as const) {
  describe(`witness log (${name})`, () => {
    it('lists one witness’s answers, newest first, up to a limit', () => {
      const log: WitnessLog = make();
      const entry = (claim: string, witness = 'did:key:w1', verdict: 'yes' | 'no' = 'yes') => ({ witness, claim, holder: 'did:key:h', title: `feat ${claim}`, featType: 'marathon', verdict, ts: 1 });
      log.append(entry('a'));
      log.append(entry('b', 'did:key:w2'));
      log.append(entry('c', 'did:key:w1', 'no'));
      expect(log.list('did:key:w1').map((e) => [e.claim, e.verdict])).toEqual([['c', 'no'], ['a', 'yes']]);
      expect(log.list('did:key:w1', 1)).toEqual([entry('c', 'did:key:w1', 'no')]);
      expect(log.list('did:key:nobody')).toEqual([]);
    });
  });
}
