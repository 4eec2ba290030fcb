// The screens before the wallet opens: welcome, create (passphrase → the 24 words → three asked back),
// recover from the words (the chain from the network, with its stages) or with friends, and unlock — or, when
// the chain is not here, bring it back from an archive file or the network.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { keychainStore, sessionStore, importStore } from '../../app/stores.ts';
import { KeychainUnlock, RememberChoice } from './Keychain.tsx';
import { Busy, Button, ErrorNote, TextField, plainMessage } from '../../ui/primitives.tsx';
import { ImportArchive } from '../import/ImportArchive.tsx';
import { JobProgress } from '../import/JobProgress.tsx';
import { VerifyForm } from '../verify/VerifyScreen.tsx';
import { RecoverWithFriends } from '../recovery/RecoverWithFriends.tsx';
import { MAX_LABEL_CHARS } from '../../../src-shared/rules/text.ts';
import { MyId } from '../contacts/MyId.tsx';

const MIN_PASSPHRASE = 8;

/** The centred panel every screen before the wallet opens is drawn in. */
export function Frame({ title, lead, children }: { title: string; lead?: string; children: React.ReactNode }) {
  return (
    <main className="onboarding" aria-labelledby="page-title">
      <div className="onboarding-panel">
        <p className="brand" aria-hidden="true"><span className="brand-mark">D</span> DeFaust</p>
        <h1 id="page-title" tabIndex={-1}>{title}</h1>
        {lead ? <p className="lead">{lead}</p> : null}
        {children}
      </div>
    </main>
  );
}

function passphraseProblem(a: string, b: string): string | null {
  if (a.length > 0 && a.length < MIN_PASSPHRASE) return `Use at least ${MIN_PASSPHRASE} characters.`;
  if (b.length > 0 && a !== b) return 'The two passphrases are not the same.';
  return null;
}

function Welcome() {
  const setView = useStore(sessionStore, (s) => s.setView);
  return (
    <Frame title="Your identity, in your hands" lead="DeFaust keeps your profile in a signed, encrypted chain that only you can write. Your keys never leave this device; other peers keep encrypted copies of the chain, so it can be rebuilt, but only you and those you grant can read them.">
      <div className="stack">
        <Button variant="primary" onClick={() => setView('create')}>Create a new identity</Button>
        <Button onClick={() => setView('recover')}>I have a recovery phrase</Button>
        <Button onClick={() => setView('friends')}>Recover with friends</Button>
        <Button variant="ghost" onClick={() => setView('verify')}>Check someone’s proof</Button>
      </div>
    </Frame>
  );
}

function Create() {
  const { busy, error, create, setView } = useStore(sessionStore);
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [label, setLabel] = useState('');
  const problem = passphraseProblem(pass, again);
  const ready = pass.length >= MIN_PASSPHRASE && pass === again;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) void create(pass, label.trim() || undefined);
  };
  return (
    <Frame title="Create your identity" lead="Choose a passphrase. It unlocks DeFaust on this device; it is never sent anywhere.">
      <form onSubmit={submit} className="stack" noValidate>
        <TextField label="Passphrase" type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} hint={`At least ${MIN_PASSPHRASE} characters. A few unrelated words work well.`} autoFocus />
        <TextField label="Repeat the passphrase" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} error={problem} />
        <TextField label="Name of this device (optional)" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="My laptop" maxLength={MAX_LABEL_CHARS} />
        <ErrorNote error={error} />
        {busy ? <Busy label="Creating your keys…" /> : null}
        <div className="row">
          <Button onClick={() => setView('welcome')}>Back</Button>
          <Button type="submit" variant="primary" disabled={!ready} busy={busy}>Create identity</Button>
        </div>
      </form>
    </Frame>
  );
}

