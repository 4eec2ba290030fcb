// Shared with me: read what someone granted you — from their replicas while the node runs (they need not be
// online), or from an archive file they gave you — and, where a grant lets you propose, propose a change to
// one of their fields; or ask their registered service for one section while they are offline. The proposal
// and the read request are shown exactly as they will be signed before they are.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { MAX_UPLOAD_BYTES } from '../../../src-preload/api/contract.ts';
import { sharedStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { formatValue, rightsLabel } from '../../lib/format.ts';
import { Busy, Button, Card, ConfirmDialog, ErrorNote, FileForm, PageHeader, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { ChangeTable, parseValue, type ValueKind } from '../profile/ProfileScreen.tsx';
import type { SharedView } from './store.ts';
import { looksLikeDid, DID_KEY_HINT } from '../../../src-shared/rules/did.ts';
import { SECTION_NAME } from '../../../src-shared/rules/names.ts';
import { MAX_VIA_CHARS } from '../../../src-preload/api/read-service.ts';

const VIA_ADDRESS = /\/p2p\/[1-9A-HJ-NP-Za-km-z]{32,128}$/u;

/** Read through their service: the request is signed with your key after you saw what it asks. */
function ReadViaCard() {
  const { readVia, busy, via } = useStore(sharedStore);
  const [owner, setOwner] = useState('');
  const [service, setService] = useState('');
  const [section, setSection] = useState('');
  const [confirming, setConfirming] = useState(false);
  const ownerOk = looksLikeDid(owner.trim());
  const serviceOk = service.trim().length <= MAX_VIA_CHARS && (looksLikeDid(service.trim()) || (service.trim().startsWith('/') && VIA_ADDRESS.test(service.trim())));
  const sectionOk = SECTION_NAME.test(section.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ownerOk && serviceOk && sectionOk) setConfirming(true);
  };
  const sign = async () => {
    await readVia({ owner: owner.trim(), via: service.trim(), section: section.trim() });
    setConfirming(false);
  };
  const fields = via === null ? [] : Object.entries(via.fields);
  return (
    <Card title="Read through their service">
      <p className="muted small">When they are offline, the service they registered (an always-on machine of theirs) answers for the sections it serves, if they granted you those. It records your request in a log they see.</p>
      <form className="stack" onSubmit={submit} noValidate aria-label="Read through their service">
        <TextField label="Whose profile" value={owner} onChange={(e) => setOwner(e.target.value)} placeholder="did:key:z6Mk…" error={owner !== '' && !ownerOk ? `Not an id: ${DID_KEY_HINT}.` : null} />
        <TextField label="Their service" value={service} onChange={(e) => setService(e.target.value)} placeholder="did:key:z6Mk… or /ip4/…/p2p/12D3Koo…" error={service !== '' && !serviceOk ? 'The service’s id (did:key:…) or its address ending in /p2p/<peer id>.' : null} hint="They tell you which service serves them (its id, or its address)." spellCheck={false} autoComplete="off" />
        <TextField label="Section to read" value={section} onChange={(e) => setSection(e.target.value)} placeholder="contact" error={section !== '' && !sectionOk ? 'Lower-case letters, digits or -.' : null} />
        <div className="row">
          <Button type="submit" variant="primary" disabled={!ownerOk || !serviceOk || !sectionOk} busy={busy === 'via'}>Review request</Button>
        </div>
      </form>
      {confirming ? (
        <ConfirmDialog title="Sign this read request?" confirmLabel="Sign and ask" variant="primary" signs busy={busy === 'via'} onConfirm={() => void sign()} onCancel={() => setConfirming(false)}>
          <p>You sign this request with your key. It is good at this service only, for five minutes; the answer is sealed so that only you can open it.</p>
          <dl className="facts">
            <dt>Whose profile</dt><dd className="mono break">{owner.trim()}</dd>
            <dt>Section</dt><dd>{section.trim()}</dd>
            <dt>Asked of</dt><dd className="mono break">{service.trim()}</dd>
            <dt>Signed by</dt><dd>you (your identity key)</dd>
          </dl>
        </ConfirmDialog>
      ) : null}
      {via !== null ? (
        <section aria-label={`${via.section} through their service`} className="stack">
          <h3>{via.section} of <span className="mono break">{via.owner}</span></h3>
          <p className="muted small">Served by <span className="mono break">{via.client}</span> from their block #{via.seq}.</p>
          {fields.length === 0 ? <p className="muted">No fields yet.</p> : (
            <table className="fields">
              <caption className="sr-only">Fields of {via.section}</caption>
              <tbody>
                {fields.map(([path, value]) => <tr key={path}><th scope="row">{path}</th><td className="break">{formatValue(value as Parameters<typeof formatValue>[0])}</td></tr>)}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </Card>
  );
}

const SOURCE_NOTE = {
  network: 'Up to date with their replicas.',
  held: 'Their replicas did not answer (or the network is off): this is the copy held on this device.',
  archive: 'Read from the archive file you opened.',
} as const;

type Section = SharedView['sections'][number];

function ProposeForm({ owner, section, base, onClose }: { owner: string; section: Section; base: number; onClose(): void }) {
  const { propose, busy } = useStore(sharedStore);
  const [path, setPath] = useState('');
  const [kind, setKind] = useState<ValueKind>('text');
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const value = parseValue(kind, text);
  const pathOk = /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/u.test(path);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pathOk && value !== null) setConfirming(true);
  };
  const sign = async () => {
    if (value === null) return;
    if (await propose({ owner, section: section.name, ops: [{ op: 'set', path, value }], base })) onClose();
    else setConfirming(false);
  };
  return (
    <form className="editor stack" onSubmit={submit} noValidate aria-label={`Propose a change to ${section.name}`}>
      <div className="row wrap">
        <TextField label="Field" value={path} onChange={(e) => setPath(e.target.value)} error={path !== '' && !pathOk ? 'Letters, digits, - or _ only.' : null} autoFocus placeholder="weight" />
        <div className="field">
          <label htmlFor={`kind-${section.name}`}>Type</label>
          <select id={`kind-${section.name}`} value={kind} onChange={(e) => setKind(e.target.value as ValueKind)}>
            <option value="text">Text</option>
            <option value="number">Number</option>
          </select>
        </div>
      </div>
      <TextField label="Value" value={text} onChange={(e) => setText(e.target.value)} inputMode={kind === 'number' ? 'decimal' : undefined} error={kind === 'number' && text !== '' && value === null ? 'Type a number.' : null} />
      <div className="row">
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={!pathOk || value === null}>Review proposal</Button>
      </div>
      {confirming && value !== null ? (
        <ConfirmDialog title="Sign and send this proposal?" confirmLabel="Sign and send" variant="primary" busy={busy === 'propose'} onConfirm={() => void sign()} onCancel={() => setConfirming(false)}>
          <p>You sign this proposal with your key and seal it so that only <span className="mono break">{owner}</span> can open it. It changes nothing until they approve it.</p>
          <dl className="facts">
            <dt>To</dt><dd className="mono break">{owner}</dd>
            <dt>Section</dt><dd>{section.name}</dd>
            <dt>Made on</dt><dd>their block #{base}</dd>
          </dl>
          <ChangeTable changes={[{ path, ...(section.fields[path] === undefined ? {} : { before: section.fields[path] }), after: value }]} caption="What you propose" />
        </ConfirmDialog>
      ) : null}
    </form>
  );
}

function SectionCard({ owner, section, base }: { owner: string; section: Section; base: number }) {
  const [proposing, setProposing] = useState(false);
  const fields = Object.entries(section.fields);
  const mayPropose = section.right === 'propose' || section.right === 'write';
  return (
    <Card title={section.name} actions={<span className={`rights rights-${section.right}`}>{rightsLabel(section.right)}</span>}>
      {fields.length === 0 ? <p className="muted">No fields yet.</p> : (
        <table className="fields">
          <caption className="sr-only">Fields of {section.name}</caption>
          <tbody>
            {fields.map(([path, value]) => (
              <tr key={path}><th scope="row">{path}</th><td className="break">{formatValue(value)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {mayPropose ? (proposing ? <ProposeForm owner={owner} section={section} base={base} onClose={() => setProposing(false)} /> : (
        <div className="row"><Button onClick={() => setProposing(true)}>Propose a change</Button></div>
      )) : null}
    </Card>
  );
}

function Sent() {
  const sent = useStore(sharedStore, (s) => s.sent);
  const note = useRef<HTMLDivElement>(null);
  // Frame after frame until it holds: the signing dialog is still open (and the page behind it inert) when the
  // result comes, and on a loaded machine it may take more than one frame to close.
  useEffect(() => {
    if (sent === null) return undefined;
    let frame = 0;
    let tries = 0;
    const take = () => {
      note.current?.focus();
      if (document.activeElement !== note.current && ++tries < 120) frame = requestAnimationFrame(take);
    };
    frame = requestAnimationFrame(take);
    return () => cancelAnimationFrame(frame);
  }, [sent]);
  if (sent === null) return null;
  return (
    <div ref={note} tabIndex={-1}>
      {sent.deposited > 0 ? (
        <SuccessNote>Your proposal to {sent.section} was left in {sent.deposited} of their mailboxes. They see it when they next fetch their mail.</SuccessNote>
      ) : (
        <div className="note note-warning" role="status">
          <p>No mailbox took your proposal (the network is off or no peer answered). Send them this file instead.</p>
          {sent.file ? <Button onClick={() => saveDownload(sent.file!)}>Save the request file</Button> : null}
        </div>
      )}
    </div>
  );
}

export function SharedScreen() {
  const { view, source, busy, error, read, readArchive } = useStore(sharedStore);
  const [owner, setOwner] = useState('');
  const result = useRef<HTMLHeadingElement>(null);
  const ownerOk = looksLikeDid(owner.trim());
  useEffect(() => {
    if (view !== null) result.current?.focus();
  }, [view?.owner, view]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ownerOk) void read(owner.trim());
  };
  return (
    <>
      <PageHeader title="Shared with me" />
      <p className="lead">Read what someone granted you. Their replicas answer even while they are offline; nothing you read is stored in your own profile.</p>
      <Card title="Read someone’s profile">
        <form className="stack" onSubmit={submit} noValidate aria-label="Read someone’s profile">
          <TextField label="Their id" value={owner} onChange={(e) => setOwner(e.target.value)} placeholder="did:key:z6Mk…" error={owner !== '' && !ownerOk ? `Not an id: ${DID_KEY_HINT}.` : null} hint="Ask them for their id (Settings → My id), or copy it from a request they sent you." />
          <div className="row">
            <Button type="submit" variant="primary" disabled={!ownerOk} busy={busy === 'read'}>Read</Button>
          </div>
        </form>
      </Card>
      <ReadViaCard />
      <FileForm title="Or open an archive file they gave you" id="shared-archive" label="Archive file" hint="A .defaust file exported from their wallet." maxBytes={MAX_UPLOAD_BYTES} tooLarge="This file is larger than an archive can be (64 MB)." submitLabel="Open" busy={busy === 'read'} onBytes={readArchive} />
      {busy === 'read' ? <Busy label="Reading…" /> : null}
      <ErrorNote error={error} />
      <Sent />
      {view !== null ? (
        <section aria-labelledby="shared-title" className="stack">
          <h2 id="shared-title" tabIndex={-1} ref={result}>Profile of <span className="mono break">{view.owner}</span></h2>
          {source ? <p className="muted small">{SOURCE_NOTE[source]} Newest block: #{view.seq}.</p> : null}
          {view.sections.length === 0 ? <p>This person has granted you nothing (or not yet: ask them to publish after granting).</p> : null}
          {view.sections.map((section) => <SectionCard key={section.name} owner={view.owner} section={section} base={view.seq} />)}
          {view.sealedBodies > 0 ? <p className="muted small">{view.sealedBodies} change(s) in these sections lie outside the times your grants cover and stay sealed.</p> : null}
        </section>
      ) : null}
    </>
  );
}
