// The Challenges screen: challenges waiting for your answer, each with the time left before its deadline,
// accepted or declined after a dialog that shows exactly what you sign; then every challenge you sent or
// received, with its state and outcome, resolving and taking outcomes in (Settle.tsx), and "Challenge back"
// once one is settled (a counter-challenge with their proof, or a duel of the same kind of feat); then duels
// (Duels.tsx). An answer no mailbox took is downloaded.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { ChallengeViewData, IncomingChallenge } from '../../../src-preload/api/contract.ts';
import { challengesStore, sessionStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { formatTime, shortId } from '../../lib/format.ts';
import { Busy, Button, Card, ConfirmDialog, ErrorNote, PageHeader, SuccessNote } from '../../ui/primitives.tsx';
import { timeLeft } from './time-left.ts';
import { MailCheck } from '../mail/MailCheck.tsx';
import { DuelsCard, ProposeDuel, type DuelPrefill } from './Duels.tsx';
import { canResolve, ChallengeBackForm, DocumentFile, ResolveButton, SettledNotes, TakeOutcomeButton } from './Settle.tsx';

/** The wallet's clock now, ticking every 30 s from the time the list was loaded. */
function useWalletNow(): number | null {
  const clock = useStore(challengesStore, (s) => s.clock);
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  return clock === null ? null : clock.wallet + (Date.now() - clock.local);
}

function Waiting({ incoming, now }: { incoming: IncomingChallenge[]; now: number }) {
  const { busy, error, failed, answer, answered } = useStore(challengesStore);
  const [asking, setAsking] = useState<{ item: IncomingChallenge; answer: 'accept' | 'decline' } | null>(null);
  const confirm = async () => {
    if (asking === null) return;
    const done = await answer(asking.item.mail, asking.answer);
    setAsking(null);
    const file = challengesStore.getState().answered?.file;
    if (done && file) saveDownload(file);
  };
  return (
    <Card title="Waiting for your answer">
      {incoming.length === 0 ? <p className="muted">No challenge of your feats waits for an answer.</p> : (
        <table className="listing">
          <caption className="sr-only">Challenges of your feats that wait for your answer</caption>
          <thead><tr><th scope="col">Feat</th><th scope="col">From</th><th scope="col">Deadline</th><th scope="col"><span className="sr-only">Answer</span></th></tr></thead>
          <tbody>
            {incoming.map((c) => (
              <tr key={c.mail}>
                <th scope="row" className="plain-th">{c.title}</th>
                <td><span className="mono" title={c.from}>{shortId(c.from)}</span></td>
                <td>{formatTime(c.deadline)} <span className="muted small">({timeLeft(c.deadline, now)})</span></td>
                <td className="row">
                  <Button onClick={() => setAsking({ item: c, answer: 'decline' })} disabled={busy !== null || c.deadline < now} aria-label={`Decline the challenge of ${c.title}`}>Decline…</Button>
                  <Button variant="primary" onClick={() => setAsking({ item: c, answer: 'accept' })} disabled={busy !== null || c.deadline < now} aria-label={`Accept the challenge of ${c.title}`}>Accept…</Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answered !== null ? (
        <SuccessNote>
          {answered.answer === 'accept' ? <>Accepted. Re-perform the feat, then ask the panel to attest the re-performance claim <span className="mono">{shortId(answered.reperformance ?? '')}</span> on the Feats screen.{' '}</> : <>Declined.{' '}</>}
          {answered.file === null ? 'Your answer was sent through the network.' : 'Your answer was downloaded: send it to the challenger.'}
        </SuccessNote>
      ) : null}
      {failed === 'answer' ? <ErrorNote error={error} /> : null}
      <MailCheck label="Check for new challenges" onDone={() => challengesStore.getState().load()} />
      {asking !== null ? (
        <ConfirmDialog title={asking.answer === 'accept' ? 'Accept this challenge?' : 'Decline this challenge?'} confirmLabel={asking.answer === 'accept' ? 'Sign: accept' : 'Sign: decline'}
          variant={asking.answer === 'accept' ? 'primary' : 'danger'} busy={busy === 'answer'} onConfirm={() => void confirm()} onCancel={() => setAsking(null)}>
          <p>You sign this answer with your identity key:</p>
          <dl className="facts">
            <dt>Challenge</dt><dd className="mono break">{asking.item.id}</dd>
            <dt>Of your feat</dt><dd><strong>{asking.item.title}</strong> <span className="mono small">{shortId(asking.item.claim)}</span></dd>
            <dt>From</dt><dd className="mono break">{asking.item.from}</dd>
            <dt>Answer</dt><dd><strong>{asking.answer}</strong></dd>
            <dt>Discloses</dt><dd>the attestations of your feat (who signed it off)</dd>
          </dl>
          <p>{asking.answer === 'accept'
            ? `You must re-perform the feat and have the panel attest it by ${formatTime(asking.item.deadline)}, or you lose the challenge.`
            : 'Declining loses the challenge: your feat will be shown as refuted, and you can no longer prove it.'}</p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}

const stateWords = (c: ChallengeViewData): string => (c.state.phase === 'settled'
  ? `${c.state.result}: ${c.state.winner === (c.role === 'holder' ? 'holder' : 'challenger') ? 'you won' : 'you lost'}`
  : c.state.phase === 'accepted' ? 'accepted: the re-performance waits for the panel' : 'waiting for the holder’s answer');

function All({ challenges, now, onBack }: { challenges: ChallengeViewData[]; now: number; onBack(c: ChallengeViewData): void }) {
  return (
    <Card title="Your challenges">
      {challenges.length === 0 ? <p className="muted">You have not sent or answered a challenge yet. Challenge a feat from the Verify screen, once its proof verifies.</p> : (
        <table className="listing">
          <caption className="sr-only">Challenges you sent or answered</caption>
          <thead><tr><th scope="col">Feat</th><th scope="col">Role</th><th scope="col">With</th><th scope="col">Deadline</th><th scope="col">State</th><th scope="col"><span className="sr-only">Action</span></th></tr></thead>
          <tbody>
            {challenges.map((c) => (
              <tr key={c.id}>
                <th scope="row" className="plain-th">{c.title} <span className="kind">{c.featType}</span>{c.counter !== null ? <span className="muted small"> (a challenge back)</span> : null}</th>
                <td>{c.role === 'holder' ? 'your feat' : 'you challenged'}</td>
                <td><span className="mono" title={c.other}>{shortId(c.other)}</span></td>
                <td>{formatTime(c.deadline)}{c.state.phase !== 'settled' ? <span className="muted small"> ({timeLeft(c.deadline, now)})</span> : null}</td>
                <td>{stateWords(c)}</td>
                <td><div className="row">
                  {canResolve(c) ? <ResolveButton c={c} now={now} /> : null}
                  <TakeOutcomeButton c={c} />
                  {c.state.phase === 'settled' ? <Button onClick={() => onBack(c)} aria-label={`Challenge back on ${c.title}`}>Challenge back…</Button> : null}
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SettledNotes />
    </Card>
  );
}

export function ChallengesScreen() {
  const { challenges, incoming, busy, error, failed, load } = useStore(challengesStore);
  const now = useWalletNow();
  const me = useStore(sessionStore, (s) => s.status?.id ?? '');
  const [prefill, setPrefill] = useState<{ key: number; value: DuelPrefill } | null>(null);
  const [backing, setBacking] = useState<ChallengeViewData | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  const duelBack = (c: ChallengeViewData) => {
    setPrefill((p) => ({ key: (p?.key ?? 0) + 1, value: { b: c.other, featType: c.featType, title: `Rematch: ${c.title}` } }));
    requestAnimationFrame(() => document.getElementById('propose-duel')?.scrollIntoView({ block: 'start' }));
  };
  const onBack = (c: ChallengeViewData) => {
    setBacking(c);
    requestAnimationFrame(() => document.getElementById('challenge-back')?.scrollIntoView({ block: 'start' }));
  };
  return (
    <>
      <PageHeader title="Challenges">
        <p className="muted">Anyone may challenge a feat they saw proven: re-perform it before the panel by the deadline, or it is refuted.</p>
      </PageHeader>
      {failed === 'load' ? <ErrorNote error={error} /> : null}
      {challenges === null || incoming === null || now === null ? (busy === null && failed === 'load' ? null : <Busy label="Loading challenges" />) : (
        <>
          <Waiting incoming={incoming} now={now} />
          <All challenges={challenges} now={now} onBack={onBack} />
          {backing !== null ? <div id="challenge-back"><ChallengeBackForm key={backing.id} c={backing} onDuel={() => duelBack(backing)} /></div> : null}
          <DocumentFile />
          <DuelsCard />
          <div id="propose-duel">
            {prefill !== null ? <p className="muted">Challenge back: a duel of the same kind of feat, proposed to the other party. (With a proof of theirs, challenge that feat from the Verify screen instead.)</p> : null}
            <ProposeDuel key={prefill?.key ?? 0} prefill={prefill?.value ?? null} me={me} />
          </div>
        </>
      )}
    </>
  );
}
