// The fields of a contact (the id when it is new, a name, roles, notes) and the dialog that adds one, from
// a pasted id or from any <Person> shown on a screen. Nothing here is signed: contacts stay on this device.
import { useId, useState } from 'react';
import { useStore } from 'zustand';
import type { ContactRole } from '../../../src-preload/api/contract.ts';
import { DID_KEY_HINT, looksLikeDid } from '../../../src-shared/rules/did.ts';
import { CONTACT_ROLES, MAX_CONTACT_NAME_CHARS, MAX_CONTACT_NOTES_CHARS } from '../../../src-shared/rules/contacts.ts';
import { contactsStore } from '../../app/stores.ts';
import { ConfirmDialog, ErrorNote, TextField } from '../../ui/primitives.tsx';

export interface ContactDraft {
  did: string;
  name: string;
  notes: string;
  roles: ContactRole[];
}

/** What is wrong with a draft (null when it can be saved). */
export function draftProblem(draft: ContactDraft): string | null {
  if (!looksLikeDid(draft.did.trim())) return DID_KEY_HINT;
  if (draft.name.trim() === '') return 'a contact needs a name';
  return null;
}

export function ContactFields({ draft, onChange, fixedDid = false }: { draft: ContactDraft; onChange(draft: ContactDraft): void; fixedDid?: boolean }) {
  const didBad = draft.did.trim() !== '' && !looksLikeDid(draft.did.trim());
  const notesId = useId();
  return (
    <div className="stack">
      {fixedDid ? <p className="mono small">{draft.did}</p> : (
        <TextField label="Their id (did:key)" value={draft.did} onChange={(e) => onChange({ ...draft, did: e.target.value })} placeholder="did:key:z6Mk…"
          spellCheck={false} autoComplete="off" error={didBad ? `Not an id: ${DID_KEY_HINT}.` : null} />
      )}
      <TextField label="Name" value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} maxLength={MAX_CONTACT_NAME_CHARS} autoComplete="off" />
      <fieldset className="checks">
        <legend>Roles</legend>
        {CONTACT_ROLES.map((role) => (
          <label key={role} className="check">
            <input type="checkbox" checked={draft.roles.includes(role)}
              onChange={(e) => onChange({ ...draft, roles: e.target.checked ? [...draft.roles, role] : draft.roles.filter((r) => r !== role) })} />
            {role}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={notesId}>Notes</label>
        <textarea id={notesId} value={draft.notes} maxLength={MAX_CONTACT_NOTES_CHARS} rows={3} onChange={(e) => onChange({ ...draft, notes: e.target.value })} />
      </div>
    </div>
  );
}

/** Adds `did` to the contacts after asking its name; `onDone` gets whether it was added. */
export function AddContactDialog({ did, onDone }: { did: string; onDone(added: boolean): void }) {
  const { busy, error, failed, add } = useStore(contactsStore);
  const [draft, setDraft] = useState<ContactDraft>({ did, name: '', notes: '', roles: [] });
  const problem = draftProblem(draft);
  const save = async () => {
    if (problem !== null) return;
    const added = await add({ did: draft.did.trim(), name: draft.name.trim(), notes: draft.notes, roles: draft.roles });
    if (added !== null) onDone(true);
  };
  return (
    <ConfirmDialog title="Add to contacts" confirmLabel="Add contact" variant="primary" busy={busy === 'add'} onConfirm={() => void save()} onCancel={() => onDone(false)}>
      <p className="muted">The name is kept on this device only; nothing is signed or published.</p>
      <ContactFields draft={draft} onChange={setDraft} fixedDid />
      {problem !== null && draft.name !== '' ? <p className="field-error">{problem}</p> : null}
      {failed === 'add' ? <ErrorNote error={error} /> : null}
    </ConfirmDialog>
  );
}
