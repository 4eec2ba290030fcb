// Honor where a witness is shown: a badge (good / flagged / barred, in this wallet's view) that opens the
// evidence behind it; and "Report this witness": a reason, then a confirmation that shows exactly the review
// that will be signed (Cancel focused), then the review file (it also goes to the witness's replicas).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { Finding, HonorView } from '../../../src-preload/api/contract.ts';
import { MAX_REVIEW_REASON_CHARS } from '../../../src-shared/rules/text.ts';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { honorStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { formatTime, shortId } from '../../lib/format.ts';
import { Button, Card, ConfirmDialog, ErrorNote, SuccessNote, TextField } from '../../ui/primitives.tsx';

const WORDS: Record<HonorView['status'], string> = { good: 'Good', flagged: 'Flagged', barred: 'Barred' };

function findingWords(f: Finding): string {
  switch (f.kind) {
    case 'equivocation':
      return `Signed two different blocks at position ${f.seq} of their chain (proven; barred for good).`;
    case 'refutation':
      return `A challenge refuted a claim they signed (${f.claim.slice(0, 16)}…) on ${formatTime(f.ts)}.`;
    case 'review':
      return `Reported by ${shortId(f.reviewer)} on ${formatTime(f.ts)}: “${f.reason}”`;
  }
}

/** What the status means, in words. */
function statusWords(view: HonorView): string {
  if (view.status === 'barred') return view.until === null ? 'Barred for good: their sign-offs count toward no policy in your wallet.' : `Barred until ${formatTime(view.until)}: their sign-offs count toward no policy meanwhile.`;
  if (view.status === 'flagged') return `Flagged: ${view.reviews.counted} people you trust reported them. Their sign-offs still count.`;
  return view.evidence.length === 0 ? 'No evidence against them in your wallet.' : `Reports from people you trust: ${view.reviews.counted} of the ${view.reviews.needed} that flag.`;
}

/** The honor badge of `did`; a click shows the evidence. */
export function HonorBadge({ did }: { did: string }) {
  const view = useStore(honorStore, (s) => s.views[did]);
  const [open, setOpen] = useState(false);
  const id = useId();
  useEffect(() => {
    void honorStore.getState().load(did);
  }, [did]);
  if (view === undefined) return null;
  const mark = view.status === 'good' ? 'mark-ok' : 'mark-bad';
  return (
    <span className="honor">
      <button type="button" className={`link mark ${mark}`} aria-expanded={open} aria-controls={`${id}-evidence`} onClick={() => setOpen(!open)}
        aria-label={`Honor of ${shortId(did)}: ${WORDS[view.status]}. Show the evidence`}>
        {WORDS[view.status]}
      </button>
      {open ? (
        <span id={`${id}-evidence`} className="stack small honor-evidence" role="note">
          <span>{statusWords(view)}</span>
          {view.evidence.map((f) => <span key={f.id}>{findingWords(f)}</span>)}
        </span>
      ) : null}
    </span>
  );
}

/** "Report this witness": claim and witness (prefilled when known), a reason, then the confirmation of what is signed. */
export function ReportWitness({ claim: knownClaim = '', witness: knownWitness = '' }: { claim?: string; witness?: string }) {
  const { busy, error, draft, reported, prepare, report, cancel } = useStore(honorStore);
  const [claim, setClaim] = useState(knownClaim);
  const [witness, setWitness] = useState(knownWitness);
  const [reason, setReason] = useState('');
  const id = useId();
  const ok = claim.trim() !== '' && looksLikeDid(witness.trim()) && reason.trim() !== '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (ok) await prepare({ claim: claim.trim(), witness: witness.trim(), reason: reason.trim() });
  };
  const confirm = async () => {
    const file = await report();
    if (file !== null) {
      saveDownload(file);
      setReason('');
    }
  };
  return (
    <Card title="Report a witness">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Report a witness">
        <TextField label="Claim (its CID)" value={claim} onChange={(e) => setClaim(e.target.value)} spellCheck={false} maxLength={128} />
        <TextField label="Witness" value={witness} onChange={(e) => setWitness(e.target.value)} spellCheck={false} placeholder="did:key:z6Mk…"
          error={witness.trim() !== '' && !looksLikeDid(witness.trim()) ? 'Not a DeFaust identity: it starts with did:key:z.' : null} />
        <div className="field">
          <label htmlFor={`${id}-reason`}>Why you report them</label>
          <textarea id={`${id}-reason`} rows={2} maxLength={MAX_REVIEW_REASON_CHARS} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={`${id}-hint`} />
          <p className="hint" id={`${id}-hint`}>Your report is signed with your identity. It counts only for people who trust you.</p>
        </div>
        {error !== null && draft === null ? <ErrorNote error={error} /> : null}
        {reported !== null ? <SuccessNote>Reported {shortId(reported.review.witness)}. {reported.spread > 0 ? `${reported.spread} of their replicas took it; ` : ''}the review file was downloaded.</SuccessNote> : null}
        <div className="row">
          <Button type="submit" variant="danger" disabled={!ok} busy={busy === 'draft'}>Report this witness…</Button>
        </div>
      </form>
      {draft !== null ? (
        <ConfirmDialog title="Sign this report?" confirmLabel="Sign the report" variant="danger" busy={busy === 'report'} onConfirm={() => void confirm()} onCancel={cancel}>
          <p>You sign, as <span className="mono">{shortId(draft.reviewer)}</span>, this review:</p>
          <dl className="facts">
            <dt>Witness</dt><dd className="mono break">{draft.witness}</dd>
            <dt>Claim</dt><dd className="mono break">{draft.claim}</dd>
            <dt>Reason</dt><dd>{draft.reason}</dd>
            <dt>Dated</dt><dd>{formatTime(draft.ts)}</dd>
          </dl>
          <p className="note note-warning">Anyone who gets it can check that you signed it; it cannot be taken back.</p>
          {error !== null ? <ErrorNote error={error} /> : null}
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
