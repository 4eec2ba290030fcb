// Contacts: the local address book — add someone from a pasted id, rename them, set their roles and notes,
// remove them — and this identity's own id with Copy and a QR code. Nothing here is signed or published.
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { Contact } from '../../../src-preload/api/contract.ts';
import { contactsStore, sessionStore } from '../../app/stores.ts';
import { Busy, Button, Card, ConfirmDialog, CopyButton, ErrorNote, PageHeader, SuccessNote } from '../../ui/primitives.tsx';
import { ContactFields, draftProblem, type ContactDraft } from './ContactForm.tsx';
import { MyId } from './MyId.tsx';

const EMPTY: ContactDraft = { did: '', name: '', notes: '', roles: [] };

function AddContactForm() {
  const { busy, error, failed, done, add } = useStore(contactsStore);
  const [draft, setDraft] = useState<ContactDraft>(EMPTY);
  const problem = draftProblem(draft);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem !== null) return;
    if (await add({ did: draft.did.trim(), name: draft.name.trim(), notes: draft.notes, roles: draft.roles })) setDraft(EMPTY);
  };
  return (
    <form className="stack editor" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a contact">
      <h3>Add a contact</h3>
      <ContactFields draft={draft} onChange={setDraft} />
      {failed === 'add' ? <ErrorNote error={error} /> : null}
      {done === 'add' ? <SuccessNote>Contact added. Their name now shows wherever their id appears.</SuccessNote> : null}
      <div className="row"><Button type="submit" variant="primary" disabled={problem !== null} busy={busy === 'add'}>Add contact</Button></div>
    </form>
  );
}

function EditContactDialog({ contact, onDone }: { contact: Contact; onDone(): void }) {
  const { busy, error, failed, edit } = useStore(contactsStore);
  const [draft, setDraft] = useState<ContactDraft>({ did: contact.did, name: contact.name, notes: contact.notes, roles: [...contact.roles] });
  const save = async () => {
    if (draftProblem(draft) !== null) return;
    if (await edit({ did: contact.did, name: draft.name.trim(), notes: draft.notes, roles: draft.roles })) onDone();
  };
  return (
    <ConfirmDialog title={`Edit ${contact.name}`} confirmLabel="Save contact" variant="primary" busy={busy === 'edit'} onConfirm={() => void save()} onCancel={onDone}>
      <ContactFields draft={draft} onChange={setDraft} fixedDid />
      {failed === 'edit' ? <ErrorNote error={error} /> : null}
    </ConfirmDialog>
  );
}

function ContactsTable({ contacts, onEdit, onRemove }: { contacts: Contact[]; onEdit(c: Contact): void; onRemove(c: Contact): void }) {
  if (contacts.length === 0) return <p className="muted">No contacts yet. Add someone from their id, or from any id shown on another screen.</p>;
  return (
    <table className="listing">
      <caption className="sr-only">Contacts</caption>
      <thead>
        <tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Roles</th><th scope="col">Notes</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
      </thead>
      <tbody>
        {contacts.map((c) => (
          <tr key={c.did}>
            <th scope="row" className="plain-th">{c.name}</th>
            <td><span className="mono small break">{c.did}</span> <CopyButton text={c.did} what={`${c.name}'s id`} /></td>
            <td>{c.roles.join(', ') || '—'}</td>
            <td>{c.notes}</td>
            <td className="actions">
              <Button variant="ghost" aria-label={`Edit ${c.name}`} onClick={() => onEdit(c)}>Edit</Button>
              <Button variant="ghost" aria-label={`Remove ${c.name}`} onClick={() => onRemove(c)}>Remove</Button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ContactsScreen() {
  const { contacts, busy, error, failed, done, load, remove } = useStore(contactsStore);
  const id = useStore(sessionStore, (s) => s.status?.id ?? null);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [removing, setRemoving] = useState<Contact | null>(null);
  useEffect(() => {
    contactsStore.setState({ done: null, error: null, failed: null });
    void load();
  }, [load]);
  return (
    <>
      <PageHeader title="Contacts" />
      <Card title="My id">
        <p className="muted">Give this id to people who grant you access, witness your feats or send you requests.</p>
        {id === null ? <Busy label="Loading your id…" /> : <MyId did={id} title="Your identity" />}
      </Card>
      <Card title="Contacts">
        <p className="muted">Names for the ids you deal with, kept on this device only: they are never signed, published or shared.</p>
        {failed === 'load' || failed === 'remove' ? <ErrorNote error={error} /> : null}
        {done === 'remove' ? <SuccessNote>Contact removed.</SuccessNote> : null}
        {contacts === null ? <Busy label="Loading contacts…" /> : <ContactsTable contacts={contacts} onEdit={setEditing} onRemove={setRemoving} />}
        <AddContactForm />
      </Card>
      {editing !== null ? <EditContactDialog contact={editing} onDone={() => setEditing(null)} /> : null}
      {removing !== null ? (
        <ConfirmDialog title={`Remove ${removing.name} from your contacts?`} confirmLabel="Remove contact" busy={busy === 'remove'}
          onConfirm={() => void remove(removing.did).then((ok) => ok && setRemoving(null))} onCancel={() => setRemoving(null)}>
          <p>Their id will show as a short key again. Nothing they were granted changes.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
