// The Verify screen's Open Badge check: a badge file read here and checked on this device (its signature by
// the issuer's did:key, the witnesses' signatures it carries, and whether a lost challenge revoked it, as far
// as the holder's chain is held here). Works with the wallet locked.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { MAX_BADGE_BYTES } from '../../../src-shared/rules/badges.ts';
import { badgesStore } from '../../app/stores.ts';
import { formatTime } from '../../lib/format.ts';
import { Button, ErrorNote, FileDrop } from '../../ui/primitives.tsx';
import { Person } from '../contacts/Person.tsx';
import type { BadgeCheck } from './store.ts';

function Status({ status }: { status: Extract<BadgeCheck, { valid: true }>['status'] }) {
  switch (status.state) {
    case 'revoked': return <p className="note note-error" role="alert">Revoked: the holder lost challenge <span className="mono break">{status.challenge}</span> on this feat{status.source === 'chain' ? ', as their chain shows' : ''}.</p>;
    case 'not-revoked': return <p className="note note-success">Not revoked: the holder’s chain as this device holds it (to block {status.seq}, {formatTime(status.ts)}) shows no lost challenge on it.</p>;
    case 'unknown': return <p className="note note-warning">Revocation unknown: this device does not hold the holder’s chain, so it cannot tell whether a challenge refuted this feat since.</p>;
  }
}

function Result() {
  const check = useStore(badgesStore, (s) => s.check);
  if (check === null) return null;
  const r = check.result;
  return (
    <section className="stack verdict" aria-labelledby="badge-outcome" aria-live="polite">
      <h2 id="badge-outcome" className={r.valid ? 'verdict-ok' : 'verdict-bad'}>{r.valid ? '✓ Valid Open Badge' : '✗ Not a valid badge'}</h2>
      <p className="muted small">{check.name}</p>
      {r.valid ? (
        <>
          <dl className="facts">
            <dt>Achievement</dt><dd><strong>“{r.badge.achievement.name}”</strong> <span className="kind">{r.badge.achievement.featType}</span></dd>
            <dt>Criteria</dt><dd>{r.badge.achievement.criteria || <span className="muted">None given</span>}</dd>
            <dt>Issued by</dt><dd><Person did={r.badge.issuer} /> <span className="mono small break">{r.badge.issuer}</span></dd>
            <dt>Endorsed by</dt>
            <dd>{r.badge.endorsers.length === 0 ? 'nobody' : r.badge.endorsers.map((e) => <div key={e.did}><Person did={e.did} /> <span className="mono small break">{e.did}</span> <span className="muted small">({formatTime(e.ts)})</span></div>)}</dd>
            <dt>Asked for</dt><dd>{r.badge.policy.kind === 'authority' ? 'one authority' : `${r.badge.policy.k} witnesses`}{r.badge.meetsPolicyByCount ? '' : ' — fewer signed'}</dd>
            <dt>Signed</dt><dd>{formatTime(Date.parse(r.badge.created))}</dd>
          </dl>
          <Status status={r.status} />
          <p className="muted small">The signatures are real; whether you trust these endorsers is yours to decide.</p>
        </>
      ) : <p className="note note-error" role="alert">{r.reason}</p>}
    </section>
  );
}

export function VerifyBadge() {
  const { busy, error, verify } = useStore(badgesStore);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (file === null) return;
    if (file.size > MAX_BADGE_BYTES) return setProblem('This file is far larger than an Open Badge. Check that you chose the right file.');
    setProblem(null);
    await verify(file.name, await file.text());
  };
  return (
    <div className="stack">
      <h2>Verify an Open Badge</h2>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Verify an Open Badge">
        <FileDrop id="badge-file" label="Badge file" hint="An Open Badges 3.0 file made by DeFaust. It is checked on this device; nothing is sent anywhere." file={file} onFile={setFile} />
        {problem ? <div className="note note-error" role="alert">{problem}</div> : null}
        {error !== null && error.claim === null ? <ErrorNote error={error.error} /> : null}
        <div className="row"><Button type="submit" variant="primary" disabled={file === null} busy={busy === 'verify'}>Verify badge</Button></div>
      </form>
      <Result />
    </div>
  );
}
