// The witness inbox: requests that came through the network, or a request file someone sent you; see exactly
// what you are asked to sign — the feat, its criteria, who claims it and its evidence (checked against the
// claim) — then sign yes or decline after a confirmation that says what your signature means; the answer goes
// back through the network, or as a reply file for the holder.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { WitnessEntry, WitnessRequest } from '../../../src-preload/api/contract.ts';
import { MAX_ATTEST_REQUEST_BYTES } from '../../../src-shared/rules/limits.ts';
import { challengesStore, sessionStore, witnessStore } from '../../app/stores.ts';
import { JudgeDuels } from '../challenges/Duels.tsx';
import type { PendingRequest } from './store.ts';
import { fromBase64 } from '../../lib/api.ts';
import { saveDownload } from '../../lib/download.ts';
import { formatBytes, formatTime, shortId } from '../../lib/format.ts';
import { Busy, Button, Card, ConfirmDialog, ErrorNote, FileForm, PageHeader, SuccessNote } from '../../ui/primitives.tsx';
import { policyWords } from '../feats/FeatsScreen.tsx';
import { HonorBadge, ReportWitness } from '../honor/HonorBadge.tsx';
import { Person } from '../contacts/Person.tsx';
import { ClientsCard } from './Clients.tsx';
import { MailCheck } from '../mail/MailCheck.tsx';


type Evidence = WitnessRequest['evidence'][number];

/** A blob: URL for evidence that opened, revoked when it is no longer shown. */
function useBlobUrl(item: Evidence): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (item.bytes === null) return undefined;
    const made = URL.createObjectURL(new Blob([fromBase64(item.bytes) as Uint8Array<ArrayBuffer>], { type: item.type }));
    setUrl(made);
    return () => {
      URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [item]);
  return url;
}

function EvidenceTile({ item }: { item: Evidence }) {
  const url = useBlobUrl(item);
  const label = item.name || `${item.cid.slice(0, 16)}…`;
  let body;
  if (item.state === 'included' && url !== null) {
    if (item.type.startsWith('image/')) body = <img src={url} alt={`Evidence: ${label}`} />;
    else if (item.type.startsWith('video/')) body = <video src={url} controls aria-label={`Evidence: ${label}`} />;
    else body = <a href={url} download={item.name || 'evidence'}>Download {label}</a>;
  } else {
    const why = item.state === 'not-sent' ? 'Too large to travel in the request: ask the holder to show it to you.'
      : item.state === 'damaged' ? 'The copy in the request does not match the claim: it was altered. Do not rely on it.'
      : 'The request carries no copy of it.';
    body = <p className={item.state === 'damaged' ? 'note note-error' : 'muted'}>{why}</p>;
  }
  return (
    <li className="evidence">
      <div className="evidence-media">{body}</div>
      <p className="small evidence-caption">
        <strong className="break">{label}</strong>
        <span>{item.size ? <span className="nowrap">{formatBytes(item.size)}</span> : null}{item.state === 'included' ? <span className="mark mark-ok"> · ✓ matches the claim</span> : null}</span>
      </p>
    </li>
  );
}

function OpenForm() {
  const { busy, error, failed, open } = useStore(witnessStore);
  return (
    <FileForm title="Open a request" id="witness-file" label="Request file" submitLabel="Open" busy={busy === 'open'} maxBytes={MAX_ATTEST_REQUEST_BYTES}
      hint="Someone asks you to confirm a feat you saw. Only you can open the file; nothing is signed until you choose."
      tooLarge="This file is far larger than a request to witness a feat. Check that you chose the right file."
      onBytes={async (bytes) => (await open(bytes)) !== null}
      notes={failed === 'open' ? <ErrorNote error={error} /> : null} />
  );
}

