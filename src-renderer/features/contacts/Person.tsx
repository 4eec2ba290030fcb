// A did as a person: the contact's name when it is in the address book, else the short id; the full id on
// hover and to copy; and, for an unknown id, "Add name" (adds it to the contacts). Every screen that shows a did uses this.
import { useState } from 'react';
import { useStore } from 'zustand';
import { contactsStore } from '../../app/stores.ts';
import { shortId } from '../../lib/format.ts';
import { AddContactDialog } from './ContactForm.tsx';

export function Person({ did, add = true }: { did: string; add?: boolean }) {
  const contact = useStore(contactsStore, (s) => s.byDid.get(did));
  const loaded = useStore(contactsStore, (s) => s.contacts !== null);
  const [adding, setAdding] = useState(false);
  return (
    <span className="person">
      {contact !== undefined
        ? <span className="person-name" title={did}>{contact.name}</span>
        : <span className="mono" title={did}>{shortId(did)}</span>}
      {contact === undefined && add && loaded ? (
        <button type="button" className="btn btn-ghost btn-small" aria-label={`Add name for ${shortId(did)}`} title="Add to contacts" onClick={() => setAdding(true)}>Add name</button>
      ) : null}
      {adding ? <AddContactDialog did={did} onDone={() => setAdding(false)} /> : null}
    </span>
  );
}
