// "Challenge this feat", under a feat proof that verified: a deadline and a panel (the witnesses who will
// judge the re-performance, and how many of them must attest), then a dialog that shows exactly what the
// challenge you sign says. The challenge goes to the holder's mailboxes, or is downloaded to hand over.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { challengesStore } from '../../app/stores.ts';
import { dateInputToMs, saveDownload } from '../../lib/download.ts';
import { formatTime, shortId } from '../../lib/format.ts';
import { Button, Card, ConfirmDialog, ErrorNote, SuccessNote, TextField } from '../../ui/primitives.tsx';

export function ChallengeThisFeat({ text, title, holder }: { text: string; title: string; holder: string }) {
  const { busy, error, failed, sent, send } = useStore(challengesStore);
  const [deadline, setDeadline] = useState('');
  const [witnesses, setWitnesses] = useState('');
  const [k, setK] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState<{ deadline: number; witnesses: string[]; k: number } | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = dateInputToMs(deadline);
    const panel = witnesses.split(/[\s,]+/u).filter((w) => w !== '');
    const need = Number(k);
    if (at === null || at <= Date.now()) return setProblem('Choose a deadline in the future.');
    if (panel.length === 0 || !panel.every(looksLikeDid)) return setProblem('Name the panel: one or more did:key ids, separated by commas.');
    if (!Number.isInteger(need) || need < 1 || need > panel.length) return setProblem(`How many must attest: from 1 to the ${panel.length} named.`);
    setProblem(null);
    setAsking({ deadline: at, witnesses: panel, k: need });
  };
  const confirm = async () => {
    if (asking === null) return;
    const done = await send({ text, ...asking });
    setAsking(null);
    const file = challengesStore.getState().sent?.file;
    if (done && file) saveDownload(file);
  };
  return (
    <Card title="Challenge this feat">
      <p className="muted">Doubt it? Ask the holder to do it again before a panel by a deadline. If they decline or do not manage it in time, the feat is refuted.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <TextField label="Deadline" type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        <TextField label="Panel (did:key ids, separated by commas)" value={witnesses} onChange={(e) => setWitnesses(e.target.value)} hint="The witnesses who judge the re-performance; neither of you may be one." />
        <TextField label="How many of the panel must attest" inputMode="numeric" value={k} onChange={(e) => setK(e.target.value)} error={problem} />
        <div className="row"><Button type="submit" variant="primary" disabled={busy !== null}>Challenge…</Button></div>
      </form>
      {sent !== null ? <SuccessNote>Challenge sent{sent.file === null ? ' through the network' : ': the file was downloaded, give it to the holder'}.</SuccessNote> : null}
      {failed === 'send' ? <ErrorNote error={error} /> : null}
      {asking !== null ? (
        <ConfirmDialog title="Sign this challenge?" confirmLabel="Sign: challenge" variant="primary" busy={busy === 'send'} onConfirm={() => void confirm()} onCancel={() => setAsking(null)}>
          <p>You sign this challenge with your identity key:</p>
          <dl className="facts">
            <dt>Feat</dt><dd><strong>{title}</strong></dd>
            <dt>Holder</dt><dd className="mono break">{holder}</dd>
            <dt>Deadline</dt><dd>{formatTime(asking.deadline)}</dd>
            <dt>Panel</dt><dd>{asking.k} of {asking.witnesses.map((w) => shortId(w)).join(', ')}</dd>
          </dl>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
