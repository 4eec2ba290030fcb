// Attributes on the Profile screen (issue 11 item 4): the credentials issuers gave you and importing one;
// "Prove this field" — a field's issued value against a predicate, bound to the verifier's nonce, with the
// proof's stages and a download; and, for issuers, "Issue an attribute", signed only after a dialog shows
// exactly what is signed.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { FEAT_TYPE } from '../../../src-shared/rules/feat-type.ts';
import { MAX_CREDENTIAL_BYTES } from '../../../src-shared/rules/limits.ts';
import { NONCE_DIGITS } from '../../../src-shared/rules/number.ts';
import { attributesStore } from '../../app/stores.ts';
import { formatTime, shortId } from '../../lib/format.ts';
import { saveDownload } from '../../lib/download.ts';
import { Button, Card, ConfirmDialog, ErrorNote, FileForm, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { STAGES } from '../feats/store.ts';
import { STAGE_WORDS, WORK_STAGES } from '../feats/FeatsScreen.tsx';
import type { ProveRequest } from './attributes-store.ts';

const VALUE = /^\d{1,20}$/u;
const OPS = [
  { op: 'gte', label: 'is at least' },
  { op: 'lte', label: 'is at most' },
  { op: 'eq', label: 'equals' },
  { op: 'in', label: 'is one of' },
] as const;

function Credentials() {
  const { credentials, busy, error, failed, done, importCredential } = useStore(attributesStore);
  return (
    <>
      <Card title="Attributes issued to you">
        {credentials === null || credentials.length === 0 ? (
          <p className="muted">No credentials yet. An issuer (a doctor, a trainer, a registry) signs a field’s value for you and sends you the file; import it below.</p>
        ) : (
          <table>
            <thead><tr><th scope="col">Field</th><th scope="col">Value</th><th scope="col">Issued by</th><th scope="col">Issued</th></tr></thead>
            <tbody>
              {credentials.map((c) => (
                <tr key={`${c.issuer}/${c.field}`}><th scope="row">{c.field}</th><td>{c.value}</td><td className="mono" title={c.issuer}>{shortId(c.issuer)}</td><td>{formatTime(c.issuedAt)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <FileForm title="Import a credential" id="credential-file" label="Credential file" maxBytes={MAX_CREDENTIAL_BYTES}
        hint="The file an issuer made for you. It is checked here: issued to you, and signed by the issuer." tooLarge="This file is far larger than a credential. Check that you chose the right file."
        submitLabel="Import" busy={busy === 'import'} onBytes={importCredential}
        notes={<>{failed === 'import' ? <ErrorNote error={error} /> : null}{done?.action === 'import' ? <SuccessNote>{done.text}</SuccessNote> : null}</>} />
    </>
  );
}

function ProveField() {
  const id = useId();
  const { credentials, busy, error, failed, proving, proof, prove, cancelProve } = useStore(attributesStore);
  const [choice, setChoice] = useState('');
  const [op, setOp] = useState<ProveRequest['op']>('gte');
  const [bound, setBound] = useState('');
  const [nonce, setNonce] = useState('');
  if (credentials === null || credentials.length === 0) return null;
  const chosen = credentials.find((c) => `${c.issuer}/${c.field}` === choice) ?? credentials[0]!;
  const members = bound.split(/[\s,]+/u).filter((v) => v !== '');
  const boundOk = op === 'in' ? members.length > 0 && members.every((v) => VALUE.test(v)) : VALUE.test(bound);
  const nonceOk = NONCE_DIGITS.test(nonce);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!boundOk || !nonceOk) return;
    await prove({ field: chosen.field, issuer: chosen.issuer, op, bound: op === 'in' ? '0' : bound, ...(op === 'in' ? { set: members } : {}), nonce });
  };
  const index = proving?.stage ? Math.min(STAGES.indexOf(proving.stage), WORK_STAGES) : -1;
  return (
    <Card title="Prove this field">
      <p className="muted">A proof shows a verifier that an issuer signed your field’s value and that it satisfies what they ask — without showing the value.</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Prove this field">
        <div className="field">
          <label htmlFor={`${id}-field`}>Attribute to prove</label>
          <select id={`${id}-field`} value={`${chosen.issuer}/${chosen.field}`} onChange={(e) => setChoice(e.target.value)}>
            {credentials.map((c) => <option key={`${c.issuer}/${c.field}`} value={`${c.issuer}/${c.field}`}>{c.field} (issued by {shortId(c.issuer)})</option>)}
          </select>
        </div>
        <div className="row wrap top">
          <div className="field">
            <label htmlFor={`${id}-op`}>The value</label>
            <select id={`${id}-op`} value={op} onChange={(e) => setOp(e.target.value as ProveRequest['op'])}>
              {OPS.map((o) => <option key={o.op} value={o.op}>{o.label}</option>)}
            </select>
          </div>
          <TextField label={op === 'in' ? 'Values, separated by commas' : 'Bound'} value={bound} onChange={(e) => setBound(e.target.value)} inputMode="numeric" autoComplete="off"
            error={bound === '' || boundOk ? null : 'Whole numbers of 0 or more.'} />
        </div>
        <TextField label="Nonce from the verifier" value={nonce} onChange={(e) => setNonce(e.target.value.trim())} inputMode="numeric" autoComplete="off" spellCheck={false}
          hint="The number the verifier asked you to prove against (their Verify screen, or defaust verify request): they take one proof for it." error={nonce === '' || nonceOk ? null : 'Digits only (up to 76).'} />
        {failed === 'prove' ? <ErrorNote error={error} /> : null}
        {proving !== null ? (
          <div className="stack" role="status" aria-live="polite">
            <progress className="meter meter-wide" max={WORK_STAGES} value={index < 0 ? 0 : index + 0.5} aria-label="Making the proof" aria-valuetext={proving.stage ? STAGE_WORDS[proving.stage] : 'Starting'} />
            <span className="busy"><span className="spinner" aria-hidden="true" />{proving.stage ? STAGE_WORDS[proving.stage] : 'Starting'}…</span>
            <div className="row"><Button onClick={() => void cancelProve()}>Cancel</Button></div>
          </div>
        ) : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={!boundOk || !nonceOk || (busy !== null && busy !== 'prove')} busy={busy === 'prove'}>Make the proof</Button>
        </div>
      </form>
      {proof !== null ? (
        <div className="stack">
          <SuccessNote>The proof that your {proof.field} (issued by {shortId(proof.issuer)}) satisfies the predicate is ready, for nonce {proof.nonce}.</SuccessNote>
          <div className="row"><Button onClick={() => saveDownload(proof.file, 'application/json')}>Download the proof</Button></div>
        </div>
      ) : null}
    </Card>
  );
}

function IssueAttribute() {
  const id = useId();
  const { busy, error, failed, issued, issue } = useStore(attributesStore);
  const [holder, setHolder] = useState('');
  const [field, setField] = useState('');
  const [value, setValue] = useState('');
  const [confirming, setConfirming] = useState(false);
  const ok = looksLikeDid(holder) && FEAT_TYPE.test(field) && VALUE.test(value);
  const sign = async () => {
    const file = await issue({ holder, field, value });
    setConfirming(false);
    if (file !== null) saveDownload(file, 'application/json');
  };
  return (
    <Card title="Issue an attribute">
      <p className="muted">As an issuer (a doctor, a trainer, a registry), sign a field’s value for someone. They prove things about it to verifiers who trust you, without showing it.</p>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); if (ok) setConfirming(true); }} noValidate aria-label="Issue an attribute">
        <TextField label="Holder’s identity" value={holder} onChange={(e) => setHolder(e.target.value.trim())} autoComplete="off" spellCheck={false}
          hint="Their chain must be held here (a contact, or fetched from the network): their key is read from it." error={holder === '' || looksLikeDid(holder) ? null : 'An identity is a did:key such as did:key:z6Mk….'} />
        <div className="row wrap top">
          <TextField label="Attribute" value={field} onChange={(e) => setField(e.target.value.trim())} autoComplete="off" spellCheck={false} hint="Such as age or blood-group."
            error={field === '' || FEAT_TYPE.test(field) ? null : '1–40 lower-case letters, digits or -.'} />
          <TextField label="Its value" value={value} onChange={(e) => setValue(e.target.value.trim())} inputMode="numeric" autoComplete="off" error={value === '' || VALUE.test(value) ? null : 'A whole number of 0 or more.'} />
        </div>
        {failed === 'issue' ? <ErrorNote error={error} /> : null}
        {issued !== null ? (
          <div className="stack">
            <SuccessNote>Signed: {issued.statement}. Send the file to the holder only — it holds the value.</SuccessNote>
            <div className="row"><Button onClick={() => saveDownload(issued.file, 'application/json')}>Download the credential again</Button></div>
          </div>
        ) : null}
        <div className="row"><Button type="submit" variant="primary" disabled={!ok || busy === 'issue'}>Sign…</Button></div>
      </form>
      {confirming ? (
        <ConfirmDialog title="Sign this attribute?" confirmLabel="Sign" variant="primary" busy={busy === 'issue'} onConfirm={() => void sign()} onCancel={() => setConfirming(false)}>
          <p>You sign, with your identity’s key, that:</p>
          <dl className="facts" id={`${id}-signed`}>
            <dt>Holder</dt><dd className="mono break">{holder}</dd>
            <dt>Field</dt><dd>{field}</dd>
            <dt>Value</dt><dd><strong>{value}</strong></dd>
          </dl>
          <p className="muted small">The signature covers a commitment to the holder’s key, the field, the value and a random salt. Anyone who trusts you as an issuer will accept proofs about this value.</p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}

/** The Profile screen's attributes: credentials, proving a field, issuing one. */
export function AttributesPanel() {
  const load = useStore(attributesStore, (s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <Credentials />
      <ProveField />
      <IssueAttribute />
    </>
  );
}
