// Settings → Recovery contacts: choose custodians (their ids), k of n, type the recovery phrase, and confirm
// what leaves the device. Says plainly that splitting again does not revoke the shares given before.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { recoveryStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { shortId } from '../../lib/format.ts';
import { Busy, Button, Card, ConfirmDialog, ErrorNote, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';

export const NOT_REVOKED = 'Splitting again makes a new set of shares. It does NOT revoke the shares you gave before: those custodians keep them, and enough of them can still give your phrase back.';

export function RecoveryContacts() {
  const { busy, error, split, makeSplit } = useStore(recoveryStore);
  const [list, setList] = useState('');
  const [k, setK] = useState(2);
  const [phrase, setPhrase] = useState('');
  const [confirming, setConfirming] = useState(false);
  const custodians = list.split(/[\s,]+/u).filter((s) => s !== '');
  const bad = custodians.filter((c) => !looksLikeDid(c));
  const words = phrase.trim() === '' ? 0 : phrase.trim().split(/\s+/u).length;
  const ready = custodians.length >= 2 && bad.length === 0 && k >= 2 && k <= custodians.length && words === 24;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) setConfirming(true);
  };
  const confirm = async () => {
    if (await makeSplit(phrase, custodians, k)) setPhrase('');
    setConfirming(false);
  };
  return (
    <Card title="Recovery contacts">
      <p className="muted">If you lose this device and your 24 words, friends can give them back: any {k} of the people you name here together can, fewer cannot. Each gets one share, sealed to them.</p>
      <p className="note note-warning">{NOT_REVOKED}</p>
      <form className="stack narrow" onSubmit={submit} noValidate aria-label="Recovery contacts">
        <div className="field">
          <label htmlFor="custodians">Custodians (their ids, one a line)</label>
          <textarea id="custodians" rows={4} value={list} onChange={(e) => setList(e.target.value)} spellCheck={false} aria-describedby="custodians-hint" />
          <p className="hint" id="custodians-hint">{bad.length > 0 ? `Not an id: ${bad[0]}` : `${custodians.length} custodians`}</p>
        </div>
        <TextField label="How many are needed (k)" type="number" min={2} max={Math.max(2, custodians.length)} value={k} onChange={(e) => setK(Number(e.target.value))} />
        <div className="field">
          <label htmlFor="split-phrase">Your recovery phrase</label>
          <textarea id="split-phrase" rows={3} value={phrase} onChange={(e) => setPhrase(e.target.value)} autoComplete="off" autoCapitalize="none" spellCheck={false} aria-describedby="split-phrase-hint" />
          <p className="hint" id="split-phrase-hint">{words} of 24 words. It is checked against your id and not kept.</p>
        </div>
        <ErrorNote error={error} />
        {busy ? <Busy label="Making the shares…" /> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={!ready} busy={busy}>Make shares</Button>
        </div>
      </form>
      {split !== null ? (
        <div className="stack">
          <SuccessNote>Set {split.set.slice(0, 8)}: any {split.k} of {split.n} can give your phrase back.</SuccessNote>
          <ul>
            {split.shares.map((s) => (
              <li key={s.index}>
                Share {s.index} → <span className="mono" title={s.custodian}>{shortId(s.custodian)}</span>:{' '}
                {s.deposited ? 'sent to their mailbox' : s.file !== null ? <Button onClick={() => saveDownload(s.file!)}>Download for them</Button> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDialog title="Send recovery shares?" confirmLabel="Sign and send" variant="primary" busy={busy} onConfirm={() => void confirm()} onCancel={() => setConfirming(false)}>
          <p>Signed with your identity key, one share for each of these {custodians.length} people, sealed so only they can open it:</p>
          <ul>{custodians.map((c) => <li key={c} className="mono break">{c}</li>)}</ul>
          <p>Each share holds a piece of a key and your phrase sealed with that key. Any {k} of them together can rebuild your phrase; fewer learn nothing.</p>
          <p><strong>{NOT_REVOKED}</strong></p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
