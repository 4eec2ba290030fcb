// ReceivedMailStore on SQLite (sharing the home's database) and its in-memory twin; one compliance suite.
import type Database from 'better-sqlite3';
import type { Did } from '../../core/identity/did.ts';
import type { ReceivedMail, ReceivedMailFilter, ReceivedMailState, ReceivedMailStore } from '../../core/ports.ts';

interface Row {
  id: string;
  recipient: string;
  sender: string;
  format: string;
  ts: number;
  received_at: number;
  envelope: Uint8Array;
  state: ReceivedMailState;
  note: string;
}

const fromRow = (r: Row): ReceivedMail => ({
  id: r.id, to: r.recipient as Did, from: r.sender as Did, format: r.format, ts: r.ts, receivedAt: r.received_at,
  envelope: new Uint8Array(r.envelope), state: r.state, note: r.note,
});

export class SqliteReceivedMailStore implements ReceivedMailStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  put(mail: ReceivedMail): boolean {
    const result = this.db.prepare(`INSERT OR IGNORE INTO received_mail (id, recipient, sender, format, ts, received_at, envelope, state, note)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(mail.id, mail.to, mail.from, mail.format, mail.ts, mail.receivedAt, mail.envelope, mail.state, mail.note);
    return result.changes === 1;
  }

  get(to: Did, id: string): ReceivedMail | undefined {
    const row = this.db.prepare('SELECT * FROM received_mail WHERE recipient = ? AND id = ?').get(to, id) as Row | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  list(to: Did, filter: ReceivedMailFilter = {}): ReceivedMail[] {
    const rows = this.db.prepare(`SELECT * FROM received_mail WHERE recipient = ?
      AND (? IS NULL OR format = ?) AND (? IS NULL OR state = ?) ORDER BY received_at, id`)
      .all(to, filter.format ?? null, filter.format ?? null, filter.state ?? null, filter.state ?? null) as Row[];
    return rows.map(fromRow);
  }

  mark(to: Did, id: string, state: ReceivedMailState, note: string): boolean {
    return this.db.prepare('UPDATE received_mail SET state = ?, note = ? WHERE recipient = ? AND id = ?').run(state, note, to, id).changes === 1;
  }
}

export class MemoryReceivedMailStore implements ReceivedMailStore {
  private readonly mail = new Map<string, ReceivedMail>();

  put(mail: ReceivedMail): boolean {
    if (this.mail.has(mail.id)) return false;
    this.mail.set(mail.id, { ...mail, envelope: mail.envelope.slice() });
    return true;
  }

  get(to: Did, id: string): ReceivedMail | undefined {
    const found = this.mail.get(id);
    return found?.to === to ? { ...found, envelope: found.envelope.slice() } : undefined;
  }

  list(to: Did, filter: ReceivedMailFilter = {}): ReceivedMail[] {
    return [...this.mail.values()]
      .filter((m) => m.to === to && (filter.format === undefined || m.format === filter.format) && (filter.state === undefined || m.state === filter.state))
      .sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((m) => ({ ...m, envelope: m.envelope.slice() }));
  }

  mark(to: Did, id: string, state: ReceivedMailState, note: string): boolean {
    const found = this.mail.get(id);
    if (found?.to !== to) return false;
    this.mail.set(id, { ...found, state, note });
    return true;
  }
}