function ShowWords({ words, id }: { words: string[]; id: string | null }) {
  const setStep = useStore(sessionStore, (s) => s.setStep);
  const [written, setWritten] = useState(false);
  return (
    <Frame title="Write down your recovery phrase" lead="These 24 words are the only way to recover your identity if this device is lost. Write them on paper, in order, and keep them offline. DeFaust will not show them again.">
      <ol className="words" aria-label="Recovery phrase">
        {words.map((word, i) => (
          <li key={i}><span className="word-index" aria-hidden="true">{i + 1}</span><span className="word" data-testid={`word-${i + 1}`}>{word}</span></li>
        ))}
      </ol>
      <div className="note note-warning">Anyone who has these words can take over your identity. Never type them into a website or share them.</div>
      <label className="check">
        <input type="checkbox" checked={written} onChange={(e) => setWritten(e.target.checked)} />
        I have written down all 24 words
      </label>
      {id !== null ? <MyId did={id} title="Your id (not secret: give it to people and devices)" what="your id" /> : null}
      <div className="row">
        <Button variant="primary" disabled={!written} onClick={() => setStep('confirm')}>Continue</Button>
      </div>
    </Frame>
  );
}

function ConfirmWords({ positions, canGoBack }: { positions: number[]; canGoBack: boolean }) {
  const { busy, error, confirm, setStep } = useStore(sessionStore);
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const ready = positions.every((p) => (answers[p] ?? '').trim().length > 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) void confirm(positions.map((position) => ({ position, word: (answers[position] ?? '').trim().toLowerCase() })));
  };
  return (
    <Frame title="Check your recovery phrase" lead="To be sure you have it, type three of the words you wrote down.">
      <form onSubmit={submit} className="stack" noValidate>
        {positions.map((p, i) => (
          <TextField key={p} label={`Word number ${p}`} autoComplete="off" autoCapitalize="none" spellCheck={false} value={answers[p] ?? ''} onChange={(e) => setAnswers({ ...answers, [p]: e.target.value })} autoFocus={i === 0} />
        ))}
        <ErrorNote error={error} />
        <div className="row">
          {canGoBack ? <Button onClick={() => setStep('show')}>Show the words again</Button> : null}
          <Button type="submit" variant="primary" disabled={!ready} busy={busy}>Confirm</Button>
        </div>
      </form>
    </Frame>
  );
}

function Recover() {
  const { busy, error, recover, setView, recovering } = useStore(sessionStore);
  const [phrase, setPhrase] = useState('');
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const count = phrase.trim() === '' ? 0 : phrase.trim().split(/\s+/u).length;
  const problem = passphraseProblem(pass, again);
  const ready = count === 24 && pass.length >= MIN_PASSPHRASE && pass === again;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) void recover(phrase, pass);
  };
  return (
    <Frame title="Recover your identity" lead="Type your 24-word recovery phrase, separated by spaces, and choose a passphrase for this device.">
      <form onSubmit={submit} className="stack" noValidate>
        <div className="field">
          <label htmlFor="phrase">Recovery phrase</label>
          <textarea id="phrase" rows={4} value={phrase} onChange={(e) => setPhrase(e.target.value)} autoComplete="off" autoCapitalize="none" spellCheck={false} aria-describedby="phrase-count" autoFocus />
          <p className="hint" id="phrase-count">{count} of 24 words</p>
        </div>
        <TextField label="New passphrase for this device" type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} />
        <TextField label="Repeat the passphrase" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} error={problem} />
        <ErrorNote error={error} />
        {busy && recovering === null ? <Busy label="Recovering your keys…" /> : null}
        {busy && recovering !== null ? <JobProgress kind="recover" view={recovering} /> : null}
        <div className="row">
          <Button onClick={() => setView('welcome')} disabled={busy}>Back</Button>
          <Button type="submit" variant="primary" disabled={!ready} busy={busy}>Recover</Button>
        </div>
      </form>
    </Frame>
  );
}

