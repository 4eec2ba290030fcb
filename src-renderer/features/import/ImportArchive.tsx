// Import an archive file: on the unlock screen (with the passphrase, the wallet opens after) and in Settings.
// The file is verified whole in the main process with its stages shown (reading, the network's head,
// checking n of m blocks, writing) and Cancel; an archive that ends before the network's head (or the chain
// here) is not imported: a plain warning says editing on it would fork the chain, with "Fetch the newer
// chain" — and, for the network's case only, "Import this older archive anyway".
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { MAX_UPLOAD_BYTES } from '../../../src-preload/api/contract.ts';
import { importStore } from '../../app/stores.ts';
import { Button, ErrorNote, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { JobProgress } from './JobProgress.tsx';

export function OlderWarning({ passphrase, onDone }: { passphrase?: string; onDone?: () => void }) {
  const { older, running, fetchNewer, importAnyway } = useStore(importStore);
  const heading = useRef<HTMLParagraphElement>(null);
  useEffect(() => heading.current?.focus(), [older]);
  if (older === null) return null;
  return (
    <div className="note note-warning stack" role="alert" data-testid="older-warning">
      <p ref={heading} tabIndex={-1}><strong>This archive is older than your chain {older.source === 'network' ? 'on the network' : 'on this device'}.</strong></p>
      <p>It holds {older.archive} blocks; {older.source === 'network' ? 'the network’s newest head record names' : 'this device already has'} {older.known}.
        {older.source === 'network' ? ' Editing now would fork your chain — fetch the newer one first.' : ' Nothing was imported: your chain here is already newer.'}</p>
      {older.source === 'network' ? (
        <div className="row">
          <Button variant="primary" disabled={running !== null} onClick={() => void fetchNewer(passphrase).then((ok) => ok && onDone?.())}>Fetch the newer chain</Button>
          <Button disabled={running !== null} onClick={() => void importAnyway(passphrase).then((ok) => ok && onDone?.())}>Import this older archive anyway</Button>
        </div>
      ) : null}
    </div>
  );
}

/** The import form; `locked`: it asks for the passphrase too (the wallet opens once the chain is here). */
export function ImportArchive({ locked, autoFocus = false }: { locked: boolean; autoFocus?: boolean }) {
  const { running, view, outcome, fetched, error, importFile, cancel, reset } = useStore(importStore);
  const [file, setFile] = useState<File | null>(null);
  const [pass, setPass] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => () => reset(), [reset]);
  useEffect(() => {
    if (outcome !== null || fetched !== null) result.current?.focus();
  }, [outcome, fetched]);
  const ready = file !== null && (!locked || pass.length > 0) && running === null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready || file === null) return;
    if (file.size > MAX_UPLOAD_BYTES) return setProblem('This file is larger than 64 MiB, more than an archive DeFaust can import here. Use defaust import FILE.');
    setProblem(null);
    await importFile(new Uint8Array(await file.arrayBuffer()), locked ? pass : undefined);
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Import an archive file">
      <div className="field">
        <label htmlFor="archive-file">Archive file</label>
        <input id="archive-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-describedby="archive-file-hint" autoFocus={autoFocus} />
        <p className="hint" id="archive-file-hint">A .defaust file from Settings → Archive → Export archive (or defaust export). Every block is checked before anything is written.</p>
      </div>
      {locked ? <TextField label="Passphrase of this device" type="password" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} /> : null}
      {problem ? <div className="note note-error" role="alert">{problem}</div> : null}
      <ErrorNote error={error} />
      {running !== null ? <JobProgress kind={running} view={view} onCancel={() => void cancel()} /> : null}
      <OlderWarning {...(locked ? { passphrase: pass } : {})} />
      <div ref={result} tabIndex={-1}>
        {outcome !== null && running === null ? (
          <SuccessNote>Imported {outcome.added} new {outcome.added === 1 ? 'block' : 'blocks'}; your chain has {outcome.length}.{outcome.network === null ? ' The network was not asked for a newer head.' : outcome.network.reached ? '' : ' No peer answered, so it was not compared with the network.'}</SuccessNote>
        ) : null}
        {fetched !== null && running === null ? <SuccessNote>Fetched your newer chain from the network: {fetched} blocks here now.</SuccessNote> : null}
      </div>
      <div className="row">
        <Button type="submit" variant="primary" disabled={!ready} busy={running === 'import'}>{locked ? 'Import and unlock' : 'Import archive'}</Button>
      </div>
    </form>
  );
}
