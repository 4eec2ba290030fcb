// Verify: ask for a proof (a nonce this device issues, to give the holder), drop or pick a proof file, choose
// whom you trust (a root you computed, your own trusted witnesses or issuers, an authority's list, these people:
// the root or the issuers' keys are computed here, never taken from the file) and optionally a nonce you keep track of yourself, and read in
// plain words what the proof shows — or why it shows nothing. Needs no unlocked wallet (except for your own
// list): the same form is reachable from the welcome and unlock screens.
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { VerifiedProof } from '../../../src-preload/api/contract.ts';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { MAX_LIST_ARCHIVE_BYTES, MAX_PROOF_FILE_CHARS } from '../../../src-shared/rules/limits.ts';
import { WHOLE_DIGITS } from '../../../src-shared/rules/number.ts';
import { sessionStore, verifyStore } from '../../app/stores.ts';
import { ChallengeThisFeat } from '../challenges/ChallengeThisFeat.tsx';
import type { VerifyTrust } from './store.ts';
import { formatTime } from '../../lib/format.ts';
import { Button, Card, CopyButton, ErrorNote, PageHeader, TextField, FileDrop } from '../../ui/primitives.tsx';
import { Person } from '../contacts/Person.tsx';
import { InclusionForm } from './InclusionForm.tsx';
import { VerifyBadge } from '../badges/VerifyBadge.tsx';

const sentence = (text: string) => {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/u.test(s) ? s : `${s}.`;
};

function What({ proof }: { proof: VerifiedProof }) {
  if (proof.kind === 'feat') {
    return (
      <dl className="facts">
        <dt>{proof.valid ? 'Proves' : 'Claims, unproven'}</dt>
        <dd>{proof.proves === 'authority' ? 'An authority from a trusted set' : `${proof.witnesses ?? 'Enough'} different witnesses from a trusted set`} signed {proof.title ? <strong>“{proof.title}”</strong> : 'the feat'}, without saying who.</dd>
        {proof.featType ? <><dt>Kind</dt><dd><span className="kind">{proof.featType}</span></dd></> : null}
        {proof.criteria ? <><dt>Criteria</dt><dd>{proof.criteria}</dd></> : null}
        <dt>Claimed by</dt><dd>{proof.holder === undefined ? 'Not said' : <><Person did={proof.holder} /> <span className="mono small break">{proof.holder}</span></>}</dd>
        {proof.claimedAt ? <><dt>Claimed</dt><dd>{formatTime(proof.claimedAt)}</dd></> : null}
        <dt>Trust root</dt><dd className="mono break small">{proof.root}</dd>
        <dt>Nonce</dt><dd className="mono break">{proof.nonce}</dd>
        <dt>Claim id</dt><dd className="mono break small">{proof.claim}</dd>
      </dl>
    );
  }
  if (proof.kind === 'attribute') {
    const what = proof.op === 'in' ? `is one of ${(proof.set ?? []).join(', ')}` : `${proof.op === 'gte' ? 'is at least' : proof.op === 'lte' ? 'is at most' : 'equals'} ${proof.bound}`;
    return (
      <dl className="facts">
        <dt>{proof.valid ? 'Proves' : 'Claims, unproven'}</dt><dd>The field <strong>{proof.field}</strong> of {proof.holder ? <Person did={proof.holder} /> : 'its holder'} {what}, as its issuer signed it, without showing its value.</dd>
        <dt>Issuer</dt><dd>{proof.issuer ? <Person did={proof.issuer} /> : 'none of the issuers you trust'}</dd>
        <dt>Holder</dt><dd className="mono break">{proof.holder}</dd>
        {proof.nonce ? <><dt>Nonce</dt><dd className="mono break">{proof.nonce}</dd></> : null}
      </dl>
    );
  }
  return null;
}

