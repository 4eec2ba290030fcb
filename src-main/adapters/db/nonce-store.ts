// The verifier's nonce memory (port in core/ports.ts) on SQLite (sharing the home's database) and its
// in-memory twin: each nonce is issued once, and used once, before it expires.
import type Database from 'better-sqlite3';
import type { IssuedNonce, NonceState, NonceStore, NonceUse } from '../../core/ports.ts';

interface Row {
  nonce: string;
  issued_at: number;
  expires: number;
  state: NonceState;
  used_at: number | null;
}

/** Why `found` cannot be used at `now` (or null when it can). */
function refusal(found: IssuedNonce | undefined, now: number): Exclude<NonceUse, 'used'> | null {
  if (found === undefined) return 'unknown';
  if (found.state === 'used') return 'already-used';
  return now >= found.expires ? 'expired' : null;
}

export class SqliteNonceStore implements NonceStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  issue(nonce: string, issuedAt: number, expires: number): boolean {
    const { changes } = this.db.prepare("INSERT OR IGNORE INTO nonces (nonce, issued_at, expires, state) VALUES (?, ?, ?, 'issued')").run(nonce, issuedAt, expires);
    return changes === 1;
  }

  get(nonce: string): IssuedNonce | undefined {
    const row = this.db.prepare('SELECT * FROM nonces WHERE nonce = ?').get(nonce) as Row | undefined;
    return row === undefined ? undefined : { nonce: row.nonce, issuedAt: row.issued_at, expires: row.expires, state: row.state, usedAt: row.used_at };
  }

  use(nonce: string, now: number): NonceUse {
    // One UPDATE decides: of two processes using the same nonce, only one sees a change.
    const { changes } = this.db.prepare("UPDATE nonces SET state = 'used', used_at = ? WHERE nonce = ? AND state = 'issued' AND expires > ?").run(now, nonce, now);
    return changes === 1 ? 'used' : (refusal(this.get(nonce), now) ?? 'already-used');
  }
}

export class MemoryNonceStore implements NonceStore {
  private readonly nonces = new Map<string, IssuedNonce>();

  issue(nonce: string, issuedAt: number, expires: number): boolean {
    if (this.nonces.has(nonce)) return false;
    this.nonces.set(nonce, { nonce, issuedAt, expires, state: 'issued', usedAt: null });
    return true;
  }

  get(nonce: string): IssuedNonce | undefined {
    const found = this.nonces.get(nonce);
    return found === undefined ? undefined : { ...found };
  }

  use(nonce: string, now: number): NonceUse {
    const found = this.nonces.get(nonce);
    const refused = refusal(found, now);
    if (refused !== null) return refused;
    this.nonces.set(nonce, { ...found!, state: 'used', usedAt: now });
    return 'used';
  }
}
