// The Verify screen's "Is this block in their history?" card: drop, choose or paste an inclusion bundle, and
// read what it proves — the block, whose history holds it, what signed that history, and a revealed change —
// or the reason it proves nothing. Checked on this device alone; nothing is sent anywhere.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { MAX_INCLUSION_BUNDLE_CHARS } from '../../../src-shared/rules/limits.ts';
import { inclusionStore } from '../../app/stores.ts';
import { formatTime, kindLabel } from '../../lib/format.ts';
import { Button, ErrorNote, FileDrop } from '../../ui/primitives.tsx';
import { Person } from '../contacts/Person.tsx';

function Outcome() {
  const result = useStore(inclusionStore, (s) => s.result);
  if (result === null) return null;
  const { check } = result;
  return (
    <section className="stack verdict" aria-labelledby="inclusion-outcome" aria-live="polite">
      <h2 id="inclusion-outcome" className={check.valid ? 'verdict-ok' : 'verdict-bad'}>{check.valid ? '✓ The block is in their history' : '✗ Proves nothing'}</h2>
      <p className="muted small">{result.name}</p>
      {check.valid ? (
        <>
          <p>{check.sentence.charAt(0).toUpperCase() + check.sentence.slice(1)}.</p>
          <dl className="facts">
            <dt>Block</dt><dd>#{check.seq} · {kindLabel(check.kind)} · {formatTime(check.ts)}</dd>
            <dt>Owner</dt><dd><Person did={check.id} /> <span className="mono small break">{check.id}</span></dd>
            <dt>Committed by</dt><dd>{check.by.kind === 'checkpoint' ? `The checkpoint at block #${check.by.seq}` : `The head record at block #${check.by.seq}`}, signed by the owner’s identity key, over the first {check.by.size} blocks</dd>
            <dt>CID</dt><dd className="mono break small">{check.cid}</dd>
          </dl>
          {check.revealed.length === 0
            ? <p className="muted small">The bundle does not reveal what the block says: it only shows that the block is there.</p>
            : check.revealed.map((part) => (
              <div key={part.section} className="stack">
                <h3>Revealed change in {part.section}</h3>
                <pre className="mono small break">{JSON.stringify(part.ops, null, 2)}</pre>
              </div>
            ))}
        </>
      ) : <p className="note note-error" role="alert">{check.message.charAt(0).toUpperCase() + check.message.slice(1)}.</p>}
    </section>
  );
}

export function InclusionForm() {
  const { checking, error, check } = useStore(inclusionStore);
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (file === null && pasted.trim() === '') return;
    if (file !== null && file.size > MAX_INCLUSION_BUNDLE_CHARS) return setProblem('This file is far larger than an inclusion bundle. Check that you chose the right file.');
    setProblem(null);
    await check(file?.name ?? 'Pasted bundle', file !== null ? await file.text() : pasted.trim());
  };
  return (
    <div className="stack">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Check that a block is in someone’s history">
        <p className="muted small">An inclusion bundle shows that one block is in its owner’s signed history (“did you X?”), and sometimes what it says.</p>
        <FileDrop id="inclusion-file" label="Inclusion bundle" hint="Drop the file here, choose it, or paste it below." file={file} onFile={setFile} />
        {file === null ? (
          <div className="field">
            <label htmlFor="inclusion-text">Or paste it</label>
            <textarea id="inclusion-text" rows={3} value={pasted} onChange={(e) => setPasted(e.target.value)} spellCheck={false} maxLength={MAX_INCLUSION_BUNDLE_CHARS} />
          </div>
        ) : null}
        {problem ? <div className="note note-error" role="alert">{problem}</div> : null}
        <ErrorNote error={error} />
        <div className="row">
          <Button type="submit" variant="primary" disabled={file === null && pasted.trim() === ''} busy={checking}>Check the bundle</Button>
        </div>
      </form>
      <Outcome />
    </div>
  );
}
