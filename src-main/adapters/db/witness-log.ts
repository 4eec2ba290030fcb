// The witness log (port in core/ports.ts) on SQLite (sharing the home's database) and its in-memory twin: what this identity signed
// or declined as a witness, newest first. Append-only; it is a memory for the person, not evidence (the
// signed attestations themselves live in the holders' chains).
import type Database from 'better-sqlite3';
import type { WitnessLog, WitnessLogEntry } from '../../core/ports.ts';

interface Row {
  witness: string;
  claim: string;
  holder: string;
  title: string;
  feat_type: string;
  verdict: 'yes' | 'no';
  ts: number;
}

export class SqliteWitnessLog implements WitnessLog {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  append(e: WitnessLogEntry): void {
    this.db.prepare('INSERT INTO witness_log (witness, claim, holder, title, feat_type, verdict, ts) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.witness, e.claim, e.holder, e.title, e.featType, e.verdict, e.ts);
  }

  list(witness: string, limit = 200): WitnessLogEntry[] {
    const rows = this.db.prepare('SELECT * FROM witness_log WHERE witness = ? ORDER BY n DESC LIMIT ?').all(witness, limit) as Row[];
    return rows.map((r) => ({ witness: r.witness, claim: r.claim, holder: r.holder, title: r.title, featType: r.feat_type, verdict: r.verdict, ts: r.ts }));
  }
}

export class MemoryWitnessLog implements WitnessLog {
  private readonly entries: WitnessLogEntry[] = [];

  append(entry: WitnessLogEntry): void {
    this.entries.push({ ...entry });
  }

  list(witness: string, limit = 200): WitnessLogEntry[] {
    return this.entries.filter((e) => e.witness === witness).reverse().slice(0, limit).map((e) => ({ ...e }));
  }
}
