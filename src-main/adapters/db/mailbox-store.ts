// MailboxStore on SQLite (sharing the chain database, table `mailbox` of migration 5) and its in-memory twin.
// Both pass test/store-compliance.ts. An acknowledged deposit keeps its row with `deposit = NULL` (a tombstone)
// until it expires.
import type Database from 'better-sqlite3';
import type { Did } from '../../core/identity/did.ts';
import type { MailboxStore, MailboxUsage, StoredDeposit } from '../../core/ports.ts';

interface Row {
  id: string;
  recipient: string;
  sender: string;
  ts: number;
  expires_at: number;
  received_at: number;
  deposit: Buffer;
}

const toDeposit = (r: Row): StoredDeposit => ({
  id: r.id, to: r.recipient, from: r.sender, ts: r.ts, expiresAt: r.expires_at, receivedAt: r.received_at,
  bytes: new Uint8Array(r.deposit.buffer, r.deposit.byteOffset, r.deposit.byteLength),
});

export class SqliteMailboxStore implements MailboxStore {
  private readonly db: Database.Database;
  private readonly statements;

  /** `db` must be migrated (SqliteChainStore's `database` is). */
  constructor(db: Database.Database) {
    this.db = db;
    this.statements = {
      has: db.prepare('SELECT 1 FROM mailbox WHERE id = ?').pluck(),
      put: db.prepare(`INSERT INTO mailbox (id, recipient, sender, ts, expires_at, received_at, size, deposit)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
      list: db.prepare(`SELECT id, recipient, sender, ts, expires_at, received_at, deposit FROM mailbox
        WHERE recipient = ? AND deposit IS NOT NULL AND expires_at > ? ORDER BY received_at, id LIMIT ?`),
      ack: db.prepare('UPDATE mailbox SET deposit = NULL WHERE recipient = ? AND id = ? AND deposit IS NOT NULL'),
      expire: db.prepare('DELETE FROM mailbox WHERE expires_at <= ?'),
      usageAll: db.prepare('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM mailbox WHERE deposit IS NOT NULL'),
      usageTo: db.prepare('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM mailbox WHERE deposit IS NOT NULL AND recipient = ?'),
      usageFrom: db.prepare('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM mailbox WHERE deposit IS NOT NULL AND sender = ?'),
      usageBoth: db.prepare('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM mailbox WHERE deposit IS NOT NULL AND recipient = ? AND sender = ?'),
    };
  }

  has(id: string): boolean {
    return this.statements.has.get(id) !== undefined;
  }

  put(d: StoredDeposit): boolean {
    return this.statements.put.run(d.id, d.to, d.from, d.ts, d.expiresAt, d.receivedAt, d.bytes.length, d.bytes).changes === 1;
  }

  list(to: Did, now: number, limit: number): StoredDeposit[] {
    return (this.statements.list.all(to, now, limit) as Row[]).map(toDeposit);
  }

  ack(to: Did, ids: readonly string[]): number {
    return this.db.transaction(() => ids.reduce((n, id) => n + this.statements.ack.run(to, id).changes, 0))();
  }

  expire(now: number): number {
    return this.statements.expire.run(now).changes;
  }

  usage(filter: { to?: Did; from?: Did } = {}): MailboxUsage {
    const { to, from } = filter;
    const row = to !== undefined && from !== undefined ? this.statements.usageBoth.get(to, from)
      : to !== undefined ? this.statements.usageTo.get(to)
        : from !== undefined ? this.statements.usageFrom.get(from)
          : this.statements.usageAll.get();
    return row as MailboxUsage;
  }
}

interface MemoryRow {
  deposit: StoredDeposit;
  /** False once acknowledged (a tombstone). */
  live: boolean;
}

export class MemoryMailboxStore implements MailboxStore {
  private readonly rows = new Map<string, MemoryRow>();

  has(id: string): boolean {
    return this.rows.has(id);
  }

  put(d: StoredDeposit): boolean {
    if (this.rows.has(d.id)) return false;
    this.rows.set(d.id, { deposit: { ...d, bytes: d.bytes.slice() }, live: true });
    return true;
  }

  list(to: Did, now: number, limit: number): StoredDeposit[] {
    return [...this.rows.values()]
      .filter((r) => r.live && r.deposit.to === to && r.deposit.expiresAt > now)
      .map((r) => r.deposit)
      .sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit);
  }

  ack(to: Did, ids: readonly string[]): number {
    let count = 0;
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row === undefined || !row.live || row.deposit.to !== to) continue;
      row.live = false;
      row.deposit = { ...row.deposit, bytes: new Uint8Array(0) };
      count++;
    }
    return count;
  }

  expire(now: number): number {
    let count = 0;
    for (const [id, row] of this.rows) {
      if (row.deposit.expiresAt <= now) {
        this.rows.delete(id);
        count++;
      }
    }
    return count;
  }

  usage(filter: { to?: Did; from?: Did } = {}): MailboxUsage {
    let count = 0;
    let bytes = 0;
    for (const { deposit, live } of this.rows.values()) {
      if (!live || (filter.to !== undefined && deposit.to !== filter.to) || (filter.from !== undefined && deposit.from !== filter.from)) continue;
      count++;
      bytes += deposit.bytes.length;
    }
    return { count, bytes };
  }
}
