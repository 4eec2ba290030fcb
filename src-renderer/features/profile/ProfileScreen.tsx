// The profile: sections and their fields. An edit is reviewed as the exact change it makes (the preview
// from the main process) before it is signed into a new block. Below them, the attributes issuers signed
// (AttributesPanel: prove a field, issue one).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { FieldChange, Value } from '../../../src-preload/api/contract.ts';
import { navStore, profileStore } from '../../app/stores.ts';
import { formatValue, shortId } from '../../lib/format.ts';
import { Busy, Button, Card, ErrorNote, PageHeader, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { parseDecimal } from '../../../src-shared/rules/number.ts';
import { AttributesPanel } from './AttributesPanel.tsx';

export type ValueKind = 'text' | 'number' | 'boolean';

function kindOf(value: Value | undefined): ValueKind {
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text';
}

/** The value typed as `kind`; null when it is not one (a number that does not parse). */
export function parseValue(kind: ValueKind, text: string): Value | null {
  if (kind === 'number') {
    return parseDecimal(text.trim());
  }
  if (kind === 'boolean') return text === 'true';
  return text;
}

export function ChangeTable({ changes, caption }: { changes: FieldChange[]; caption: string }) {
  if (changes.length === 0) return <p className="muted">No field changes.</p>;
  return (
    <table className="diff">
      <caption>{caption}</caption>
      <thead>
        <tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path}>
            <th scope="row">{c.path}</th>
            <td className={c.before === undefined ? 'diff-none' : 'diff-before'}>{c.before === undefined ? <span className="muted">(none)</span> : <del>{formatValue(c.before)}</del>}</td>
            <td className={c.after === undefined ? 'diff-none' : 'diff-after'}>{c.after === undefined ? <span className="muted">(removed)</span> : <ins>{formatValue(c.after)}</ins>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Editor({ section, path: initialPath, value: initialValue, onClose }: { section: string; path?: string; value?: Value; onClose(): void }) {
  const { review } = useStore(profileStore);
  const [path, setPath] = useState(initialPath ?? '');
  const [kind, setKind] = useState<ValueKind>(kindOf(initialValue));
  const [text, setText] = useState(initialValue === undefined ? '' : typeof initialValue === 'string' ? initialValue : JSON.stringify(initialValue));
  const value = parseValue(kind, text);
  const pathOk = /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/u.test(path);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pathOk && value !== null) void review({ section, op: { op: 'set', path, value } });
  };
  return (
    <form className="editor stack" onSubmit={submit} noValidate aria-label={initialPath ? `Edit ${initialPath}` : 'New field'}>
      <div className="row wrap">
        <TextField label="Field" value={path} onChange={(e) => setPath(e.target.value)} disabled={initialPath !== undefined} error={path !== '' && !pathOk ? 'Letters, digits, - or _ only.' : null} autoFocus={initialPath === undefined} placeholder="email" />
        <div className="field">
          <label htmlFor="value-kind">Type</label>
          <select id="value-kind" value={kind} onChange={(e) => setKind(e.target.value as ValueKind)}>
            <option value="text">Text</option>
            <option value="number">Number</option>
            <option value="boolean">Yes / no</option>
          </select>
        </div>
      </div>
      {kind === 'boolean' ? (
        <div className="field">
          <label htmlFor="value-bool">Value</label>
          <select id="value-bool" value={text === 'true' ? 'true' : 'false'} onChange={(e) => setText(e.target.value)}>
            <option value="true">Yes</option>
            <option value="false">No</option>
          </select>
        </div>
      ) : (
        <TextField label="Value" value={text} onChange={(e) => setText(e.target.value)} inputMode={kind === 'number' ? 'decimal' : undefined} error={kind === 'number' && text !== '' && value === null ? 'Type a number.' : null} autoFocus={initialPath !== undefined} />
      )}
      <div className="row">
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={!pathOk || value === null}>Review change</Button>
      </div>
    </form>
  );
}

function Review() {
  const { draft, changes, saving, sign, cancel } = useStore(profileStore);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  if (draft === null || changes === null) return null;
  return (
    <div className="review" role="region" aria-labelledby="review-title" data-signs="true">
      <h3 id="review-title" tabIndex={-1} ref={heading}>Review before signing</h3>
      <p>This change to <strong>{draft.section}</strong> will be signed with your device key and added to your chain as a new block. It cannot be removed from the history later, only changed again.</p>
      <ChangeTable changes={changes} caption="What will change" />
      {saving ? <Busy label="Signing and saving…" /> : null}
      <div className="row">
        <Button onClick={cancel} disabled={saving}>Back</Button>
        <Button variant="primary" onClick={() => void sign()} busy={saving} disabled={changes.length === 0}>Sign and save</Button>
      </div>
    </div>
  );
}

export function ProfileScreen() {
  const { profile, section, loading, error, draft, saved, selectSection, load, review } = useStore(profileStore);
  const go = useStore(navStore, (s) => s.go);
  const [editing, setEditing] = useState<{ path?: string; value?: Value } | null>(null);
  useEffect(() => {
    profileStore.setState({ saved: null });
    void load();
  }, [load]);
  useEffect(() => {
    if (saved !== null) setEditing(null);
  }, [saved]);
  const current = profile?.sections.find((s) => s.name === section);
  const fields = Object.entries(current?.fields ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <PageHeader title="Profile">{profile ? <span className="muted mono" title={profile.id}>{shortId(profile.id)} · {profile.length} blocks</span> : null}</PageHeader>
      {loading && profile === null ? <Busy label="Opening your profile…" /> : null}
      <ErrorNote error={error} />
      {profile ? (
        <div className="split">
          <nav aria-label="Sections" className="section-nav">
            <ul>
              {profile.sections.map((s) => (
                <li key={s.name}>
                  <button type="button" className="section-link" aria-current={s.name === section ? 'true' : undefined} onClick={() => { selectSection(s.name); setEditing(null); }}>
                    <span>{s.name}</span>
                    <span className="count" aria-label={`${Object.keys(s.fields).length} fields`}>{Object.keys(s.fields).length}</span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <Card title={<span className="capitalize">{section}</span>} actions={editing === null && draft === null ? <Button variant="primary" onClick={() => setEditing({})}>Add field</Button> : null}>
            {saved ? (
              <SuccessNote>
                Saved in block #{saved.seq}. <button type="button" className="link" onClick={() => go('timeline')}>See it in the timeline</button>
              </SuccessNote>
            ) : null}
            {fields.length === 0 ? <p className="muted">No fields in this section yet.</p> : (
              <table className="fields">
                <caption className="sr-only">Fields in {section}</caption>
                <thead>
                  <tr><th scope="col">Field</th><th scope="col">Value</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
                </thead>
                <tbody>
                  {fields.map(([path, value]) => (
                    <tr key={path}>
                      <th scope="row">{path}</th>
                      <td className="value">{formatValue(value)}</td>
                      <td className="actions">
                        <Button variant="ghost" aria-label={`Edit ${path}`} onClick={() => setEditing({ path, value })} disabled={draft !== null || (typeof value === 'object' && value !== null)} title={typeof value === 'object' && value !== null ? 'Lists and groups are edited from the command line for now' : undefined}>Edit</Button>
                        <Button variant="ghost" aria-label={`Remove ${path}`} onClick={() => { setEditing(null); void review({ section, op: { op: 'unset', path } }); }} disabled={draft !== null}>Remove</Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {current && current.events.length > 0 ? (
              <p className="muted">Media: {current.events.map((e) => `${e.event} (${e.count})`).join(', ')}</p>
            ) : null}
            {draft !== null ? <Review /> : editing !== null ? <Editor key={editing.path ?? 'new'} section={section} path={editing.path} value={editing.value} onClose={() => setEditing(null)} /> : null}
          </Card>
        </div>
      ) : null}
      {profile ? <AttributesPanel /> : null}
    </>
  );
}
