// Duels (DESIGN §6) in the wallet: propose one to a contact (the feat, its criteria, the time both perform,
// until when the judges judge, the panel), accept one proposed to you, take in the agreement to yours, and —
// in the Witness inbox — judge one you sit on the panel of (a wins, b wins, or a draw). Every one of these
// signs, and each is preceded by a SignDialog that shows exactly what is signed. The list shows your duels
// with their state and outcome; a document no mailbox took is downloaded to hand over.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DuelMailData, DuelViewData } from '../../../src-preload/api/duels.ts';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { challengesStore, contactsStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { formatTime } from '../../lib/format.ts';
import { Button, Card, ErrorNote, SignDialog, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { Person } from '../contacts/Person.tsx';
import { HonorBadge } from '../honor/HonorBadge.tsx';

/** A `datetime-local` input's value as ms (the window's time zone); null when it is not one. */
const localTimeToMs = (value: string): number | null => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/u.test(value) ? new Date(value).getTime() : null);

/** Downloads the files of the last duel step that no mailbox took. */
function handOver(): void {
  for (const file of challengesStore.getState().dueled?.files ?? []) saveDownload(file);
}

const panelWords = (judges: readonly string[], k: number) => <>{k} of {judges.map((j, i) => <span key={j}>{i > 0 ? ', ' : ''}<Person did={j} add={false} /></span>)}</>;

/** The facts of a duel document, as a SignDialog shows them. */
const duelFacts = (d: { a: string; b: string; title: string; featType: string; criteria: string; time: number; judgeUntil: number; judges: string[]; k: number }): [string, ReactNode][] => [
  ['Duel', <strong key="t">{d.title}</strong>],
  ['Kind', <span key="k" className="kind">{d.featType}</span>],
  ['Criteria', d.criteria || <span key="c" className="muted">None given</span>],
  ['A (proposer)', <span key="a" className="mono break">{d.a}</span>],
  ['B', <span key="b" className="mono break">{d.b}</span>],
  ['Both perform at', formatTime(d.time)],
  ['Judged until', formatTime(d.judgeUntil)],
  ['Panel', panelWords(d.judges, d.k)],
];

/** What the Challenges screen's "Challenge back" fills the proposal with. */
export interface DuelPrefill {
  b: string;
  featType: string;
  title: string;
}

export function ProposeDuel({ prefill, me }: { prefill: DuelPrefill | null; me: string }) {
  const { busy, error, failed, dueled, propose } = useStore(challengesStore);
  const contacts = useStore(contactsStore, (s) => s.contacts) ?? [];
  const [b, setB] = useState(prefill?.b ?? '');
  const [title, setTitle] = useState(prefill?.title ?? '');
  const [featType, setFeatType] = useState(prefill?.featType ?? '');
  const [criteria, setCriteria] = useState('');
  const [time, setTime] = useState('');
  const [until, setUntil] = useState('');
  const [judges, setJudges] = useState('');
  const [k, setK] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState<{ b: string; title: string; featType: string; criteria: string; time: number; judgeUntil: number; judges: string[]; k: number } | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = localTimeToMs(time);
    const end = localTimeToMs(until);
    const panel = judges.split(/[\s,]+/u).filter((j) => j !== '');
    const need = Number(k);
    if (!looksLikeDid(b.trim())) return setProblem('Name whom you duel: a contact, or a did:key id.');
    if (title.trim() === '' || featType.trim() === '') return setProblem('Name the duel and its kind of feat (for example chess).');
    if (at === null || end === null || end <= at) return setProblem('Choose when both perform, and a later time until which the panel judges.');
    if (panel.length === 0 || !panel.every(looksLikeDid)) return setProblem('Name the panel: one or more did:key ids, separated by commas.');
    if (!Number.isInteger(need) || need < 1 || need > panel.length) return setProblem(`How many judges decide: from 1 to the ${panel.length} named.`);
    setProblem(null);
    setAsking({ b: b.trim(), title: title.trim(), featType: featType.trim(), criteria, time: at, judgeUntil: end, judges: panel, k: need });
  };
  const confirm = async () => {
    if (asking === null) return;
    const done = await propose(asking);
    setAsking(null);
    if (done) handOver();
  };
  return (
    <Card title="Propose a duel">
      <p className="muted">Both of you perform the same feat at an agreed time; a panel of witnesses judges who won. A won duel is a feat you can prove.</p>
      <form className="stack" onSubmit={submit} noValidate aria-label="Propose a duel">
        <TextField label="Opponent (a contact or a did:key id)" value={b} list="duel-contacts" onChange={(e) => setB(e.target.value)} />
        <datalist id="duel-contacts">{contacts.map((c) => <option key={c.did} value={c.did}>{c.name}</option>)}</datalist>
        <TextField label="Duel title" value={title} onChange={(e) => setTitle(e.target.value)} />
        <TextField label="Kind of feat" value={featType} onChange={(e) => setFeatType(e.target.value)} hint="For example chess, or marathon." />
        <TextField label="Criteria" value={criteria} onChange={(e) => setCriteria(e.target.value)} />
        <TextField label="Both perform at" type="datetime-local" value={time} onChange={(e) => setTime(e.target.value)} />
        <TextField label="The panel judges until" type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
        <TextField label="Panel (did:key ids, separated by commas)" value={judges} onChange={(e) => setJudges(e.target.value)} hint="The witnesses who judge; neither of you may be one." />
        <TextField label="How many judges decide" inputMode="numeric" value={k} onChange={(e) => setK(e.target.value)} error={problem} />
        <div className="row"><Button type="submit" variant="primary" disabled={busy !== null}>Propose…</Button></div>
      </form>
      {dueled?.step === 'proposed' ? <SuccessNote>Duel proposed{dueled.files.length === 0 ? ' through the network' : ': the file was downloaded, give it to your opponent'}.</SuccessNote> : null}
      {failed === 'propose' ? <ErrorNote error={error} /> : null}
      {asking !== null ? (
        <SignDialog title="Sign this duel?" confirmLabel="Sign: propose" busy={busy === 'propose'} onConfirm={() => void confirm()} onCancel={() => setAsking(null)}
          facts={duelFacts({ ...asking, a: me })} />
      ) : null}
    </Card>
  );
}

