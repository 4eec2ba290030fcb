// Access: who can see or change which section, until when; granting with plain explanations of each
// right; revoking after a confirmation that says what revocation cannot undo; creating a section.
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { Grant, Rights } from '../../../src-preload/api/contract.ts';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { accessStore } from '../../app/stores.ts';
import { dateInputToMs } from '../../lib/download.ts';
import { formatDay, rightsLabel, shortId } from '../../lib/format.ts';
import { Busy, Button, Card, ConfirmDialog, SignDialog, ErrorNote, PageHeader, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { Person } from '../contacts/Person.tsx';

const RIGHTS: { value: Rights; label: string; explain: string }[] = [
  { value: 'read', label: 'Read', explain: 'They can read this section from any copy of your archive, until the date you choose. They cannot change it.' },
  { value: 'propose', label: 'Propose changes', explain: 'They can read it and send you change requests. Nothing changes until you approve a request in your Inbox.' },
  { value: 'write', label: 'Write', explain: 'They can read it, and their change requests are approved at once by this wallet (for example a trainer writing to fitness).' },
];

const SECTION_RE = /^[a-z][a-z0-9-]{0,31}$/u;

function todayPlus(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function GrantsTable({ grants, onRevoke }: { grants: Grant[]; onRevoke(g: Grant): void }) {
  if (grants.length === 0) return <p className="muted">Nobody else can see any section of your profile.</p>;
  const sorted = [...grants].sort((a, b) => a.section.localeCompare(b.section) || a.grantee.localeCompare(b.grantee));
  return (
    <table className="grants">
      <caption className="sr-only">Who can see or change what, until when</caption>
      <thead>
        <tr><th scope="col">Who</th><th scope="col">Section</th><th scope="col">Can</th><th scope="col">From</th><th scope="col">Until</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
      </thead>
      <tbody>
        {sorted.map((g) => (
          <tr key={`${g.grantee} ${g.section} ${g.seq}`}>
            <th scope="row"><Person did={g.grantee} /></th>
            <td className="capitalize">{g.section}</td>
            <td><span className={`rights rights-${g.rights}`}>{rightsLabel(g.rights)}</span></td>
            <td>{formatDay(g.from)}</td>
            <td>{formatDay(g.until)}</td>
            <td className="actions">
              <Button variant="ghost" aria-label={`Revoke ${shortId(g.grantee)} on ${g.section}`} onClick={() => onRevoke(g)}>Revoke</Button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GrantForm() {
  const { sections, busy, error, failed, done, grant } = useStore(accessStore);
  const [grantee, setGrantee] = useState('');
  const [section, setSection] = useState('contact');
  const [rights, setRights] = useState<Rights>('read');
  const [until, setUntil] = useState(todayPlus(30));
  const [granted, setGranted] = useState<string | null>(null);
  const didOk = looksLikeDid(grantee.trim());
  const untilMs = dateInputToMs(until);
  const untilOk = untilMs !== null && untilMs >= Date.parse(todayPlus(0));
  const explain = RIGHTS.find((r) => r.value === rights)?.explain ?? '';
  const [asking, setAsking] = useState<{ grantee: string; section: string; rights: Rights; until: number } | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!didOk || untilMs === null || !untilOk) return;
    setGranted(null);
    setAsking({ grantee: grantee.trim(), section, rights, until: untilMs });
  };
  const sign = async () => {
    if (asking === null) return;
    // The dialog closes first, so that the focus can go to the result once it shows.
    setAsking(null);
    const g = await grant(asking);
    if (g !== null) {
      setGranted(`${shortId(g.grantee)} can now ${g.rights === 'read' ? 'read' : g.rights === 'propose' ? 'read and propose changes to' : 'read and write'} ${g.section} until ${formatDay(g.until)}.`);
      setGrantee('');
    }
  };
  return (
    <Card title="Grant access">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Grant access">
        <TextField label="Their identity (did:key)" value={grantee} onChange={(e) => setGrantee(e.target.value)} placeholder="did:key:z6Mk…" spellCheck={false} autoComplete="off"
          hint="Ask them for the identity their DeFaust shows (defaust whoami). Only that identity can open what you grant."
          error={grantee.trim() !== '' && !didOk ? 'That is not a DeFaust identity: it starts with did:key:z and has no spaces.' : null} />
        <div className="row wrap">
          <div className="field">
            <label htmlFor="grant-section">Section</label>
            <select id="grant-section" value={section} onChange={(e) => setSection(e.target.value)}>
              {(sections.length > 0 ? sections : ['contact']).map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="grant-rights">They can</label>
            <select id="grant-rights" value={rights} onChange={(e) => setRights(e.target.value as Rights)} aria-describedby="grant-rights-hint">
              {RIGHTS.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="grant-until">Until</label>
            <input id="grant-until" type="date" value={until} min={todayPlus(0)} onChange={(e) => setUntil(e.target.value)} aria-describedby="grant-until-hint" aria-invalid={untilOk ? undefined : true} />
          </div>
        </div>
        <p className="hint" id="grant-rights-hint">{explain}</p>
        <p className={untilOk ? 'hint' : 'field-error'} id="grant-until-hint">
          {untilOk ? 'Access ends by itself at the end of that day: what you write afterwards is sealed with keys they do not have.' : 'Choose a day from today on.'}
        </p>
        {failed === 'grant' ? <ErrorNote error={error} /> : null}
        {granted !== null && done?.action === 'grant' ? <SuccessNote focus>{granted}</SuccessNote> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={!didOk || !untilOk} busy={busy === 'grant'}>Grant access</Button>
        </div>
      </form>
      {asking !== null ? (
        <SignDialog title="Sign this grant?" confirmLabel="Sign grant" busy={busy === 'grant'} onConfirm={() => void sign()} onCancel={() => setAsking(null)}
          facts={[
            ['Who', <><Person did={asking.grantee} add={false} /> <span className="mono small break">{asking.grantee}</span></>],
            ['Section', asking.section],
            ['Rights', RIGHTS.find((r) => r.value === asking.rights)?.label ?? asking.rights],
            ['From', 'now'],
            ['Until', `the end of ${formatDay(asking.until)} (to the end of the key period that holds it)`],
          ]} />
      ) : null}
    </Card>
  );
}

function SectionForm() {
  const { busy, error, failed, done, sections, createSection } = useStore(accessStore);
  const [name, setName] = useState('');
  const ok = SECTION_RE.test(name);
  const exists = sections.includes(name);
  const [asking, setAsking] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ok && !exists) setAsking(name);
  };
  const sign = async () => {
    if (asking === null) return;
    setAsking(null);
    const created = await createSection(asking);
    if (created) setName('');
  };
  return (
    <Card title="Create a section">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Create a section">
        <p className="muted">A section is what you grant access to. Each has its own keys, so granting one never opens another.</p>
        <div className="row wrap">
          <TextField label="Section name" value={name} onChange={(e) => setName(e.target.value.toLowerCase())} placeholder="work" autoComplete="off"
            error={name !== '' && !ok ? 'Lower-case letters, digits and - only, starting with a letter (up to 32).' : exists ? 'You already have this section.' : null} />
        </div>
        {failed === 'section' ? <ErrorNote error={error} /> : null}
        {done?.action === 'section' ? <SuccessNote focus>Created the section {done.text}.</SuccessNote> : null}
        <div className="row">
          <Button type="submit" disabled={!ok || exists} busy={busy === 'section'}>Create section</Button>
        </div>
      </form>
      {asking !== null ? (
        <SignDialog title="Create this section?" confirmLabel="Sign and create" busy={busy === 'section'} onConfirm={() => void sign()} onCancel={() => setAsking(null)}
          facts={[['Section', asking], ['Keys', 'new keys of its own, for you alone until you grant it']]} />
      ) : null}
    </Card>
  );
}

export function AccessScreen() {
  const { grants, busy, error, failed, done, load, revoke, clear } = useStore(accessStore);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  useEffect(() => {
    clear();
    void load();
  }, [load, clear]);
  const confirm = async () => {
    if (revoking !== null && (await revoke(revoking.grantee, revoking.section))) setRevoking(null);
  };
  return (
    <>
      <PageHeader title="Access" />
      {failed === 'load' ? <ErrorNote error={error} /> : null}
      <Card title="Who can see or change what">
        {done?.action === 'revoke' ? <SuccessNote>Access to {done.text} revoked. New keys protect what you write from now on.</SuccessNote> : null}
        {failed === 'revoke' && revoking === null ? <ErrorNote error={error} /> : null}
        {grants === null ? <Busy label="Loading who has access…" /> : <GrantsTable grants={grants} onRevoke={setRevoking} />}
      </Card>
      <GrantForm />
      <SectionForm />
      {revoking !== null ? (
        <ConfirmDialog title={`Revoke ${shortId(revoking.grantee)} on ${revoking.section}?`} confirmLabel="Revoke access" signs busy={busy === 'revoke'} onConfirm={() => void confirm()} onCancel={() => setRevoking(null)}>
          <p className="note note-warning">They keep what they have already read. They cannot read anything you write from now on.</p>
          <p className="muted">DeFaust starts new keys for {revoking.section} and gives them again to everyone else who still has access.</p>
          {failed === 'revoke' ? <ErrorNote error={error} /> : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
