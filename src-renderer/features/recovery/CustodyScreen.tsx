// The Custody screen: the recovery shares this identity keeps for others (whose, which set, when received),
// keeping a new one from a file or the mail, and releasing one to a temporary id — by mail, else as a file —
// after checking by a call that it is them.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { recoveryStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { Button, Card, ConfirmDialog, ErrorNote, FileForm, PageHeader, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';

function Release({ owner, onDone }: { owner: string; onDone(): void }) {
  const { busy, release } = useStore(recoveryStore);
  const [to, setTo] = useState('');
  const [confirming, setConfirming] = useState(false);
  const confirm = async () => {
    const released = await release(owner, to.trim());
    setConfirming(false);
    if (released !== null) {
      if (!released.deposited) saveDownload(released.file);
      onDone();
    }
  };
  return (
    <div className="stack narrow">
      <p className="note note-warning">Call them first (or meet them): only release when you are sure the person asking is the owner. The share alone cannot tell.</p>
      <TextField label="Their temporary id" value={to} onChange={(e) => setTo(e.target.value)} spellCheck={false} error={to !== '' && !looksLikeDid(to.trim()) ? 'Not an id.' : null} />
      <div className="row">
        <Button variant="primary" disabled={!looksLikeDid(to.trim())} onClick={() => setConfirming(true)}>Release</Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
      {confirming ? (
        <ConfirmDialog title="Release this share?" confirmLabel="Release" variant="danger" busy={busy} onConfirm={() => void confirm()} onCancel={() => setConfirming(false)}>
          <p>Your share of <span className="mono break">{owner}</span></p>
          <p>goes, sealed, to the temporary id <span className="mono break">{to.trim()}</span> (to its mailbox, or as a file to give them).</p>
          <p>Did you check by a call or in person that this id is theirs?</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

export function CustodyScreen() {
  const { entries, waiting, error, busy, released, loadCustody, keep } = useStore(recoveryStore);
  const [releasing, setReleasing] = useState<string | null>(null);
  useEffect(() => {
    void loadCustody();
  }, [loadCustody]);
  return (
    <>
      <PageHeader title="Custody" />
      <p className="muted">Shares of other people’s recovery phrase that you keep. One share alone reveals nothing; if someone lost everything, they will ask you to release yours to a temporary id.</p>
      <ErrorNote error={error} />
      {released === null ? null : released.deposited ? (
        <SuccessNote>
          Released: your share was sent, sealed, to their mailbox; they press “Check my mailbox”. <Button onClick={() => saveDownload(released.file)}>Download it as a file too</Button>
        </SuccessNote>
      ) : <SuccessNote>Released: no mailbox took it, so {released.file.name} was downloaded; give it to them.</SuccessNote>}
      <Card title="Shares you keep">
        {entries.length === 0 ? <p className="muted">You keep no shares.</p> : (
          <ul className="stack">
            {entries.map((e) => (
              <li key={`${e.owner}|${e.set}`}>
                <span className="mono break">{e.owner}</span> — share {e.index} of {e.n} (any {e.k} recover), received {new Date(e.receivedAt).toLocaleString()}
                {releasing === e.owner ? <Release owner={e.owner} onDone={() => setReleasing(null)} /> : <div className="row"><Button onClick={() => setReleasing(e.owner)}>Release…</Button></div>}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {waiting.length > 0 ? (
        <Card title="Shares that came by mail">
          <ul className="stack">
            {waiting.map((w) => (
              <li key={w.id}>
                From <span className="mono break">{w.from}</span>, {new Date(w.receivedAt).toLocaleString()} <Button busy={busy} onClick={() => void keep({ mail: w.id })}>Keep</Button>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <FileForm title="Keep a share" id="share-file" label="Share file" hint="A .recovery-share file someone gave you." maxBytes={16 * 1024} tooLarge="A share file is at most 16 KiB." submitLabel="Keep" busy={busy} onBytes={(bytes) => keep({ bytes })} />
    </>
  );
}
