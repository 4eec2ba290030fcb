// The inbox: import a change-request file, see exactly what each waiting request would change, approve it
// (signed into a merge block with the author's signature inside) or reject it (the signed reply file is
// downloaded for its author), and the history, with whether each author's signature verifies.
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { RequestView } from '../../../src-preload/api/contract.ts';
import { MAX_REQUEST_BYTES } from '../../../src-shared/rules/limits.ts';
import { inboxStore, navStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { shortId } from '../../lib/format.ts';
import { Busy, Button, Card, SignDialog, ErrorNote, FileForm, PageHeader, SuccessNote } from '../../ui/primitives.tsx';
import { ChangeTable } from '../profile/ProfileScreen.tsx';
import { MAX_REASON_CHARS } from '../../../src-shared/rules/text.ts';
import { Person } from '../contacts/Person.tsx';


function ImportForm() {
  const { busy, error, failed, done, importFile } = useStore(inboxStore);
  return (
    <FileForm title="Import a change request" id="request-file" label="Request file" submitLabel="Import" busy={busy === 'import'} maxBytes={MAX_REQUEST_BYTES}
      hint="Someone you granted “propose” sent you this file. It is checked (their signature, their right, that it is meant for you) before anything is shown; nothing changes until you approve."
      tooLarge="This file is far larger than a change request. Check that you chose the right file."
      onBytes={async (bytes) => (await importFile(bytes)) !== null}
      notes={<>
        {failed === 'import' ? <ErrorNote error={error} /> : null}
        {done?.action === 'import' ? (
          <SuccessNote>
            Imported a request from {shortId(done.request.from)} for {done.request.section}.
            {done.request.status === 'approved' ? ' They hold “write” on it, so it was applied at once.' : ' Review it below.'}
          </SuccessNote>
        ) : null}
      </>} />
  );
}

function Pending({ request }: { request: RequestView }) {
  const { busy, error, failed, approve, reject } = useStore(inboxStore);
  const [rejecting, setRejecting] = useState(false);
  const [approving, setApproving] = useState(false);
  const [reason, setReason] = useState('');
  const headingId = `request-${request.id}`;
  const doReject = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim() === '') return;
    const reply = await reject(request.id, reason.trim());
    if (reply !== null) saveDownload(reply);
  };
  return (
    <li className="request" aria-labelledby={headingId}>
      <h3 id={headingId}><span className="capitalize">{request.section}</span> — from <Person did={request.from} add={false} /></h3>
      <p className="muted small">From <span className="mono break">{request.from}</span>, based on block #{request.base} of your chain.</p>
      <ChangeTable changes={request.changes} caption={`What would change in ${request.section}`} />
      {(failed === 'approve' || failed === 'reject') ? <ErrorNote error={error} /> : null}
      {rejecting ? (
        <form className="stack" onSubmit={(e) => void doReject(e)} noValidate aria-label={`Reject the request from ${shortId(request.from)}`}>
          <div className="field">
            <label htmlFor={`${headingId}-reason`}>Why you reject it</label>
            <textarea id={`${headingId}-reason`} rows={2} maxLength={MAX_REASON_CHARS} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={`${headingId}-reason-hint`} autoFocus />
            <p className="hint" id={`${headingId}-reason-hint`}>A signed reply file with this reason downloads; send it to them.</p>
          </div>
          <div className="row">
            <Button onClick={() => setRejecting(false)} disabled={busy === 'reject'}>Back</Button>
            <Button type="submit" variant="danger" disabled={reason.trim() === ''} busy={busy === 'reject'}>Reject and download the reply</Button>
          </div>
        </form>
      ) : (
        <div className="row">
          <Button onClick={() => setRejecting(true)} disabled={busy !== null}>Reject…</Button>
          <Button variant="primary" onClick={() => setApproving(true)} busy={busy === 'approve'} disabled={busy !== null && busy !== 'approve'}>Approve and sign…</Button>
        </div>
      )}
      {approving ? (
        <SignDialog title="Sign this change?" confirmLabel="Sign and apply" busy={busy === 'approve'} onConfirm={() => {
          setApproving(false);
          void approve(request.id);
        }} onCancel={() => setApproving(false)}
          facts={[['From', <><Person did={request.from} add={false} /> <span className="mono small break">{request.from}</span></>], ['Section', request.section], ['Based on', `block #${request.base}`]]}>
          <ChangeTable changes={request.changes} caption={`The change you sign in ${request.section}`} />
        </SignDialog>
      ) : null}
    </li>
  );
}

function History({ requests }: { requests: RequestView[] }) {
  if (requests.length === 0) return <p className="muted">No request answered yet.</p>;
  return (
    <table className="listing">
      <caption className="sr-only">Answered change requests</caption>
      <thead>
        <tr><th scope="col">Section</th><th scope="col">From</th><th scope="col">Answer</th><th scope="col">Author’s signature</th></tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id}>
            <th scope="row" className="plain-th capitalize">{r.section}</th>
            <td><Person did={r.from} /></td>
            <td>{r.status === 'approved' ? `Approved${r.merge ? ` in block #${r.merge.seq}` : ''}` : 'Rejected'}</td>
            <td>
              {r.merge === undefined ? <span className="muted">—</span>
                : r.merge.signatureValid ? <span className="mark mark-ok">✓ Verifies</span>
                : <span className="mark mark-bad">✗ Does not verify</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InboxScreen() {
  const { requests, error, failed, done, load } = useStore(inboxStore);
  const go = useStore(navStore, (s) => s.go);
  useEffect(() => {
    inboxStore.setState({ done: null, error: null, failed: null });
    void load();
  }, [load]);
  const pending = requests?.filter((r) => r.status === 'pending') ?? [];
  const answered = requests?.filter((r) => r.status !== 'pending') ?? [];
  return (
    <>
      <PageHeader title="Inbox" />
      {failed === 'load' ? <ErrorNote error={error} /> : null}
      <ImportForm />
      <Card title={`Waiting for you${pending.length > 0 ? ` (${pending.length})` : ''}`}>
        {done?.action === 'approve' ? (
          <SuccessNote focus>
            Approved and signed in block #{done.seq}. <button type="button" className="link" onClick={() => go('timeline')}>See it in the timeline</button>
          </SuccessNote>
        ) : null}
        {done?.action === 'reject' ? <SuccessNote>Rejected. The signed reply file was downloaded: send it to {shortId(done.request.from)}.</SuccessNote> : null}
        {requests === null ? <Busy label="Opening your inbox…" /> : pending.length === 0 ? <p className="muted">No change request is waiting.</p> : (
          <ul className="plain requests" aria-label="Waiting requests">
            {pending.map((r) => <Pending key={r.id} request={r} />)}
          </ul>
        )}
      </Card>
      <Card title="History">
        {requests === null ? null : <History requests={answered} />}
      </Card>
    </>
  );
}
