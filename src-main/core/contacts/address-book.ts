// The address book's rules over its store: a did is a contact once, an edit changes only what it names, and
// the book holds at most MAX_CONTACTS. Every face (CLI, wallet) reaches it through app/contacts.
import { MAX_CONTACTS } from '../../../src-shared/rules/contacts.ts';
import { assertDid, type Did } from '../identity/did.ts';
import type { Clock } from '../ports.ts';
import { makeContact, type Contact, type ContactInput, type ContactStore } from './contact.ts';
import { AddressBookFullError, ContactExistsError, ContactNotFoundError } from './errors.ts';

/** An edit: the fields given replace the contact's, the others stay. */
export type ContactChange = Partial<ContactInput>;

export class AddressBook {
  private readonly store: ContactStore;
  private readonly clock: Clock;

  constructor(store: ContactStore, clock: Clock) {
    this.store = store;
    this.clock = clock;
  }

  list(): Contact[] {
    return this.store.list();
  }

  /** The contact with this did, or undefined (a did not yet in the book is not an error here). */
  find(did: Did): Contact | undefined {
    return this.store.get(did);
  }

  add(did: string, input: ContactInput): Contact {
    const contact = makeContact(did, input, this.clock.now());
    const existing = this.store.get(contact.did);
    if (existing !== undefined) throw new ContactExistsError(contact.did, existing.name);
    if (this.store.count() >= MAX_CONTACTS) throw new AddressBookFullError(MAX_CONTACTS);
    this.store.put(contact);
    return contact;
  }

  edit(did: string, change: ContactChange): Contact {
    const existing = this.require(did);
    const contact = makeContact(existing.did, {
      name: change.name ?? existing.name,
      notes: change.notes ?? existing.notes,
      roles: change.roles ?? existing.roles,
    }, existing.addedAt, this.clock.now());
    this.store.put(contact);
    return contact;
  }

  remove(did: string): Contact {
    const existing = this.require(did);
    this.store.remove(existing.did);
    return existing;
  }

  private require(did: string): Contact {
    assertDid(did);
    const existing = this.store.get(did);
    if (existing === undefined) throw new ContactNotFoundError(did);
    return existing;
  }
}