function Outcome() {
  const result = useStore(verifyStore, (s) => s.result);
  const unlocked = useStore(sessionStore, (s) => s.status?.state === 'unlocked');
  if (result === null) return null;
  const { proof, trustRoot, trust, nonce } = result;
  const checked = proof.checkedAgainst === undefined ? null : trust !== null && 'list' in trust ? `your trusted ${proof.kind === 'attribute' ? 'issuers' : 'witnesses'} (${proof.members ?? 0})` : proof.checkedAgainst;
  return (
    <section className="stack verdict" aria-labelledby="verify-outcome" aria-live="polite">
      <h2 id="verify-outcome" className={proof.valid ? 'verdict-ok' : 'verdict-bad'}>
        {proof.valid ? '✓ Valid proof' : '✗ Not valid'}
      </h2>
      <p className="muted small">{result.name}</p>
      {proof.valid ? null : <p className="note note-error" role="alert">{sentence(proof.reason ?? 'the proof does not verify')}</p>}
      <What proof={proof} />
      {checked === null ? null : <p className="muted small">Checked against {checked}.</p>}
      {proof.valid && proof.kind === 'feat' && trustRoot === null && trust === null ? (
        <p className="note note-warning">You gave no trust root, so this only shows that witnesses of <em>some</em> trust set signed. Check that the root above is the one you rely on, or enter it and verify again.</p>
      ) : null}
      {proof.valid && proof.kind === 'feat' && (trustRoot !== null || trust !== null) ? <p className="note note-success">The witnesses are from the trust set you gave.</p> : null}
      {proof.valid && proof.kind === 'attribute' ? <p className="note note-success">The issuer is one you trust, and the proof answers your nonce.</p> : null}
      {proof.valid && proof.kind !== null && nonce === null ? (
        <p className="muted small">It answered a nonce asked for on this device, which is now used: the same file will not be taken again.</p>
      ) : null}
      {proof.valid && proof.kind !== null && nonce !== null ? (
        <p className="muted small">You checked the nonce yourself: this device does not remember it, so keep your own record to refuse a replay.</p>
      ) : null}
      {proof.valid && proof.kind === 'feat' && unlocked ? <ChallengeThisFeat text={result.text} title={String(proof.title ?? proof.claim ?? '')} holder={String(proof.holder ?? '')} /> : null}
    </section>
  );
}

/** The form and its outcome, without a page heading (the onboarding frame has its own). */
export function VerifyForm() {
  const { busy, error, cancelled, verify, cancel } = useStore(verifyStore);
  const [file, setFile] = useState<File | null>(null);
  const [root, setRoot] = useState('');
  const [against, setAgainst] = useState<'root' | 'mine' | 'authority' | 'members'>('root');
  const [authority, setAuthority] = useState('');
  const [members, setMembers] = useState('');
  const [nonce, setNonce] = useState('');
  const [archives, setArchives] = useState<File[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const rootOk = against !== 'root' || root === '' || WHOLE_DIGITS.test(root);
  const authorityOk = against !== 'authority' || looksLikeDid(authority);
  const memberList = members.split(/[\s,]+/u).filter((d) => d !== '');
  const membersOk = against !== 'members' || (memberList.length > 0 && memberList.every(looksLikeDid));
  const nonceOk = nonce === '' || WHOLE_DIGITS.test(nonce);
  const trust: VerifyTrust | null = against === 'mine' ? { list: 'mine' } : against === 'authority' ? { authority } : against === 'members' ? { members: memberList } : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (file === null || !rootOk || !authorityOk || !membersOk || !nonceOk) return;
    if (file.size > MAX_PROOF_FILE_CHARS) return setProblem('This file is far larger than a proof. Check that you chose the right file.');
    const listed = against === 'authority' || against === 'members' ? archives : [];
    if (listed.some((a) => a.size > MAX_LIST_ARCHIVE_BYTES)) return setProblem('An archive file is larger than a witness’s chain can be. Check that you chose the right files.');
    setProblem(null);
    const bytes = await Promise.all(listed.map(async (a) => new Uint8Array(await a.arrayBuffer())));
    await verify({ name: file.name, text: await file.text(), ...(against === 'root' && root ? { trustRoot: root } : {}), ...(trust ? { trust } : {}), ...(nonce ? { nonce } : {}), archives: bytes });
  };
  return (
    <div className="stack">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Verify a proof">
        <FileDrop id="proof-file" label="Proof file" hint="Drop the file here, or choose it. It is checked on this device with the verification keys alone; nothing is sent anywhere." file={file} onFile={setFile} />
        <fieldset className="radios">
          <legend>Check the witnesses (feat proofs) or issuers (attribute proofs) against</legend>
          <label className="radio"><input type="radio" name="verify-against" checked={against === 'root'} onChange={() => setAgainst('root')} /> A trust root I computed</label>
          {against === 'root' ? (
            <div className="indent">
              <TextField label="Trust root you rely on (optional)" value={root} onChange={(e) => setRoot(e.target.value.trim())} inputMode="numeric" autoComplete="off" spellCheck={false}
                hint="A root you computed yourself, for example with defaust trust root --of." error={rootOk ? null : 'Digits only.'} />
            </div>
          ) : null}
          <label className="radio"><input type="radio" name="verify-against" checked={against === 'mine'} onChange={() => setAgainst('mine')} /> My trusted witnesses or issuers (needs the wallet unlocked)</label>
          <label className="radio"><input type="radio" name="verify-against" checked={against === 'authority'} onChange={() => setAgainst('authority')} /> An authority’s list</label>
          {against === 'authority' ? (
            <div className="indent">
              <TextField label="The authority’s identity" value={authority} onChange={(e) => setAuthority(e.target.value.trim())} autoComplete="off" spellCheck={false}
                hint="The witnesses or issuers this authority published as its community list." error={authority === '' || authorityOk ? null : 'An identity is a did:key such as did:key:z6Mk….'} />
            </div>
          ) : null}
          <label className="radio"><input type="radio" name="verify-against" checked={against === 'members'} onChange={() => setAgainst('members')} /> These people</label>
          {against === 'members' ? (
            <div className="indent">
              <TextField label="Their identities, separated by commas" value={members} onChange={(e) => setMembers(e.target.value)} autoComplete="off" spellCheck={false}
                hint="The trust root is computed here from each one’s public key, never taken from the file." error={members === '' || membersOk ? null : 'Each one is a did:key such as did:key:z6Mk….'} />
            </div>
          ) : null}
        </fieldset>
        {against === 'authority' || against === 'members' ? (
          <div className="field">
            <label htmlFor="list-archives">Their archive files (optional)</label>
            <input id="list-archives" type="file" multiple onChange={(e) => setArchives([...(e.target.files ?? [])])} aria-describedby="list-archives-hint" />
            <p className="hint" id="list-archives-hint">{archives.length > 0 ? `Chosen: ${archives.map((a) => a.name).join(', ')}` : 'Each one’s key is read from their chain. With the network on it is fetched; without it, give the archive files they exported.'}</p>
          </div>
        ) : null}
        <div className="row wrap top">
          <TextField label="Nonce you asked for (optional)" value={nonce} onChange={(e) => setNonce(e.target.value.trim())} inputMode="numeric" autoComplete="off"
            hint="Leave empty to take a proof only for a nonce asked for here, once. Give a number to check that number alone." error={nonceOk ? null : 'Digits only.'} />
        </div>
        {problem ? <div className="note note-error" role="alert">{problem}</div> : null}
        <ErrorNote error={error} />
        <div className="row">
          <Button type="submit" variant="primary" disabled={file === null || !rootOk || !authorityOk || !membersOk || !nonceOk} busy={busy}>Verify</Button>
          {busy ? <Button onClick={() => void cancel()}>Cancel</Button> : null}
        </div>
        {cancelled ? <p className="muted" role="status">Cancelled: the proof was not checked.</p> : null}
      </form>
      <Outcome />
    </div>
  );
}

