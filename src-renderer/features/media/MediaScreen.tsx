// Media: attach a picture or film to an event, the gallery, and a viewer. Files are decrypted in the main
// process and shown here from blob: URLs that are revoked when they are no longer shown.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { MediaItem } from '../../../src-preload/api/contract.ts';
import { mediaStore, profileStore } from '../../app/stores.ts';
import { formatBytes } from '../../lib/format.ts';
import { Busy, Button, Card, SignDialog, ErrorNote, PageHeader, SuccessNote, TextField } from '../../ui/primitives.tsx';

const MAX_BYTES = 64 * 1024 * 1024;

function useObjectUrl(item: MediaItem | null): string | null {
  const open = useStore(mediaStore, (s) => s.open);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (item === null) return undefined;
    let made: string | null = null;
    let live = true;
    void open(item.cid).then((bytes) => {
      if (!live || bytes === null) return;
      made = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: item.type }));
      setUrl(made);
    });
    return () => {
      live = false;
      if (made !== null) URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [item, open]);
  return url;
}

function Thumb({ item, onOpen }: { item: MediaItem; onOpen(): void }) {
  const isImage = item.type.startsWith('image/');
  const url = useObjectUrl(isImage ? item : null);
  return (
    <li className="tile">
      <button type="button" className="tile-button" onClick={onOpen}>
        <span className="tile-media">
          {isImage ? (url ? <img src={url} alt="" /> : <span className="spinner" aria-hidden="true" />) : <span className="tile-icon" aria-hidden="true">{item.type.startsWith('video/') ? '▶' : '◆'}</span>}
        </span>
        <span className="tile-caption">
          <span className="tile-name">{item.name}</span>
          <span className="muted">{item.event} · {item.section} · {formatBytes(item.size)}</span>
        </span>
      </button>
    </li>
  );
}

function Viewer({ item, onClose }: { item: MediaItem; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const url = useObjectUrl(item);
  useEffect(() => {
    const d = dialog.current;
    if (d !== null && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={dialog} className="viewer" aria-labelledby="viewer-title" onClose={onClose}>
      <header className="card-header">
        <h2 id="viewer-title">{item.name}</h2>
        <Button onClick={onClose} autoFocus>Close</Button>
      </header>
      <div className="viewer-body">
        {url === null ? <Busy label="Decrypting…" /> : item.type.startsWith('image/') ? <img src={url} alt={`${item.name}, attached to ${item.event}`} />
          : item.type.startsWith('video/') ? <video src={url} controls aria-label={item.name} />
          : <a href={url} download={item.name}>Download {item.name}</a>}
      </div>
      <p className="muted">{item.event} · {item.section} · {formatBytes(item.size)} · {item.type}</p>
    </dialog>
  );
}

function AttachForm() {
  const { attaching, attached, attach } = useStore(mediaStore);
  const profile = useStore(profileStore, (s) => s.profile);
  const sections = profile?.sections.map((x) => x.name) ?? ['feats'];
  const [section, setSection] = useState('feats');
  const [event, setEvent] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [reading, setReading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const eventOk = /^[A-Za-z0-9_. -]{1,80}$/u.test(event);
  const [asking, setAsking] = useState<{ file: File; section: string; event: string } | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file === null || !eventOk) return;
    if (file.size > MAX_BYTES) return setProblem(`This file is ${formatBytes(file.size)}; the limit here is ${formatBytes(MAX_BYTES)}.`);
    setProblem(null);
    setAsking({ file, section, event });
  };
  const sign = async () => {
    if (asking === null) return;
    const { file, section, event } = asking;
    setAsking(null);
    setReading(true);
    const bytes = new Uint8Array(await file.arrayBuffer());
    setReading(false);
    const item = await attach({ section, event, name: file.name, type: file.type || 'application/octet-stream', bytes });
    if (item !== null) {
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
    }
  };
  return (
    <Card title="Attach a picture or film">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="row wrap">
          <div className="field">
            <label htmlFor="media-section">Section</label>
            <select id="media-section" value={section} onChange={(e) => setSection(e.target.value)}>
              {sections.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </div>
          <TextField label="Event" value={event} onChange={(e) => setEvent(e.target.value)} placeholder="Marathon 2026" error={event !== '' && !eventOk ? 'Letters, digits, spaces and . _ - only (up to 80).' : null} />
        </div>
        <div className="field">
          <label htmlFor="media-file">File</label>
          <input id="media-file" ref={fileInput} type="file" accept="image/*,video/*" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-describedby="media-file-hint" />
          <p className="hint" id="media-file-hint">It is encrypted on this device before it is stored. Up to {formatBytes(MAX_BYTES)}.</p>
        </div>
        {problem ? <div className="note note-error" role="alert">{problem}</div> : null}
        {reading ? <Busy label="Reading the file…" /> : attaching ? <Busy label="Encrypting and signing…" /> : null}
        {attached && !attaching ? <SuccessNote focus>Attached {attached.name} to “{attached.event}”.</SuccessNote> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={file === null || !eventOk} busy={attaching || reading}>Attach</Button>
        </div>
      </form>
      {asking !== null ? (
        <SignDialog title="Sign and attach this file?" confirmLabel="Sign and attach" onConfirm={() => void sign()} onCancel={() => setAsking(null)}
          facts={[
            ['File', asking.file.name],
            ['Type', asking.file.type || 'application/octet-stream'],
            ['Size', formatBytes(asking.file.size)],
            ['Section', asking.section],
            ['Event', asking.event],
          ]}>
          <p className="muted">The file is encrypted on this device; the block records its name, type, size and hash.</p>
        </SignDialog>
      ) : null}
    </Card>
  );
}

export function MediaScreen() {
  const { items, error, load } = useStore(mediaStore);
  const loadProfile = useStore(profileStore, (s) => s.load);
  const [open, setOpen] = useState<MediaItem | null>(null);
  useEffect(() => {
    void load();
    void loadProfile();
  }, [load, loadProfile]);
  return (
    <>
      <PageHeader title="Media" />
      <ErrorNote error={error} />
      <AttachForm />
      <Card title="Gallery">
        {items === null ? <Busy label="Loading your media…" /> : items.length === 0 ? <p className="muted">Nothing attached yet.</p> : (
          <ul className="gallery" aria-label="Gallery">
            {items.map((item) => <Thumb key={item.cid} item={item} onOpen={() => setOpen(item)} />)}
          </ul>
        )}
      </Card>
      {open ? <Viewer item={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
