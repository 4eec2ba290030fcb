// The address book's refusals, each with a stable code and the did it is about.
import { DefaustError } from '../errors.ts';

/** No contact with this did in the address book. */
export class ContactNotFoundError extends DefaustError {
  override name = 'ContactNotFoundError';
  readonly did: string;
  constructor(did: string) {
    super('contact-not-found', `${did} is not in your contacts`);
    this.did = did;
  }
}

/** The did is already a contact (edit it instead). */
export class ContactExistsError extends DefaustError {
  override name = 'ContactExistsError';
  readonly did: string;
  readonly existing: string;
  constructor(did: string, existing: string) {
    super('contact-exists', `${did} is already in your contacts as ${existing}`);
    this.did = did;
    this.existing = existing;
  }
}

/** The address book already holds its maximum of contacts. */
export class AddressBookFullError extends DefaustError {
  override name = 'AddressBookFullError';
  readonly cap: number;
  constructor(cap: number) {
    super('address-book-full', `your contacts are full (${cap}); remove one before adding another`);
    this.cap = cap;
  }
}
