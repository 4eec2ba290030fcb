// The address book's verbs, written once for every face (CLI `defaust contacts …`, the wallet's
// `contacts:*`): list, add, edit, remove. Contacts stay in this home; nothing here is signed or published.
import type { ContactChange } from '../../core/contacts/address-book.ts';
import type { Contact, ContactInput } from '../../core/contacts/contact.ts';
import type { Session } from '../session.ts';

/** Every contact, by name. */
export function listContacts(session: Session): Contact[] {
  return session.home.contacts().list();
}

/** Adds `did` under a name (with notes and roles); a did already in the book is refused. */
export function addContact(session: Session, did: string, input: ContactInput): Contact {
  return session.home.contacts().add(did, input);
}

/** Changes the fields given of the contact with this did. */
export function editContact(session: Session, did: string, change: ContactChange): Contact {
  return session.home.contacts().edit(did, change);
}

/** Removes the contact with this did and returns what it was. */
export function removeContact(session: Session, did: string): Contact {
  return session.home.contacts().remove(did);
}
