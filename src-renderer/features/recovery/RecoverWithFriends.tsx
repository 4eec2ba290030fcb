// "Recover with friends", before any identity (drawn inside onboarding's frame): make (or show) the temporary
// id, tell the person to call each custodian, then take the released share files and rebuild the identity.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { recoveryStore, sessionStore } from '../../app/stores.ts';
import { Busy, Button, CopyButton, ErrorNote, TextField } from '../../ui/primitives.tsx';

export function RecoverWithFriends() {
  const { busy, error, temporaryId, start, combine } = useStore(recoveryStore);
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
      <p className="lead">Call each of your recovery contacts, so they know it is you, and give them this temporary id. They send back a file each.</p>
      <p className="mono break">{temporaryId}</p>
      <CopyButton text={temporaryId} what="temporary id" />
      <form className="stack" onSubmit={(e) => void rebuild(e)} noValidate>
        <div className="field">
          <label htmlFor="releases">The files your contacts released</label>
          <input id="releases" type="file" multiple onChange={(e) => setFiles([...(e.target.files ?? [])])} />
        </div>
        <ErrorNote error={error} />
        {busy ? <Busy label="Rebuilding your identity…" /> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={files.length === 0 || pass.length < 8} busy={busy}>Recover</Button>
        </div>
      </form>
    </>
  );
}