/** On the unlock screen of an identity whose chain is not here: why, and the two ways to bring it (a file, the network). */
function BringChainBack() {
  const { recoverNote } = useStore(sessionStore);
  const { running, view, error, fetchNewer, cancel } = useStore(importStore);
  const [pass, setPass] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (recoverNote !== null) heading.current?.focus();
  }, [recoverNote]);
  return (
    <section className="stack" aria-labelledby="bring-back">
      <div className="note note-warning" role={recoverNote !== null ? 'alert' : undefined}>
        Your identity is on this device, but its history is not here yet.
        {recoverNote !== null ? <> It did not come from the network: {plainMessage(recoverNote)}</> : null}
      </div>
      <h2 id="bring-back" ref={heading} tabIndex={-1} className="h3">Import an archive file instead</h2>
      <ImportArchive locked autoFocus />
      <details>
        <summary>Or try the network again</summary>
        <form className="stack" noValidate aria-label="Fetch my chain from the network" onSubmit={(e) => {
          e.preventDefault();
          if (pass.length > 0) void fetchNewer(pass);
        }}>
          <TextField label="Passphrase of this device" type="password" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} />
          {running === 'recover' ? <JobProgress kind="recover" view={view} onCancel={() => void cancel()} /> : <ErrorNote error={error} />}
          <div className="row"><Button type="submit" disabled={pass.length === 0 || running !== null} busy={running === 'recover'}>Fetch from the network</Button></div>
        </form>
      </details>
    </section>
  );
}

function Unlock({ chain }: { chain: boolean }) {
  const { busy, error, unlock, status, setView } = useStore(sessionStore);
  const [pass, setPass] = useState('');
  const [remember, setRemember] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pass.length === 0) return;
    void unlock(pass).then((ok) => {
      if (!ok) setPass('');
      else if (remember) void keychainStore.getState().remember(pass);
    });
  };
  if (!chain) {
    return (
      <Frame title="Bring your history back">
        {status?.id ? <p className="muted small">Identity <span className="mono break">{status.id}</span></p> : null}
        <BringChainBack />
      </Frame>
    );
  }
  return (
    <Frame title="Unlock DeFaust">
      {status?.id ? <p className="muted small">Identity <span className="mono break">{status.id}</span></p> : null}
      <KeychainUnlock />
      <form onSubmit={submit} className="stack" noValidate>
        <TextField label="Passphrase" type="password" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} autoFocus />
        <RememberChoice checked={remember} onChange={setRemember} />
        <ErrorNote error={error} />
        {busy ? <Busy label="Unlocking…" /> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={pass.length === 0} busy={busy}>Unlock</Button>
        </div>
      </form>
      <details>
        <summary>Import an archive file</summary>
        <ImportArchive locked />
      </details>
      <p className="muted small">Someone sent you a proof? <button type="button" className="link" onClick={() => setView('verify')}>Check a proof</button> — no passphrase needed.</p>
    </Frame>
  );
}

function CheckProof() {
  const setView = useStore(sessionStore, (s) => s.setView);
  return (
    <Frame title="Check a proof" lead="See what a DeFaust proof shows. This needs no identity and does not unlock your wallet.">
      <VerifyForm />
      <div className="row">
        <Button onClick={() => setView('welcome')}>Back</Button>
      </div>
    </Frame>
  );
}

/** Which onboarding screen to show for the session's state; null when the wallet is open. */
export function Onboarding() {
  const { status, view, words, step } = useStore(sessionStore);
  if (status === null) return null;
  if (view === 'verify' && status.state !== 'unlocked') return <CheckProof />;
  if (status.state === 'unlocked' && status.confirm !== null) {
    if (words !== null && step === 'show') return <ShowWords words={words} id={status.id} />;
    return <ConfirmWords positions={status.confirm} canGoBack={words !== null} />;
  }
  if (status.state === 'locked') return <Unlock chain={status.chain} />;
  if (status.state === 'new') {
    if (view === 'create') return <Create />;
    if (view === 'recover') return <Recover />;
    if (view === 'friends') {
      return (
        <Frame title="Recover with friends" lead="Lost your devices and your 24 words? If you chose recovery contacts, enough of them can give your identity back.">
          <RecoverWithFriends />
        </Frame>
      );
    }
    return <Welcome />;
  }
  return null;
}
