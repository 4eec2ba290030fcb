// Feats: each claim with its progress toward the policy and who answered; asking witnesses (one request
// file per witness to download and send), taking their replies in, trusting them, and making a proof for a
// verifier's nonce with a progress bar; claiming a new feat with evidence from attached media; the trust list.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { FeatView, Policy } from '../../../src-preload/api/contract.ts';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { MAX_ATTEST_REPLY_BYTES } from '../../../src-shared/rules/limits.ts';
import { NONCE_DIGITS } from '../../../src-shared/rules/number.ts';
import { featsStore, navStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { formatBytes, formatTime, shortId } from '../../lib/format.ts';
import { PublishTrustList } from './PublishTrustList.tsx';
import { Busy, Button, Card, ErrorNote, FileForm, PageHeader, SignDialog, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { STAGES } from './store.ts';
import { FEAT_TYPE } from '../../../src-shared/rules/feat-type.ts';
import { HonorBadge } from '../honor/HonorBadge.tsx';
import { MAX_CRITERIA_CHARS, MAX_TITLE_CHARS } from '../../../src-shared/rules/text.ts';
import { Person } from '../contacts/Person.tsx';
import { ExportBadge } from '../badges/ExportBadge.tsx';

/** The stages that take time (loading, witness, proving); `done` ends them. */
export const WORK_STAGES = STAGES.length - 1;

export const STAGE_WORDS: Record<string, string> = {
  loading: 'Loading the circuit',
  witness: 'Computing the witness',
  proving: 'Proving (this takes a few seconds)',
  done: 'Done',
};

export function policyWords(policy: Policy): string {
  return policy.kind === 'authority' ? 'One trusted authority signs' : `${policy.k} witness${policy.k === 1 ? '' : 'es'} sign${policy.k === 1 ? 's' : ''}`;
}

function randomNonce(): string {
  const bytes = new Uint32Array(2);
  globalThis.crypto.getRandomValues(bytes);
  return (BigInt(bytes[0]!) * 4294967296n + BigInt(bytes[1]!)).toString();
}

function Progress({ feat }: { feat: FeatView }) {
  const { met, have, need } = feat.status;
  const words = feat.policy.kind === 'authority'
    ? (met ? 'A trusted authority signed' : 'Waiting for a trusted authority to sign')
    : `${have} of ${need} trusted witness${need === 1 ? '' : 'es'} said yes`;
  return (
    <div className="policy">
      <progress className="meter" max={need} value={Math.min(have, need)} aria-label={`Progress toward the policy of “${feat.title}”`} aria-valuetext={words} />
      <span className={met ? 'mark mark-ok' : 'muted'}>{met ? `✓ Policy met — ${words}` : words}</span>
    </div>
  );
}

/** A trust entry to sign: added (as a witness or an authority, sealed or on the public list) or removed. */
interface TrustChange { did: string; featType: string; authority: boolean; listed: boolean; remove: boolean }

/** The dialog before a trust entry is signed into the chain: sealed, or on the public list for everyone. */
function TrustDialog({ change, onDone }: { change: TrustChange; onDone(signed: boolean): void }) {
  const { busy, trustAdd, trustRemove } = useStore(featsStore);
  const [signing, setSigning] = useState(false);
  const sign = async () => {
    // The dialog closes first, so that the focus can go to the result once it shows.
    setSigning(true);
    const ok = change.remove ? await trustRemove(change.did, change.featType) : await trustAdd(change.did, change.featType, change.authority, change.listed);
    onDone(ok);
  };
  if (signing) return null;
  return (
    <SignDialog title={change.remove ? 'Stop trusting this witness?' : 'Trust this witness?'} confirmLabel={change.remove ? 'Sign: stop trusting' : 'Sign: trust'}
      busy={busy === 'trust' || busy === 'untrust'} onConfirm={() => void sign()} onCancel={() => onDone(false)}
      facts={[
        ['Who', <><Person did={change.did} add={false} /> <span className="mono small break">{change.did}</span></>],
        ['For', change.featType === '*' ? 'every kind of feat' : change.featType],
        ['As', change.authority ? 'an authority (their yes alone meets an “authority” policy)' : 'a witness'],
        ['Entry', change.remove ? 'removed from your trust list' : 'added to your trust list'],
        ['Seen by', change.listed ? 'everyone: it is on your public list, in the clear in your chain' : 'you alone: sealed in your chain'],
      ]}>
      <p className="muted">{change.listed
        ? 'Anyone who holds a copy of your chain can read your public list; those who trust you as an authority use it.'
        : 'Replicas store the entry sealed: they see that you changed your trust list, not whom you trust.'}</p>
    </SignDialog>
  );
}

function Attestations({ feat }: { feat: FeatView }) {
  const { busy } = useStore(featsStore);
  const [asking, setAsking] = useState<TrustChange | null>(null);
  if (feat.attestations.length === 0) return <p className="muted">No witness has answered yet.</p>;
  return (
    <>
    <table className="listing">
      <caption className="sr-only">{`Witnesses who answered for “${feat.title}”`}</caption>
      <thead>
        <tr><th scope="col">Witness</th><th scope="col">Answer</th><th scope="col">When</th><th scope="col">Trusted for {feat.type}</th></tr>
      </thead>
      <tbody>
        {feat.attestations.map((a) => (
          <tr key={a.witness}>
            <th scope="row"><Person did={a.witness} /> <HonorBadge did={a.witness} /></th>
            <td>{a.verdict === 'yes' ? <span className="mark mark-ok">Signed yes</span> : <span className="mark mark-bad">Declined</span>}</td>
            <td>{formatTime(a.ts)}</td>
            <td>
              {a.trusted ? <span className="mark mark-ok">Trusted</span> : (
                <Button variant="ghost" onClick={() => setAsking({ did: a.witness, featType: feat.type, authority: false, listed: false, remove: false })} disabled={busy !== null} aria-label={`Trust ${shortId(a.witness)} for ${feat.type}`}>Trust</Button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    {asking !== null ? <TrustDialog change={asking} onDone={() => setAsking(null)} /> : null}
    </>
  );
}

function AskWitnesses({ feat }: { feat: FeatView }) {
  const { busy, error, failed, sent, requestWitnesses } = useStore(featsStore);
  const [text, setText] = useState('');
  const id = useId();
  const dids = text.split(/[\s,]+/u).map((d) => d.trim()).filter((d) => d !== '');
  const wrong = dids.filter((d) => !looksLikeDid(d));
  const ok = dids.length > 0 && dids.length <= 16 && wrong.length === 0;
  const mine = sent?.claim === feat.cid ? sent.requests : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (ok && (await requestWitnesses(feat.cid, [...new Set(dids)])) !== null) setText('');
  };
  return (
    <section className="stack sub" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>Ask witnesses</h4>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label={`Ask witnesses for “${feat.title}”`}>
        <div className="field">
          <label htmlFor={`${id}-dids`}>Witness identities (one per line)</label>
          <textarea id={`${id}-dids`} rows={3} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} placeholder="did:key:z6Mk…" aria-describedby={`${id}-hint`} aria-invalid={wrong.length > 0 ? true : undefined} />
          <p className={wrong.length > 0 ? 'field-error' : 'hint'} id={`${id}-hint`}>
            {wrong.length > 0 ? `Not a DeFaust identity: ${wrong[0]!.slice(0, 40)}. Each one starts with did:key:z.` : 'People who saw it. Each gets a file only they can open, with the claim and its evidence.'}
          </p>
        </div>
        {failed === 'request' ? <ErrorNote error={error} /> : null}
        <div className="row">
          <Button type="submit" disabled={!ok} busy={busy === 'request'}>Make request files</Button>
        </div>
      </form>
      {mine !== null ? (
        <div className="stack">
          <SuccessNote>Made {mine.length} request{mine.length === 1 ? '' : 's'}. {mine.some((r) => !r.delivered) ? 'Download each file and send it to its witness; they open it in their Witness inbox.' : 'They were delivered.'}</SuccessNote>
          <ul className="plain files" aria-label="Request files">
            {mine.map((r) => (
              <li key={r.witness} className="file-row">
                <span>For <Person did={r.witness} /></span>
                {r.file !== null ? (
                  <Button onClick={() => saveDownload(r.file!)} aria-label={`Download the request for ${shortId(r.witness)}`}>Download</Button>
                ) : <span className="mark mark-ok">Delivered</span>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function MakeProof({ feat }: { feat: FeatView }) {
  const { busy, error, failed, done, proving, proof, roots, prove, cancelProve } = useStore(featsStore);
  const go = useStore(navStore, (s) => s.go);
  const [nonce, setNonce] = useState('');
  const id = useId();
  const ok = NONCE_DIGITS.test(nonce);
  const root = roots[feat.type];
  const mineProving = proving?.claim === feat.cid ? proving : null;
  const mineProof = proof?.claim === feat.cid ? proof : null;
  const enough = feat.proof.trusted >= feat.proof.needs;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (ok) await prove(feat.cid, nonce);
  };
  // Three working stages; the bar sits in the middle of the current one (how far inside it is not known).
  const index = mineProving?.stage ? Math.min(STAGES.indexOf(mineProving.stage), WORK_STAGES) : -1;
  const step = index < 0 ? 0 : index + 0.5;
  return (
    <section className="stack sub" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>Prove it</h4>
      <p className="muted">
        A proof shows a verifier that {feat.proof.needs} different witnesses you trust signed this feat, without saying who.
        {enough ? '' : ` ${feat.proof.trusted} of the witnesses who said yes ${feat.proof.trusted === 1 ? 'is' : 'are'} trusted for ${feat.type} so far.`}
      </p>
      {root ? <p className="small">Your trust root for {feat.type}: <span className="mono break" data-testid="trust-root">{root.root}</span> — verifiers check the proof against it.</p> : null}
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label={`Prove “${feat.title}”`}>
        <div className="field">
          <label htmlFor={`${id}-nonce`}>Nonce from the verifier</label>
          <div className="row input-row">
            <input id={`${id}-nonce`} value={nonce} onChange={(e) => setNonce(e.target.value.trim())} inputMode="numeric" autoComplete="off" spellCheck={false}
              aria-describedby={`${id}-nonce-hint`} aria-invalid={nonce !== '' && !ok ? true : undefined} />
            <Button onClick={() => setNonce(randomNonce())}>Pick one at random</Button>
          </div>
          <p className={nonce !== '' && !ok ? 'field-error' : 'hint'} id={`${id}-nonce-hint`}>
            {nonce !== '' && !ok ? 'Digits only (up to 76).' : 'A whole number the verifier chose, so that this proof cannot be replayed to them.'}
          </p>
        </div>
        {failed === 'prove' ? <ErrorNote error={error} /> : null}
        {done?.action === 'prove' && done.claim === feat.cid && mineProving === null && mineProof === null ? <p className="muted" role="status">{done.text}</p> : null}
        {mineProving !== null ? (
          <div className="stack" role="status" aria-live="polite">
            <progress className="meter meter-wide" max={WORK_STAGES} value={step} aria-label="Making the proof" aria-valuetext={mineProving.stage ? STAGE_WORDS[mineProving.stage] : 'Starting'} />
            <span className="busy"><span className="spinner" aria-hidden="true" />Step {Math.min(Math.max(index + 1, 1), WORK_STAGES)} of {WORK_STAGES}: {mineProving.stage ? STAGE_WORDS[mineProving.stage] : 'Starting'}…</span>
            <div className="row"><Button onClick={() => void cancelProve()}>Cancel</Button></div>
          </div>
        ) : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={!ok || (busy !== null && busy !== 'prove')} busy={busy === 'prove' && mineProving !== null}>Make the proof</Button>
        </div>
      </form>
      {mineProof !== null ? (
        <div className="stack">
          <SuccessNote>The proof is ready (nonce {mineProof.nonce}). Send the file to the verifier; they check it with DeFaust’s Verify screen or <code>defaust verify-proof</code>.</SuccessNote>
          <div className="row">
            <Button variant="primary" onClick={() => saveDownload(mineProof.file, 'application/json')}>Download the proof</Button>
            <Button onClick={() => go('verify')}>Check a proof</Button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

function Feat({ feat }: { feat: FeatView }) {
  return (
    <Card title={feat.title}>
      <dl className="facts">
        <dt>Kind</dt><dd><span className="kind">{feat.type}</span></dd>
        <dt>Criteria</dt><dd>{feat.criteria || <span className="muted">None given</span>}</dd>
        <dt>Needs</dt><dd>{policyWords(feat.policy)}</dd>
        <dt>Evidence</dt>
        <dd>{feat.evidence.length === 0 ? <span className="muted">None</span> : feat.evidence.map((e) => `${e.name || e.cid.slice(0, 16)}${e.size ? ` (${formatBytes(e.size)})` : ''}`).join(', ')}</dd>
        <dt>Claimed</dt><dd>{formatTime(feat.ts)}</dd>
        <dt>Claim id</dt><dd className="mono break small">{feat.cid}</dd>
      </dl>
      <Progress feat={feat} />
      <Attestations feat={feat} />
      <AskWitnesses feat={feat} />
      <MakeProof feat={feat} />
      <ExportBadge feat={feat} />
    </Card>
  );
}

function ImportReply() {
  const { busy, error, failed, done, importReply } = useStore(featsStore);
  return (
    <FileForm title="Import a witness’s reply" id="reply-file" label="Reply file" submitLabel="Import reply" busy={busy === 'import'} maxBytes={MAX_ATTEST_REPLY_BYTES}
      hint="A witness sends it back after answering your request (replies that come through the network are taken in by themselves). Both of their signatures are checked before it is recorded in your chain."
      tooLarge="This file is far larger than a witness’s reply. Check that you chose the right file."
      onBytes={importReply}
      notes={<>
        {failed === 'import' ? <ErrorNote error={error} /> : null}
        {done?.action === 'import' ? <SuccessNote>{done.text}</SuccessNote> : null}
      </>} />
  );
}

function ClaimForm() {
  const { media, busy, error, failed, done, claim } = useStore(featsStore);
  const go = useStore(navStore, (s) => s.go);
  const [title, setTitle] = useState('');
  const [type, setType] = useState('');
  const [criteria, setCriteria] = useState('');
  const [kind, setKind] = useState<'k-of-n' | 'authority'>('k-of-n');
  const [k, setK] = useState('3');
  const [evidence, setEvidence] = useState<string[]>([]);
  const kNumber = Number(k);
  const kOk = /^\d{1,2}$/u.test(k) && kNumber >= 1 && kNumber <= 16;
  const typeOk = FEAT_TYPE.test(type);
  const ok = title.trim() !== '' && title.length <= MAX_TITLE_CHARS && typeOk && (kind === 'authority' || kOk);
  const [asking, setAsking] = useState<{ title: string; type: string; criteria: string; policy: Policy; evidence: string[] } | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    const policy: Policy = kind === 'authority' ? { kind } : { kind, k: kNumber };
    setAsking({ title: title.trim(), type, criteria: criteria.trim(), policy, evidence });
  };
  const sign = async () => {
    if (asking === null) return;
    // The dialog closes first, so that the focus can go to the result once it shows.
    setAsking(null);
    const claimed = await claim(asking);
    if (claimed !== null) {
      setTitle('');
      setCriteria('');
      setEvidence([]);
    }
  };
  return (
    <Card title="Claim a feat">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Claim a feat">
        <TextField label="What you did" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={MAX_TITLE_CHARS} placeholder="For example: Berlin marathon under 4 hours" />
        <div className="row wrap">
          <TextField label="Kind of feat" value={type} onChange={(e) => setType(e.target.value.toLowerCase())} placeholder="marathon" autoComplete="off" maxLength={40}
            hint="One word or-with-dashes; witnesses are trusted per kind." error={type !== '' && !typeOk ? 'Lower-case letters, digits and - only (up to 40).' : null} />
        </div>
        <div className="field">
          <label htmlFor="feat-criteria">Criteria</label>
          <textarea id="feat-criteria" rows={2} maxLength={MAX_CRITERIA_CHARS} value={criteria} onChange={(e) => setCriteria(e.target.value)} aria-describedby="feat-criteria-hint" />
          <p className="hint" id="feat-criteria-hint">How a witness can tell it happened: times, distances, rules.</p>
        </div>
        <fieldset className="radios">
          <legend>Who must confirm it</legend>
          <label className="radio"><input type="radio" name="policy" checked={kind === 'k-of-n'} onChange={() => setKind('k-of-n')} /> Witnesses</label>
          {kind === 'k-of-n' ? (
            <div className="indent">
              <TextField label="How many witnesses" value={k} onChange={(e) => setK(e.target.value.trim())} inputMode="numeric" className="short" error={kOk ? null : 'A whole number from 1 to 16.'} />
            </div>
          ) : null}
          <label className="radio"><input type="radio" name="policy" checked={kind === 'authority'} onChange={() => setKind('authority')} /> One trusted authority (for example a certified trainer)</label>
        </fieldset>
        <fieldset className="checks">
          <legend>Evidence</legend>
          {media.length === 0 ? (
            <p className="muted">No picture or film attached yet. <button type="button" className="link" onClick={() => go('media')}>Attach one on the Media screen</button>, then pick it here.</p>
          ) : media.map((m) => (
            <label key={m.cid} className="check">
              <input type="checkbox" checked={evidence.includes(m.cid)} onChange={(e) => setEvidence(e.target.checked ? [...evidence, m.cid] : evidence.filter((c) => c !== m.cid))} />
              {m.name} <span className="muted small">({m.event}, {formatBytes(m.size)})</span>
            </label>
          ))}
        </fieldset>
        {failed === 'claim' ? <ErrorNote error={error} /> : null}
        {done?.action === 'claim' ? <SuccessNote focus>{done.text}</SuccessNote> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={!ok} busy={busy === 'claim'}>Sign and claim</Button>
        </div>
      </form>
      {asking !== null ? (
        <SignDialog title="Sign this claim?" confirmLabel="Sign claim" busy={busy === 'claim'} onConfirm={() => void sign()} onCancel={() => setAsking(null)}
          facts={[
            ['Feat', asking.title],
            ['Kind', asking.type],
            ['Criteria', asking.criteria || 'none'],
            ['Confirmed by', asking.policy.kind === 'authority' ? 'one trusted authority' : `${asking.policy.k} trusted witnesses`],
            ['Evidence', asking.evidence.length === 0 ? 'none' : media.filter((m) => asking.evidence.includes(m.cid)).map((m) => m.name).join(', ')],
          ]} />
      ) : null}
    </Card>
  );
}

function TrustCard() {
  const { trust, busy, error, failed, done, trustSync } = useStore(featsStore);
  const [asking, setAsking] = useState<TrustChange | null>(null);
  const [did, setDid] = useState('');
  const [type, setType] = useState('');
  const [authority, setAuthority] = useState(false);
  const [listed, setListed] = useState(false);
  const didOk = looksLikeDid(did.trim());
  const typeOk = type === '*' || FEAT_TYPE.test(type);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (didOk && typeOk) setAsking({ did: did.trim(), featType: type, authority, listed, remove: false });
  };
  const signed = (ok: boolean) => {
    if (ok && asking !== null && !asking.remove) {
      setDid('');
      setAuthority(false);
      setListed(false);
    }
    setAsking(null);
  };
  return (
    <Card title="Witnesses you trust">
      <p className="muted">Only trusted witnesses count in a proof. Whom you trust is sealed in your chain, unless you put an entry on your public list for others to reuse. The witnesses an authority you trust lists publicly for the same kind count too, once you fetch its list.</p>
      {(done?.action === 'trust' || done?.action === 'untrust' || done?.action === 'sync') ? <SuccessNote focus>{done.text}</SuccessNote> : null}
      {failed === 'untrust' || failed === 'sync' ? <ErrorNote error={error} /> : null}
      {trust === null ? null : trust.length === 0 ? <p className="muted">You trust nobody yet.</p> : (
        <table className="listing">
          <caption className="sr-only">Witnesses you trust</caption>
          <thead><tr><th scope="col">Witness</th><th scope="col">For</th><th scope="col">Role</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {trust.map((t) => (
              <tr key={`${t.did} ${t.featType} ${t.via ?? ''}`}>
                <th scope="row"><Person did={t.did} /></th>
                <td>{t.featType === '*' ? 'Every kind' : t.featType}</td>
                <td>{t.via !== null ? <>Witness, listed by <Person did={t.via} /></> : <>{t.authority ? 'Authority' : 'Witness'}{t.listed ? <> <span className="mark">On your public list</span></> : null}</>}</td>
                <td className="actions">{t.via !== null ? <span className="muted small">From their list</span> : (
                  <Button variant="ghost" onClick={() => setAsking({ did: t.did, featType: t.featType, authority: t.authority, listed: t.listed, remove: true })} disabled={busy !== null} aria-label={`Stop trusting ${shortId(t.did)} for ${t.featType === '*' ? 'every kind' : t.featType}`}>Stop trusting</Button>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Trust a witness">
        <div className="row wrap">
          <TextField label="Witness identity (did:key)" value={did} onChange={(e) => setDid(e.target.value)} placeholder="did:key:z6Mk…" spellCheck={false} autoComplete="off"
            error={did.trim() !== '' && !didOk ? 'That is not a DeFaust identity: it starts with did:key:z.' : null} />
          <TextField label="For which kind" value={type} onChange={(e) => setType(e.target.value.toLowerCase())} placeholder="marathon, or * for every kind" autoComplete="off"
            error={type !== '' && !typeOk ? 'A kind of feat (lower-case letters, digits, -) or *.' : null} />
        </div>
        <label className="check"><input type="checkbox" checked={authority} onChange={(e) => setAuthority(e.target.checked)} /> An authority: their yes alone meets an “authority” policy</label>
        <label className="check"><input type="checkbox" checked={listed} onChange={(e) => setListed(e.target.checked)} /> On my public list: anyone can see it, and those who trust me as an authority use it</label>
        {failed === 'trust' ? <ErrorNote error={error} /> : null}
        <div className="row">
          <Button type="submit" disabled={!didOk || !typeOk || type === ''} busy={busy === 'trust'}>Trust</Button>
          {trust?.some((t) => t.authority && t.via === null) ? (
            <Button onClick={() => void trustSync()} busy={busy === 'sync'} disabled={busy !== null && busy !== 'sync'}>Fetch your authorities’ lists</Button>
          ) : null}
        </div>
      </form>
      {asking !== null ? <TrustDialog change={asking} onDone={signed} /> : null}
    </Card>
  );
}

export function FeatsScreen() {
  const { claims, error, failed, load, clear } = useStore(featsStore);
  useEffect(() => {
    clear();
    void load();
  }, [load, clear]);
  return (
    <>
      <PageHeader title="Feats" />
      {failed === 'load' ? <ErrorNote error={error} /> : null}
      <ImportReply />
      {claims === null ? <Busy label="Loading your feats…" /> : claims.length === 0 ? (
        <Card title="Your feats"><p className="muted">You have not claimed a feat yet. Claim one below, then ask the people who saw it to witness it.</p></Card>
      ) : (
        <ul className="plain stack" aria-label="Your feats">
          {claims.map((f) => <li key={f.cid}><Feat feat={f} /></li>)}
        </ul>
      )}
      <ClaimForm />
      <TrustCard />
      <PublishTrustList />
    </>
  );
}