const duelState = (d: DuelViewData): string => {
  if (d.state.phase === 'settled') {
    if (d.state.verdict === 'void') return 'void: not agreed in time, or no majority';
    if (d.state.verdict === 'draw') return 'a draw';
    return d.state.verdict === d.role ? 'you won' : 'you lost';
  }
  return d.state.phase === 'proposed' ? 'waiting for the other party' : d.state.phase === 'agreed' ? 'agreed: perform, then the panel judges' : 'being judged';
};

/** Proposals and agreements waiting in the mail, and every duel this chain records. */
export function DuelsCard() {
  const { duels, duelMail, busy, error, failed, dueled, acceptDuel } = useStore(challengesStore);
  const [asking, setAsking] = useState<DuelMailData | null>(null);
  const waiting = (duelMail ?? []).filter((m) => m.waits !== 'judge');
  const confirm = async () => {
    if (asking === null) return;
    const done = await acceptDuel(asking.mail);
    setAsking(null);
    if (done) handOver();
  };
  return (
    <Card title="Your duels">
      {waiting.length > 0 ? (
        <table className="listing">
          <caption className="sr-only">Duels waiting for you</caption>
          <thead><tr><th scope="col">Duel</th><th scope="col">From</th><th scope="col">Time</th><th scope="col"><span className="sr-only">Action</span></th></tr></thead>
          <tbody>
            {waiting.map((m) => (
              <tr key={m.mail}>
                <th scope="row" className="plain-th">{m.title} <span className="kind">{m.featType}</span></th>
                <td><Person did={m.from} /> <HonorBadge did={m.from} /></td>
                <td>{formatTime(m.time)}</td>
                <td><Button variant="primary" onClick={() => setAsking(m)} disabled={busy !== null} aria-label={`${m.waits === 'accept' ? 'Accept' : 'Record'} the duel ${m.title}`}>{m.waits === 'accept' ? 'Accept…' : 'Record…'}</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {duels === null || duels.length === 0 ? <p className="muted">No duel yet. Propose one below, or challenge back once a challenge is settled.</p> : (
        <table className="listing">
          <caption className="sr-only">Duels you proposed or accepted</caption>
          <thead><tr><th scope="col">Duel</th><th scope="col">With</th><th scope="col">Time</th><th scope="col">State</th></tr></thead>
          <tbody>
            {duels.map((d) => (
              <tr key={d.id}>
                <th scope="row" className="plain-th">{d.title} <span className="kind">{d.featType}</span></th>
                <td><Person did={d.other} /></td>
                <td>{formatTime(d.time)}</td>
                <td>{duelState(d)}{d.claim !== null ? <span className="muted small"> (a feat you can prove)</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dueled?.step === 'accepted' ? <SuccessNote>Duel agreed{dueled.files.length === 0 ? '.' : ': the files were downloaded, give them to your opponent and the judges.'}</SuccessNote> : null}
      {failed === 'accept' ? <ErrorNote error={error} /> : null}
      {asking !== null ? (
        <SignDialog title={asking.waits === 'accept' ? 'Accept this duel?' : 'Record this agreed duel?'} confirmLabel={asking.waits === 'accept' ? 'Sign: accept' : 'Sign: record'} busy={busy === 'accept'}
          onConfirm={() => void confirm()} onCancel={() => setAsking(null)} facts={duelFacts(asking)}>
          <p>{asking.waits === 'accept' ? 'You sign the same duel document; it goes to the proposer and to each judge.' : 'Your opponent signed your proposal; this records the agreed duel in your chain.'}</p>
        </SignDialog>
      ) : null}
    </Card>
  );
}

/** The Witness inbox's duels to judge: a wins, b wins or a draw, each after a SignDialog. */
export function JudgeDuels({ now }: { now: number }) {
  const { duelMail, busy, error, failed, dueled, judgeDuel } = useStore(challengesStore);
  const [asking, setAsking] = useState<{ item: DuelMailData; verdict: 'a' | 'b' | 'draw' } | null>(null);
  const toJudge = (duelMail ?? []).filter((m) => m.waits === 'judge');
  const confirm = async () => {
    if (asking === null) return;
    const done = await judgeDuel(asking.item.mail, asking.verdict);
    setAsking(null);
    if (done) handOver();
  };
  const verdictWords = (item: DuelMailData, verdict: 'a' | 'b' | 'draw') => (verdict === 'draw' ? 'a draw' : <><Person did={verdict === 'a' ? item.a : item.b} add={false} /> won</>);
  return (
    <Card title="Duels to judge">
      {toJudge.length === 0 ? <p className="muted">No duel waits for your verdict.</p> : (
        <table className="listing">
          <caption className="sr-only">Duels whose panel you sit on</caption>
          <thead><tr><th scope="col">Duel</th><th scope="col">Between</th><th scope="col">Judge until</th><th scope="col"><span className="sr-only">Verdict</span></th></tr></thead>
          <tbody>
            {toJudge.map((m) => {
              const open = now >= m.time && now <= m.judgeUntil;
              return (
                <tr key={m.mail}>
                  <th scope="row" className="plain-th">{m.title} <span className="kind">{m.featType}</span></th>
                  <td>A: <Person did={m.a} add={false} /> <HonorBadge did={m.a} /><br />B: <Person did={m.b} add={false} /> <HonorBadge did={m.b} /></td>
                  <td>{formatTime(m.judgeUntil)}{open ? null : <span className="muted small"> ({now < m.time ? `from ${formatTime(m.time)}` : 'closed'})</span>}</td>
                  <td className="row">
                    <Button onClick={() => setAsking({ item: m, verdict: 'a' })} disabled={busy !== null || !open} aria-label={`A won the duel ${m.title}`}>A won…</Button>
                    <Button onClick={() => setAsking({ item: m, verdict: 'b' })} disabled={busy !== null || !open} aria-label={`B won the duel ${m.title}`}>B won…</Button>
                    <Button onClick={() => setAsking({ item: m, verdict: 'draw' })} disabled={busy !== null || !open} aria-label={`The duel ${m.title} was a draw`}>Draw…</Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {dueled?.step === 'judged' ? <SuccessNote>Verdict signed{dueled.files.length === 0 ? ' and sent to both parties.' : ': the files were downloaded, give them to both parties.'}</SuccessNote> : null}
      {failed === 'judge' ? <ErrorNote error={error} /> : null}
      {asking !== null ? (
        <SignDialog title="Sign this verdict?" confirmLabel="Sign: verdict" busy={busy === 'judge'} onConfirm={() => void confirm()} onCancel={() => setAsking(null)}
          facts={[...duelFacts(asking.item), ['Your verdict', <strong key="v">{verdictWords(asking.item, asking.verdict)}</strong>]]}>
          <p>{asking.verdict === 'draw' ? 'A draw attests nobody.' : 'For a winner, your verdict carries your attestation of the won-duel feat: the winner can prove it with it.'}</p>
        </SignDialog>
      ) : null}
    </Card>
  );
}
