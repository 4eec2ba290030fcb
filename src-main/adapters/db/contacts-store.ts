// The address book's storage (port in core/contacts/contact.ts) on SQLite, sharing the home's database, and
// its in-memory twin. Roles are stored as a JSON array of the known role names.
import type Database from 'better-sqlite3';
import type { Contact, ContactStore } from '../../core/contacts/contact.ts';
import type { Did } from '../../core/identity/did.ts';
import { isContactRole } from '../../../src-shared/rules/contacts.ts';

interface Row {
  did: string;
  name: string;
  notes: string;
  roles: string;
  added_at: number;
  updated_at: number;
}

function fromRow(row: Row): Contact {
  const roles: unknown = JSON.parse(row.roles);
  return {
    did: row.did,
    name: row.name,
    notes: row.notes,
    roles: Array.isArray(roles) ? roles.filter((r): r is Contact['roles'][number] => typeof r === 'string' && isContactRole(r)) : [],
    addedAt: row.added_at,
    updatedAt: row.updated_at,
  };
}

const byName = (a: Contact, b: Contact): number => a.name.localeCompare(b.name) || (a.did < b.did ? -1 : a.did > b.did ? 1 : 0);

export class SqliteContactStore implements ContactStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  get(did: Did): Contact | undefined {
    const row = this.db.prepare('SELECT * FROM contacts WHERE did = ?').get(did) as Row | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  list(): Contact[] {
    return (this.db.prepare('SELECT * FROM contacts').all() as Row[]).map(fromRow).sort(byName);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM contacts').get() as { n: number }).n;
  }

  put(contact: Contact): void {
    this.db.prepare('INSERT OR REPLACE INTO contacts (did, name, notes, roles, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(contact.did, contact.name, contact.notes, JSON.stringify(contact.roles), contact.addedAt, contact.updatedAt);
  }

  remove(did: Did): boolean {
    return this.db.prepare('DELETE FROM contacts WHERE did = ?').run(did).changes === 1;
  }
}

export class MemoryContactStore implements ContactStore {
  private readonly contacts = new Map<Did, Contact>();

  get(did: Did): Contact | undefined {
    const found = this.contacts.get(did);
    return found === undefined ? undefined : { ...found, roles: [...found.roles] };
  }

  list(): Contact[] {
    return [...this.contacts.values()].map((c) => ({ ...c, roles: [...c.roles] })).sort(byName);
  }

  count(): number {
    return this.contacts.size;
  }

  put(contact: Contact): void {
    this.contacts.set(contact.did, { ...contact, roles: [...contact.roles] });
  }

  remove(did: Did): boolean {
    return this.contacts.delete(did);
  }
}
