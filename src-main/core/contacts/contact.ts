// A contact: a name, notes and roles you keep for a did, on this device only (never published, never in the
// chain). Holds the type, the checks every face shares and the store port (adapters/db/contacts-store.ts).
import { MAX_CONTACT_NAME_CHARS, MAX_CONTACT_NOTES_CHARS, isContactRole, type ContactRole, CONTACT_ROLES } from '../../../src-shared/rules/contacts.ts';
import { checkSize, InvalidInputError } from '../errors.ts';
import { assertDid, type Did } from '../identity/did.ts';

export interface Contact {
  did: Did;
  name: string;
  notes: string;
  /** Sorted, without repeats. */
  roles: ContactRole[];
  addedAt: number;
  updatedAt: number;
}

/** What a person types for a contact; `roles` and `notes` default to none. */
export interface ContactInput {
  name: string;
  notes?: string;
  roles?: readonly string[];
}

/** The address book's storage: one row per did. */
export interface ContactStore {
  get(did: Did): Contact | undefined;
  /** Every contact, by name then did. */
  list(): Contact[];
  count(): number;
  /** Inserts or replaces the contact with this did. */
  put(contact: Contact): void;
  /** False when there was none. */
  remove(did: Did): boolean;
}

/** A checked contact from what was typed: a valid did:key, a name of 1–80 characters, known roles. */
export function makeContact(did: string, input: ContactInput, addedAt: number, updatedAt = addedAt): Contact {
  assertDid(did);
  const name = input.name.trim();
  if (name === '') throw new InvalidInputError('a contact needs a name');
  checkSize('contact name', name.length, MAX_CONTACT_NAME_CHARS, 'characters');
  const notes = (input.notes ?? '').trim();
  checkSize('contact notes', notes.length, MAX_CONTACT_NOTES_CHARS, 'characters');
  const roles = [...new Set(input.roles ?? [])];
  for (const role of roles) if (!isContactRole(role)) throw new InvalidInputError(`a contact's role is one of ${CONTACT_ROLES.join(', ')}, not ${role}`);
  return { did, name, notes, roles: (roles as ContactRole[]).sort(), addedAt, updatedAt };
}
