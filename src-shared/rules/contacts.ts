// The shape of a contact in the local address book: the roles a person can have for you and the caps on what
// you type about them. The contract, the renderer and core/contacts read these (one source per rule).

/** What someone is to you: a witness of your feats, a trainer, a client of yours, or one of your devices. */
export const CONTACT_ROLES = ['witness', 'trainer', 'client', 'device'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** A contact's name, as short as a device label. */
export const MAX_CONTACT_NAME_CHARS = 80;
/** Free notes about a contact. */
export const MAX_CONTACT_NOTES_CHARS = 2000;
/** How many contacts one home keeps. */
export const MAX_CONTACTS = 10_000;

export function isContactRole(value: string): value is ContactRole {
  return (CONTACT_ROLES as readonly string[]).includes(value);
}
