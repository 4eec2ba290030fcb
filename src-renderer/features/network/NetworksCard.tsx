// "Private networks" on the Network screen: the networks of this home and the one the node runs in, make one,
// invite a contact (signed by you: a SignDialog shows what is signed first), join from an invite file or a mail,
// leave. The node runs in one network at a time, chosen when it starts (`defaust serve --network NAME`).
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { MAX_NETWORK_INVITE_BYTES, NETWORK_NAME } from '../../../src-shared/rules/networks.ts';
import { contactsStore, networksStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { formatTime, shortId } from '../../lib/format.ts';
import { Button, Card, ConfirmDialog, ErrorNote, FileForm, SuccessNote, TextField } from '../../ui/primitives.tsx';

export function NetworksCard() {
  const { listed, busy, failed, error, done, inviteFile, load, create, invite, join, leave } = useStore(networksStore);
  const contacts = useStore(contactsStore, (s) => s.contacts);
  const [name, setName] = useState('');
  const [target, setTarget] = useState<{ network: string; to: string } | null>(null);
  const [to, setTo] = useState<Record<string, string>>({});
  const [signing, setSigning] = useState<{ network: string; to: string } | null>(null);
  const [leaving, setLeaving] = useState<string | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  const nameBad = name !== '' && (!NETWORK_NAME.test(name) || name === 'public');
  const submitCreate = async (e: FormEvent) => {
    e.preventDefault();
    if (name === '' || nameBad) return;
    if (await create(name)) setName('');
  };
  const running = listed?.running ?? null;
  return (
    <Card title="Private networks">
      <p className="muted">
        A private network is a closed community’s own network: only devices holding its key can connect. This device runs in{' '}
        {running === null ? <strong>the public network</strong> : <strong>the private network “{running.name}”</strong>}
        {running === null ? '' : ' — WebRTC is off inside it'}. The node runs in one network at a time, chosen when it starts (defaust serve --network NAME).
      </p>
      {failed !== null ? <ErrorNote error={error} /> : null}
      {done !== null ? <SuccessNote>{done}{inviteFile !== null ? <> <Button onClick={() => saveDownload(inviteFile)}>Save the invite file</Button></> : null}</SuccessNote> : null}
      {listed === null || listed.networks.length === 0 ? <p className="muted">This device belongs to no private network.</p> : (
        <table className="listing">
          <caption className="sr-only">Private networks of this device</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">From</th><th scope="col">Invite a contact</th><th scope="col"><span className="sr-only">Leave</span></th></tr></thead>
          <tbody>
            {listed.networks.map((n) => (
              <tr key={n.id}>
                <th scope="row">{n.name}{running?.id === n.id ? ' (running)' : ''}</th>
                <td className="mono small" title={n.id}>{n.id.slice(0, 12)}…</td>
                <td className="small">{n.from === null ? `made here, ${formatTime(n.joinedAt)}` : `invited by ${shortId(n.from)}, ${formatTime(n.joinedAt)}`}</td>
                <td>
                  <form className="inline" aria-label={`Invite to ${n.name}`} onSubmit={(e) => {
                    e.preventDefault();
                    const did = (to[n.name] ?? '').trim();
                    if (did !== '') setSigning({ network: n.name, to: did });
                  }}>
                    <select aria-label={`Contact to invite to ${n.name}`} value={to[n.name] ?? ''} onChange={(e) => setTo({ ...to, [n.name]: e.target.value })}>
                      <option value="">Choose a contact…</option>
                      {(contacts ?? []).map((c) => <option key={c.did} value={c.did}>{c.name}</option>)}
                    </select>
                    <Button type="submit" busy={busy === 'invite' && target?.network === n.name}>Invite</Button>
                  </form>
                </td>
                <td><Button variant="danger" onClick={() => setLeaving(n.name)}>Leave</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {listed !== null && listed.waiting.length > 0 ? (
        <>
          <h3>Invites in your mail</h3>
          <ul className="plain">
            {listed.waiting.map((w) => (
              <li key={w.id}>From {shortId(w.from)}, {formatTime(w.receivedAt)} <Button busy={busy === 'join'} onClick={() => void join({ mail: w.id })}>Join</Button></li>
            ))}
          </ul>
        </>
      ) : null}
      <form className="stack" onSubmit={(e) => void submitCreate(e)} noValidate aria-label="Make a private network">
        <TextField label="New network’s name" hint="1–32 lower-case letters, digits or -, starting with a letter." value={name} onChange={(e) => setName(e.target.value)}
          error={nameBad ? 'A network name is 1–32 lower-case letters, digits or -, starting with a letter (not “public”).' : null} />
        <div><Button type="submit" variant="primary" busy={busy === 'create'}>Make network</Button></div>
      </form>
      <FileForm title="Join from an invite file" id="network-invite-file" label="Invite file" hint="A .network-invite file a member gave you: it opens only with your key."
        maxBytes={MAX_NETWORK_INVITE_BYTES * 2} tooLarge="An invite file is at most 8 KiB." submitLabel="Join" busy={busy === 'join'} onBytes={(bytes) => join({ bytes: inviteBytes(bytes) })} />
      {signing !== null ? (
        <ConfirmDialog title="Sign this invite?" confirmLabel="Sign: invite" variant="primary" signs busy={busy === 'invite'}
          onCancel={() => setSigning(null)}
          onConfirm={() => {
            const asked = signing;
            setTarget(asked);
            setSigning(null);
            void invite(asked.network, asked.to);
          }}>
          <dl className="facts">
            <div className="fact"><dt>Network</dt><dd>{signing.network}</dd></div>
            <div className="fact"><dt>Its key, for</dt><dd>{contacts?.find((c) => c.did === signing.to)?.name ?? 'this id'} <span className="mono break small">{signing.to}</span></dd></div>
            <div className="fact"><dt>Signed by</dt><dd>you</dd></div>
          </dl>
          <p className="muted small">Confirming signs an invite in your name that gives this contact the network’s key, sealed so that only they can open it. A member can pass the key on: only re-keying the network shuts anyone out.</p>
        </ConfirmDialog>
      ) : null}
      {leaving !== null ? (
        <ConfirmDialog title={`Leave “${leaving}”?`} confirmLabel="Leave" onCancel={() => setLeaving(null)} onConfirm={() => {
          const name = leaving;
          setLeaving(null);
          void leave(name);
        }}>
          <p>The network’s key is removed from this device. To come back you need a new invite.</p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}

/** An invite file's bytes: raw, or the base64 line `defaust network invite` prints. */
function inviteBytes(file: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(file).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/u.test(text)) return file;
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
