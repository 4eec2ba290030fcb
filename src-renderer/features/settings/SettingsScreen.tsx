// Settings: theme, the data folder, the passphrase, storage tiers, recovery contacts, locking.
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { Theme } from '../../../src-preload/api/contract.ts';
import { sessionStore, settingsStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { Busy, Button, Card, ErrorNote, PageHeader, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { MyId } from '../contacts/MyId.tsx';
import { RecoveryContacts } from '../recovery/RecoveryContacts.tsx';
import { ImportArchive } from '../import/ImportArchive.tsx';
import { StorageCard } from './StorageCard.tsx';

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function ExportArchive() {
  const { exporting, exported, exportError, exportArchive } = useStore(settingsStore);
  const run = async () => {
    const file = await exportArchive();
    if (file !== null) saveDownload(file);
  };
  return (
    <Card title="Archive">
      <p className="muted">The archive is your whole chain in one file, sealed as it is stored here. People you granted access read their sections from it, even when this device is off; it is also a backup of your history.</p>
      <ErrorNote error={exportError} />
      {exporting ? <Busy label="Writing the archive…" /> : null}
      {exported !== null && !exporting ? <SuccessNote>Downloaded {exported}.</SuccessNote> : null}
      <div className="row">
        <Button onClick={() => void run()} busy={exporting}>Export archive</Button>
      </div>
      <details>
        <summary>Import an archive file</summary>
        <p className="muted">Adds what an archive holds beyond the chain here (from another device, or a backup). It is checked whole first; an archive older than your chain on the network is not imported without your say.</p>
        <ImportArchive locked={false} />
      </details>
    </Card>
  );
}

function PassphraseForm() {
  const { changing, changed, error, changePassphrase } = useStore(settingsStore);
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const problem = next.length > 0 && next.length < 8 ? 'Use at least 8 characters.' : again.length > 0 && next !== again ? 'The two new passphrases are not the same.' : null;
  const ready = old.length > 0 && next.length >= 8 && next === again;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    if (await changePassphrase(old, next)) {
      setOld('');
      setNext('');
      setAgain('');
    }
  };
  return (
    <form className="stack narrow" onSubmit={(e) => void submit(e)} noValidate aria-label="Change passphrase">
      <TextField label="Current passphrase" type="password" autoComplete="current-password" value={old} onChange={(e) => setOld(e.target.value)} />
      <TextField label="New passphrase" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
      <TextField label="Repeat the new passphrase" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} error={problem} />
      <ErrorNote error={error} />
      {changing ? <Busy label="Re-encrypting your keys…" /> : null}
      {changed ? <SuccessNote>Your passphrase is changed.</SuccessNote> : null}
      <div className="row">
        <Button type="submit" variant="primary" disabled={!ready} busy={changing}>Change passphrase</Button>
      </div>
    </form>
  );
}

export function SettingsScreen() {
  const { settings, load, setTheme } = useStore(settingsStore);
  const lock = useStore(sessionStore, (s) => s.lock);
  useEffect(() => {
    void load();
  }, [load]);
  const id = useStore(sessionStore, (s) => s.status?.id ?? null);
  return (
    <>
      <PageHeader title="Settings" />
      {id !== null ? <Card title="My id"><MyId did={id} title="Your identity" what="your id" /></Card> : null}
      <Card title="Appearance">
        <fieldset className="radios">
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value} className="radio">
              <input type="radio" name="theme" value={t.value} checked={settings?.theme === t.value} onChange={() => void setTheme(t.value)} />
              {t.label}
            </label>
          ))}
        </fieldset>
      </Card>
      <Card title="Passphrase">
        <p className="muted">Your passphrase unlocks the keys on this device. Changing it does not change your recovery phrase.</p>
        <PassphraseForm />
      </Card>
      <ExportArchive />
      <StorageCard />
      <RecoveryContacts />
      <Card title="This device">
        <dl className="facts">
          <dt>Data folder</dt><dd className="mono break">{settings?.home ?? '…'}</dd>
          <dt>Version</dt><dd>{settings?.version ?? '…'}</dd>
        </dl>
        <div className="row">
          <Button variant="danger" onClick={() => void lock()}>Lock now</Button>
        </div>
      </Card>
    </>
  );
}