/** Issues a nonce for the holder to prove against: shown with a copy button and when it stops being taken. */
export function AskForProof() {
  const { asked, asking, ask } = useStore(verifyStore);
  return (
    <section className="stack" aria-labelledby="ask-for-proof">
      <h2 id="ask-for-proof">Ask for a proof</h2>
      <p className="muted small">Give the holder a fresh number to prove against. This device takes one proof for it, so an old or copied proof cannot be shown to you again.</p>
      <div className="row">
        <Button onClick={() => void ask()} busy={asking}>{asked ? 'Ask again (new nonce)' : 'Ask for a proof'}</Button>
      </div>
      {asked ? (
        <dl className="facts" aria-live="polite">
          <dt>Nonce</dt><dd className="peer-id-row"><span className="mono break">{asked.nonce}</span><CopyButton text={asked.nonce} what="nonce" /></dd>
          <dt>Taken until</dt><dd>{formatTime(asked.expires)}</dd>
          <dt>The holder runs</dt><dd className="mono break small">defaust prove feat &lt;claim&gt; --nonce {asked.nonce}<br />or: defaust prove attribute --field &lt;tag&gt; --op gte --bound &lt;N&gt; --nonce {asked.nonce} --out proof.json (or Profile → Prove this field)</dd>
        </dl>
      ) : null}
    </section>
  );
}

export function VerifyScreen() {
  return (
    <>
      <PageHeader title="Verify a proof" />
      <Card>
        <AskForProof />
      </Card>
      <Card>
        <VerifyForm />
      </Card>
      <Card title="Is this block in their history?">
        <InclusionForm />
      </Card>
      <Card>
        <VerifyBadge />
      </Card>
    </>
  );
}
