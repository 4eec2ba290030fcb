// Feats → "Publish my trust list" (authorities): the list as it will be published (exactly your own entries
// put on your public list; the sealed ones stay sealed), "Publish…" behind a signing dialog (ConfirmDialog `signs`) that lists each entry (publishing signs your head
// record), the elapsed time while the node pushes the chain to replicas, and the list's id to share.
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { featsStore, publishTrustStore } from '../../app/stores.ts';
import { Button, Card, ConfirmDialog, CopyButton, ErrorNote, SuccessNote } from '../../ui/primitives.tsx';
import { Person } from '../contacts/Person.tsx';
import { elapsedWords } from '../import/stages.ts';

const kindWords = (featType: string) => (featType === '*' ? 'every kind' : featType);

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span>{elapsedWords(now - since)} so far</span>;
}

export function PublishTrustList() {
  const trust = useStore(featsStore, (s) => s.trust);
  const { busy, startedAt, published, error, publish } = useStore(publishTrustStore);
  const [asking, setAsking] = useState(false);
  const result = useRef<HTMLDivElement>(null);
  const mine = (trust ?? []).filter((t) => t.via === null && t.listed);
  useEffect(() => {
    if (published !== null) result.current?.focus();
  }, [published]);
  const sign = async () => {
    setAsking(false);
    await publish();
  };
  return (
    <Card title="Publish my trust list">
      <p className="muted">As an authority, others can adopt your list for a kind of feat: the witnesses you trust then count in their proofs too. Publishing pushes your chain, where the public list is in the clear, to peers that keep a copy; the entries you did not put on it stay sealed.</p>
      {mine.length === 0 ? <p className="muted">Your public list is empty: trust a witness above with “On my public list” ticked first.</p> : (
        <ul className="plain" aria-label="Entries that will be published">
          {mine.map((t) => <li key={`${t.did} ${t.featType}`}><Person did={t.did} /> — {t.authority ? 'authority' : 'witness'} for {kindWords(t.featType)}</li>)}
        </ul>
      )}
      {busy && startedAt !== null ? <p className="busy" role="status"><span className="spinner" aria-hidden="true" />Publishing to peers… <Elapsed since={startedAt} /></p> : null}
      <ErrorNote error={error} />
      <div ref={result} tabIndex={-1}>
        {published !== null ? (
          <SuccessNote>
            Published {published.entries.length} {published.entries.length === 1 ? 'entry' : 'entries'} (up to block #{published.seq}); {published.replicas} {published.replicas === 1 ? 'replica holds' : 'replicas hold'} it.
            {' '}Its id to share is your id: <span className="mono break" data-testid="trust-list-id">{published.id}</span> <CopyButton text={published.id} what="the list's id" />
          </SuccessNote>
        ) : null}
      </div>
      <div className="row">
        <Button variant="primary" disabled={mine.length === 0 || busy} busy={busy} onClick={() => setAsking(true)}>Publish my trust list…</Button>
      </div>
      {asking ? (
        <ConfirmDialog title="Publish your trust list?" confirmLabel="Sign and publish" variant="primary" signs onConfirm={() => void sign()} onCancel={() => setAsking(false)}>
          <dl className="facts">
            <div className="fact"><dt>As</dt><dd>you, the authority</dd></div>
            <div className="fact"><dt>Entries</dt><dd><ul className="plain" data-testid="publish-entries">{mine.map((t) => <li key={`${t.did} ${t.featType}`}><span className="mono break">{t.did}</span> — {t.authority ? 'authority' : 'witness'} for {kindWords(t.featType)}</li>)}</ul></dd></div>
            <div className="fact"><dt>Shared as</dt><dd>your id; anyone may read this list</dd></div>
          </dl>
          <p className="muted small">Confirming signs your chain’s head record with your identity key and pushes your chain, where these entries are public, to peers that keep a copy. No new block is written.</p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
