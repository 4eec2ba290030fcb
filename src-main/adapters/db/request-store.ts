// RequestStore on SQLite (sharing the chain database) and its in-memory twin.
import type Database from 'better-sqlite3';
import type { Did } from '../../core/identity/did.ts';
import { StoreConflictError, type RequestStatus, type RequestStore, type StoredRequest } from '../../core/ports.ts';

interface Row {
  id: string;
  sender: string;
  section: string;
  received_at: number;
  status: RequestStatus;
  envelope: Buffer;
}

const toRequest = (r: Row): StoredRequest => ({
  id: r.id, sender: r.sender, section: r.section, receivedAt: r.received_at, status: r.status,
  envelope: new Uint8Array(r.envelope.buffer, r.envelope.byteOffset, r.envelope.byteLength),
});

export class SqliteRequestStore implements RequestStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  put(chain: Did, r: StoredRequest): void {
    try {
      this.db.prepare('INSERT INTO requests (chain, id, sender, section, received_at, status, envelope) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(chain, r.id, r.sender, r.section, r.receivedAt, r.status, r.envelope);
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new StoreConflictError(`request ${r.id} is already here`);
      throw error;
    }
  }

  get(chain: Did, id: string): StoredRequest | undefined {
    const row = this.db.prepare('SELECT * FROM requests WHERE chain = ? AND id = ?').get(chain, id) as Row | undefined;
    return row && toRequest(row);
  }

  list(chain: Did, status?: RequestStatus): StoredRequest[] {
    const rows = status === undefined
      ? this.db.prepare('SELECT * FROM requests WHERE chain = ? ORDER BY received_at, id').all(chain)
      : this.db.prepare('SELECT * FROM requests WHERE chain = ? AND status = ? ORDER BY received_at, id').all(chain, status);
    return (rows as Row[]).map(toRequest);
  }

  setStatus(chain: Did, id: string, status: RequestStatus): void {
    this.db.prepare('UPDATE requests SET status = ? WHERE chain = ? AND id = ?').run(status, chain, id);
  }
}

export class MemoryRequestStore implements RequestStore {
  private readonly rows = new Map<string, StoredRequest>();

  put(chain: Did, r: StoredRequest): void {
    const key = `${chain} ${r.id}`;
    if (this.rows.has(key)) throw new StoreConflictError(`request ${r.id} is already here`);
    this.rows.set(key, { ...r, envelope: r.envelope.slice() });
  }

  get(chain: Did, id: string): StoredRequest | undefined {
    return this.rows.get(`${chain} ${id}`);
  }

  list(chain: Did, status?: RequestStatus): StoredRequest[] {
    return [...this.rows].filter(([key, r]) => key.startsWith(`${chain} `) && (status === undefined || r.status === status))
      .map(([, r]) => r).sort((a, b) => a.receivedAt - b.receivedAt || a.id.localeCompare(b.id));
  }

  setStatus(chain: Did, id: string, status: RequestStatus): void {
    const r = this.rows.get(`${chain} ${id}`);
    if (r) r.status = status;
  }
}
