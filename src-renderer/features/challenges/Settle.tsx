// Settling a challenge on the Challenges screen: "Resolve…" signs the outcome as its winner (the challenger
// with the holder's answer from the mail or a file, or past the deadline with the holder's chain; the holder
// with the panel's attestations of the re-performance), after a dialog that shows exactly what is signed;
// the outcome is sent to the loser (or downloaded), its public copy can be saved for anyone to verify, and
// the witnesses a refutation names are shown with their honor. An outcome that came is taken in; a document
// that came as a file goes into the mail first (DocumentFile), so every list shows it; once settled, "Challenge back" counters on a feat of the same kind the other party proved.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { ChallengeViewData } from '../../../src-preload/api/contract.ts';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { MAX_SOCIAL_DOC_BYTES } from '../../../src-shared/rules/limits.ts';
import { challengesStore } from '../../app/stores.ts';
import { dateInputToMs, saveDownload } from '../../lib/download.ts';
import { formatTime, shortId } from '../../lib/format.ts';
import { Button, Card, ConfirmDialog, ErrorNote, FileDrop, FileForm, SignDialog, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { HonorBadge } from '../honor/HonorBadge.tsx';

const RESULT_WORDS: Record<string, string> = {
  declined: 'declined: the holder declined',
  timeout: 'timeout: no answer by the deadline',
  failed: 'failed: no attested re-performance by the deadline',
  're-performed': 're-performed: the panel attested it in time',
};

/** The result resolving would sign, as far as the screen knows before the wallet checks it. */
function expectedResult(c: ChallengeViewData, now: number): string {
  if (c.role === 'holder') return 're-performed';
  if (c.waiting?.kind === 'answer') return c.waiting.answer === 'decline' ? 'declined' : 'failed';
  return now > c.deadline ? 'timeout' : 'declined';
}

/** Whether "Resolve…" is offered: the challenger until it is settled; the holder once it accepted. */
export function canResolve(c: ChallengeViewData): boolean {
  if (c.state.phase === 'settled' || c.waiting?.kind === 'outcome') return false;
  return c.role === 'challenger' || c.state.phase === 'accepted';
}

export function ResolveButton({ c, now }: { c: ChallengeViewData; now: number }) {
  const { busy, resolve } = useStore(challengesStore);
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fromMail = c.role === 'challenger' && c.waiting?.kind === 'answer' ? c.waiting.mail : null;
  const needsFile = c.role === 'challenger' && fromMail === null && now <= c.deadline;
  const confirm = async () => {
    if (needsFile && file === null) return setProblem('Choose the holder’s answer file: before the deadline, only their answer settles the challenge.');
    if (file !== null && file.size > MAX_SOCIAL_DOC_BYTES) return setProblem('This file is far larger than a challenge answer. Check that you chose the right file.');
    const answer = fromMail !== null ? { mail: fromMail } : file !== null ? { bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
    const done = await resolve(c.id, answer);
    setOpen(false);
    setFile(null);
    const sent = challengesStore.getState().resolved?.file;
    if (done && sent) saveDownload(sent);
  };
  const evidence = c.role === 'holder' ? 'the panel’s attestations of your re-performance'
    : fromMail !== null ? `the holder’s answer from your mail (${c.waiting?.answer === 'decline' ? 'declined' : 'accepted'})`
      : file !== null ? `the holder’s answer in ${file.name}` : now > c.deadline ? 'the holder’s chain, fetched from its replicas, showing no answer in time' : 'the holder’s answer file you choose';
  return (
    <>
      <Button variant="primary" onClick={() => { setProblem(null); setOpen(true); }} disabled={busy !== null} aria-label={`Resolve the challenge of ${c.title}`}>Resolve…</Button>
      {open ? (
        <SignDialog title="Sign this outcome?" confirmLabel="Sign: outcome" busy={busy === 'resolve'} onConfirm={() => void confirm()} onCancel={() => setOpen(false)}
          signs="Confirming signs the outcome with your identity key, as its winner, and records it as a new block of your chain. The outcome goes to the other party."
          facts={[
            ['Challenge', <span className="mono break" key="id">{c.id}</span>],
            ['Feat', <><strong>{c.title}</strong> <span className="kind">{c.featType}</span></>],
            [c.role === 'holder' ? 'Challenger' : 'Holder', <span className="mono break" key="other">{c.other}</span>],
            ['Result', <strong key="result">{RESULT_WORDS[expectedResult(c, now)]}</strong>],
            ['Winner', 'you'],
            ['Evidence', evidence],
          ]}>
          {c.role === 'challenger' && fromMail === null ? (
            <FileDrop id={`answer-${c.id.slice(-8)}`} label="The holder’s answer, as a file" accept={null} file={file} onFile={(f) => { setFile(f); setProblem(null); }}
              hint={now > c.deadline ? 'Optional past the deadline: without it, the holder’s own chain shows whether they answered.' : 'The file the holder sent you.'} />
          ) : null}
          {problem ? <div className="note note-error" role="alert">{problem}</div> : null}
          {c.role === 'challenger' ? <p>If the holder lost, the feat is refuted and the witnesses who signed it off are barred for a while in the view of whoever checks the outcome.</p> : null}
        </SignDialog>
      ) : null}
    </>
  );
}

/** "Take the outcome in…" for an outcome waiting in the mail: what it says, and what taking it in records. */
export function TakeOutcomeButton({ c }: { c: ChallengeViewData }) {
  const { busy, takeOutcome } = useStore(challengesStore);
  const [open, setOpen] = useState(false);
  if (c.waiting?.kind !== 'outcome') return null;
  const mail = c.waiting.mail;
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)} disabled={busy !== null} aria-label={`Take in the outcome of ${c.title}`}>Take the outcome in…</Button>
      {open ? (
        <ConfirmDialog title="Take this outcome in?" confirmLabel="Take it in" variant="primary" busy={busy === 'take'} onConfirm={() => void takeOutcome({ mail }).then(() => setOpen(false))} onCancel={() => setOpen(false)}>
          <p>The outcome of the challenge of <strong>{c.title}</strong> came from <span className="mono">{shortId(c.other)}</span>. It is checked on this device, then recorded in your chain.</p>
          {c.role === 'holder' ? <p>If it says you lost, your feat is shown as refuted and you can no longer prove it.</p> : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** What the last resolve or take-in did, with the files to keep and the honor of the witnesses it accuses. */
export function SettledNotes() {
  const { resolved, taken, failed, error } = useStore(challengesStore);
  return (
    <>
      {resolved !== null ? (
        <SuccessNote>
          Outcome signed: you won ({resolved.outcome.result}). {resolved.file === null ? 'It was sent through the network.' : 'It was downloaded: give it to the other party.'}
          {resolved.accused.length > 0 ? (
            <span className="stack">
              <span>The feat is refuted. The witnesses who signed it off, as you now see them{(resolved.spread ?? 0) > 0 ? ` (the evidence was left at ${resolved.spread} of their replicas)` : ''}:</span>
              <span className="row wrap">{resolved.accused.map((did) => <span key={did}><span className="mono">{shortId(did)}</span> <HonorBadge did={did} /></span>)}</span>
            </span>
          ) : null}
          <span className="row"><Button onClick={() => saveDownload(resolved.public)}>Save the public outcome</Button> <span className="muted small">with it, anyone sees the feat refuted, offline: defaust verify-proof &lt;proof&gt; --outcome &lt;file&gt;</span></span>
        </SuccessNote>
      ) : null}
      {taken !== null ? <SuccessNote>Outcome taken in: {taken.result}.{taken.refutes !== null ? ' Your feat is refuted.' : ''}</SuccessNote> : null}
      {failed === 'resolve' || failed === 'take' ? <ErrorNote error={error} /> : null}
    </>
  );
}

/** Where a document taken from a file now shows, by its kind. */
const FILE_WORDS: Record<string, string> = {
  challenge: 'a challenge of your feat: answer it under “Waiting for your answer”',
  'challenge-answer': 'the holder’s answer: resolve the challenge under “Your challenges”',
  'challenge-outcome': 'an outcome: take it in under “Your challenges”',
  duel: 'a duel: it is listed under “Your duels”',
  'duel-verdict': 'a verdict: it is listed under “Your duels”',
  'duel-outcome': 'a duel’s outcome: it is listed under “Your duels”',
};

/** A challenge or duel document that came as a file rather than through the mail: taken into the mail, so the lists show it. */
export function DocumentFile() {
  const { busy, failed, error, tookFile, takeFile } = useStore(challengesStore);
  return (
    <FileForm title="A document that came as a file" id="social-file" label="Challenge or duel file"
      hint="A challenge, an answer, an outcome, a duel or a verdict someone gave you. It must be addressed to you; it is checked on this device."
      maxBytes={MAX_SOCIAL_DOC_BYTES} tooLarge="This file is far larger than a challenge or duel document." submitLabel="Take it in" busy={busy === 'file'}
      onBytes={(bytes) => takeFile(bytes)}
      notes={<>
        {tookFile !== null ? <SuccessNote>{tookFile.fresh ? 'Taken in' : 'Taken in already'} from <span className="mono">{shortId(tookFile.from)}</span>: {FILE_WORDS[tookFile.kind] ?? tookFile.kind}.</SuccessNote> : null}
        {failed === 'file' ? <ErrorNote error={error} /> : null}
      </>} />
  );
}

/** "Challenge back" on a settled challenge: a proof of the other party's feat of the same kind, a deadline and a panel. */
export function ChallengeBackForm({ c, onDuel }: { c: ChallengeViewData; onDuel(): void }) {
  const { busy, failed, error, sent, back } = useStore(challengesStore);
  const [file, setFile] = useState<File | null>(null);
  const [deadline, setDeadline] = useState('');
  const [witnesses, setWitnesses] = useState('');
  const [k, setK] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState<{ text: string; deadline: number; witnesses: string[]; k: number } | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const at = dateInputToMs(deadline);
    const panel = witnesses.split(/[\s,]+/u).filter((w) => w !== '');
    const need = Number(k);
    if (file === null) return setProblem(`Choose a proof of a ${c.featType} feat of theirs.`);
    if (at === null || at <= Date.now()) return setProblem('Choose a deadline in the future.');
    if (panel.length === 0 || !panel.every(looksLikeDid)) return setProblem('Name the panel: one or more did:key ids, separated by commas.');
    if (!Number.isInteger(need) || need < 1 || need > panel.length) return setProblem(`How many must attest: from 1 to the ${panel.length} named.`);
    setProblem(null);
    setAsking({ text: await file.text(), deadline: at, witnesses: panel, k: need });
  };
  const confirm = async () => {
    if (asking === null) return;
    const done = await back(c.id, asking);
    setAsking(null);
    const out = challengesStore.getState().sent?.file;
    if (done && out) saveDownload(out);
  };
  return (
    <Card title={`Challenge back: ${c.title}`}>
      <p className="muted">A counter-challenge on a {c.featType} feat that <span className="mono">{shortId(c.other)}</span> proved to you. No such proof? <button type="button" className="link" onClick={onDuel}>Propose a duel instead</button>.</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Challenge back">
        <FileDrop id={`back-${c.id.slice(-8)}`} label="Their proof file" file={file} onFile={setFile} hint={`A feat proof of theirs, of the kind ${c.featType}.`} />
        <TextField label="Deadline" type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        <TextField label="Panel (did:key ids, separated by commas)" value={witnesses} onChange={(e) => setWitnesses(e.target.value)} hint="The witnesses who judge the re-performance; neither of you may be one." />
        <TextField label="How many of the panel must attest" inputMode="numeric" value={k} onChange={(e) => setK(e.target.value)} error={problem} />
        <div className="row"><Button type="submit" variant="primary" disabled={busy !== null}>Challenge back…</Button></div>
      </form>
      {sent !== null && failed === null && asking === null ? <SuccessNote>Challenge back sent{sent.file === null ? ' through the network' : ': the file was downloaded, give it to them'}.</SuccessNote> : null}
      {failed === 'back' ? <ErrorNote error={error} /> : null}
      {asking !== null ? (
        <SignDialog title="Sign this challenge back?" confirmLabel="Sign: challenge back" busy={busy === 'back'} onConfirm={() => void confirm()} onCancel={() => setAsking(null)}
          signs="Confirming signs the counter-challenge with your identity key and records it as a new block of your chain."
          facts={[
            ['Counter to', <span className="mono break" key="c">{c.id}</span>],
            ['Their feat', `a ${c.featType} feat (from the proof file)`],
            ['Holder', <span className="mono break" key="h">{c.other}</span>],
            ['Deadline', formatTime(asking.deadline)],
            ['Panel', `${asking.k} of ${asking.witnesses.map((w) => shortId(w)).join(', ')}`],
          ]} />
      ) : null}
    </Card>
  );
}