function Waiting({ pending }: { pending: PendingRequest[] }) {
  const { busy, openMail } = useStore(witnessStore);
  return (
    <Card title="Waiting for your answer">
      {pending.length === 0 ? <p className="muted">No request came through the network. People can also send you a request file: open it below.</p> : (
        <table className="listing">
          <caption className="sr-only">Requests to witness that came through the network</caption>
          <thead><tr><th scope="col">From</th><th scope="col">Arrived</th><th scope="col"><span className="sr-only">Action</span></th></tr></thead>
          <tbody>
            {pending.map((p) => (
              <tr key={p.id}>
                <th scope="row" className="plain-th"><Person did={p.from} /> <HonorBadge did={p.from} /></th>
                <td>{formatTime(p.receivedAt)}</td>
                <td><Button onClick={() => void openMail(p.id)} disabled={busy !== null} aria-label={`Open the request from ${shortId(p.from)}`}>Open</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MailCheck label="Check for new requests" onDone={() => witnessStore.getState().load()} />
    </Card>
  );
}

function Request({ request }: { request: WitnessRequest }) {
  const { busy, error, failed, answered, sign, close, opened } = useStore(witnessStore);
  const byMail = opened !== null && 'mail' in opened.source;
  const me = useStore(sessionStore, (s) => s.status?.id ?? '');
  const [asking, setAsking] = useState<'yes' | 'no' | null>(null);
  const { claim } = request;
  const confirm = async () => {
    if (asking === null) return;
    const reply = await sign(asking);
    setAsking(null);
    if (reply !== null) saveDownload(reply);
  };
  return (
    <Card title="What you are asked to sign">
      <dl className="facts">
        <dt>Feat</dt><dd><strong>{claim.title}</strong></dd>
        <dt>Kind</dt><dd><span className="kind">{claim.type}</span></dd>
        <dt>Criteria</dt><dd>{claim.criteria || <span className="muted">None given</span>}</dd>
        <dt>Claimed by</dt><dd><Person did={claim.holder} /> <HonorBadge did={claim.holder} /> <span className="mono small break">{claim.holder}</span></dd>
        <dt>Claimed</dt><dd>{formatTime(claim.ts)}</dd>
        <dt>Needs</dt><dd>{policyWords(claim.policy)}</dd>
      </dl>
      <h3>Evidence</h3>
      {request.evidence.length === 0 ? <p className="muted">The claim names no evidence.</p> : (
        <ul className="plain evidence-list" aria-label="Evidence">
          {request.evidence.map((e) => <EvidenceTile key={e.cid} item={e} />)}
        </ul>
      )}
      {request.answered !== null && answered === null ? (
        <p className="note note-warning">You already answered this on {formatTime(request.answered.ts)}: {request.answered.verdict === 'yes' ? 'you signed yes' : 'you declined'}. Answering again makes a new reply file.</p>
      ) : null}
      {answered !== null ? (
        <SuccessNote>
          {answered.entry.verdict === 'yes' ? 'Signed.' : 'Declined.'}{' '}
          {answered.sent ? <>Your answer was sent to {shortId(answered.entry.holder)} through the network.{' '}</> : <>The reply file was downloaded: send it to {shortId(answered.entry.holder)}.{' '}</>}
          <button type="button" className="link" onClick={() => saveDownload(answered.reply)}>{answered.sent ? 'Download a copy' : 'Download it again'}</button>
        </SuccessNote>
      ) : null}
      {failed === 'sign' ? <ErrorNote error={error} /> : null}
      <div className="row">
        <Button onClick={close} disabled={busy === 'sign'}>Close</Button>
        <Button variant="danger" onClick={() => setAsking('no')} disabled={busy !== null}>Decline…</Button>
        <Button variant="primary" onClick={() => setAsking('yes')} disabled={busy !== null}>Sign yes…</Button>
      </div>
      {asking !== null ? (
        <ConfirmDialog title={asking === 'yes' ? 'Sign that you saw it?' : 'Decline to confirm it?'}
          confirmLabel={byMail ? (asking === 'yes' ? 'Sign and send' : 'Decline and send') : asking === 'yes' ? 'Sign and download the reply' : 'Decline and download the reply'}
          variant={asking === 'yes' ? 'primary' : 'danger'} signs busy={busy === 'sign'} onConfirm={() => void confirm()} onCancel={() => setAsking(null)}>
          {asking === 'yes' ? (
            <p>You sign, as <span className="mono">{shortId(me)}</span>, that <strong>{claim.title}</strong> by <span className="mono">{shortId(claim.holder)}</span> happened{claim.criteria ? <> as described: “{claim.criteria}”</> : null}.</p>
          ) : (
            <p>You sign, as <span className="mono">{shortId(me)}</span>, that you do <strong>not</strong> confirm <strong>{claim.title}</strong> by <span className="mono">{shortId(claim.holder)}</span>.</p>
          )}
          <p className="note note-warning">{asking === 'yes'
            ? 'Your signature counts toward their proof, and it cannot be taken back. Sign only what you saw yourself.'
            : 'They will see that you declined. A “no” never counts toward their proof.'}</p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}

function History({ entries }: { entries: WitnessEntry[] }) {
  if (entries.length === 0) return <p className="muted">You have not answered a request yet.</p>;
  return (
    <table className="listing">
      <caption className="sr-only">Requests you answered</caption>
      <thead><tr><th scope="col">Feat</th><th scope="col">Claimed by</th><th scope="col">Your answer</th><th scope="col">When</th></tr></thead>
      <tbody>
        {entries.map((e) => (
          <tr key={`${e.claim} ${e.ts}`}>
            <th scope="row" className="plain-th">{e.title} <span className="muted small">({e.featType})</span></th>
            <td><Person did={e.holder} /></td>
            <td>{e.verdict === 'yes' ? <span className="mark mark-ok">Signed yes</span> : <span className="mark mark-bad">Declined</span>}</td>
            <td>{formatTime(e.ts)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WitnessScreen() {
  const { opened, pending, history, busy, error, failed, load } = useStore(witnessStore);
  const clock = useStore(challengesStore, (s) => s.clock);
  useEffect(() => {
    witnessStore.setState({ error: null, failed: null });
    void load();
  }, [load]);
  // Duels to judge come with the challenges' list: loaded with the inbox, and again after each check of the mail.
  useEffect(() => {
    void challengesStore.getState().load();
  }, [pending]);
  return (
    <>
      <PageHeader title="Witness inbox" />
      {failed === 'load' ? <ErrorNote error={error} /> : null}
      {pending === null ? null : <Waiting pending={pending} />}
      {pending === null ? null : <ClientsCard pending={pending} history={history} />}
      {clock === null ? null : <JudgeDuels now={clock.wallet + (Date.now() - clock.local)} />}
      <OpenForm />
      {busy === 'open' ? <Busy label="Opening the request…" /> : null}
      {opened !== null ? <Request request={opened.request} /> : null}
      <Card title="What you answered">
        {history === null ? <Busy label="Loading…" /> : <History entries={history} />}
      </Card>
      <ReportWitness key={opened?.request.claim.cid ?? ''} claim={opened?.request.claim.cid ?? ''} />
    </>
  );
}
