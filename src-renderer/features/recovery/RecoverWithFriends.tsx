// "Recover with friends", before any identity (drawn inside onboarding's frame): make (or show) the temporary
// id, tell the person to call each custodian, then take the released shares — from the temporary id's mailbox
// or as files — and rebuild the identity.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { recoveryStore, sessionStore } from '../../app/stores.ts';
import { Busy, Button, CopyButton, ErrorNote, TextField } from '../../ui/primitives.tsx';

export function RecoverWithFriends() {
  const { busy, error, temporaryId, mail, start, checkMail, combine } = useStore(recoveryStore);
  const setView = useStore(sessionStore, (s) => s.setView);
  const [pass, setPass] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const begin = (e: FormEvent) => {
    e.preventDefault();
    if (pass.length >= 8) void start(pass);
  };
  const rebuild = async (e: FormEvent) => {
    e.preventDefault();
    const releases = await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
    const status = await combine(pass, releases);
    if (status !== null) sessionStore.setState({ status });
  };
  if (temporaryId === null) {
    return (
      <>
        <p className="lead">First choose a passphrase for this device.</p>
        <form className="stack" onSubmit={begin} noValidate>
          <TextField label="New passphrase for this device" type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} autoFocus />
          <ErrorNote error={error} />
          <div className="row">
            <Button onClick={() => setView('welcome')}>Back</Button>
            <Button type="submit" variant="primary" disabled={pass.length < 8} busy={busy}>Make a temporary id</Button>
          </div>
        </form>
      </>
    );
  }
  return (
    <>
      <p className="lead">Call each of your recovery contacts, so they know it is you, and give them this temporary id. Each releases their share to it: to its mailbox, or as a file.</p>
      <p className="mono break">{temporaryId}</p>
      <CopyButton text={temporaryId} what="temporary id" />
      <form className="stack" onSubmit={(e) => void rebuild(e)} noValidate>
        <div className="row">
          <Button onClick={() => void checkMail(pass)} busy={busy}>Check my mailbox</Button>
          {mail === null ? null : <span role="status">{mail.kept === 1 ? '1 share' : `${mail.kept} shares`} came by mail ({mail.fetched} new{mail.refused > 0 ? `; ${mail.refused} altered or sealed to another key, left out` : ''})</span>}
        </div>
        <div className="field">
          <label htmlFor="releases">The files your contacts released (if any)</label>
          <input id="releases" type="file" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} />
        </div>
        <ErrorNote error={error} />
        {busy ? <Busy label="Rebuilding your identity…" /> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={(files.length === 0 && (mail?.kept ?? 0) === 0) || pass.length < 8} busy={busy}>Recover</Button>
        </div>
      </form>
    </>
  );
}
