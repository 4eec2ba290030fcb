// The editable limits in units people use (MiB, KiB per minute, connections), checked as typed and saved
// through `network:setLimits`: only the fields that changed are sent. The form keeps what is typed while the
// screen polls; each field says the value in use now.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { networkStore } from '../../app/stores.ts';
import { Button, ErrorNote, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { LIMIT_FIELDS, limitsDraft, limitsPatch, type Limits, type LimitsDraft } from './model.ts';

export function LimitsForm({ limits }: { limits: Limits }) {
  const { busy, error, failed, limitsSaved, setLimits } = useStore(networkStore);
  const [initial, setInitial] = useState<LimitsDraft>(() => limitsDraft(limits));
  const [draft, setDraft] = useState<LimitsDraft>(initial);
  const now = limitsDraft(limits);
  const { patch, errors } = limitsPatch(initial, draft);
  const changed = Object.keys(patch).length > 0;
  const valid = Object.keys(errors).length === 0;
  const dirty = Object.keys(draft).some((key) => draft[key as keyof LimitsDraft] !== initial[key as keyof LimitsDraft]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!changed || !valid) return;
    if (await setLimits(patch)) {
      const saved = networkStore.getState().status?.limits;
      if (saved !== undefined) {
        const fresh = limitsDraft(saved);
        setInitial(fresh);
        setDraft(fresh);
      }
    }
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Limits">
      <div className="limits-grid">
        {LIMIT_FIELDS.map((field) => (
          <TextField key={field.key} label={field.unit === '' ? field.label : `${field.label} (${field.unit})`} inputMode={field.scale === 1 ? 'numeric' : 'decimal'} autoComplete="off" spellCheck={false}
            value={draft[field.key]} onChange={(e) => setDraft({ ...draft, [field.key]: e.target.value })}
            hint={<>{field.hint} In use: {now[field.key]}{field.unit === '' ? '' : ` ${field.unit}`}.</>}
            error={errors[field.key] ?? null} />
        ))}
      </div>
      {failed === 'limits' ? <ErrorNote error={error} /> : null}
      {limitsSaved ? <SuccessNote>Limits saved. They apply now; the number of connections applies the next time the node starts.</SuccessNote> : null}
      <div className="row">
        <Button type="submit" variant="primary" disabled={!changed || !valid} busy={busy === 'limits'}>Save limits</Button>
        <Button disabled={!dirty} onClick={() => setDraft(initial)}>Undo changes</Button>
      </div>
    </form>
  );
}
