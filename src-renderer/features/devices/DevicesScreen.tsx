// Devices & services: this identity's device keys (the current one marked; add; revoke after a
// confirmation), the services registered to serve sections while you are offline, and the audit log.
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { AuditEntry, Client, Device, Request } from '../../../src-preload/api/contract.ts';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { pairingCode } from '../../../src-shared/rules/pairing.ts';
import { accessStore, devicesStore } from '../../app/stores.ts';
import { formatTime, shortId } from '../../lib/format.ts';
import { Busy, Button, Card, ConfirmDialog, SignDialog, ErrorNote, PageHeader, SuccessNote, TextField } from '../../ui/primitives.tsx';
import { MAX_LABEL_CHARS } from '../../../src-shared/rules/text.ts';
import { Person } from '../contacts/Person.tsx';
import { MyId } from '../contacts/MyId.tsx';

const PEER_RE = /^[1-9A-HJ-NP-Za-km-z]{32,128}$/u;

type Pending = { kind: 'device'; item: Device } | { kind: 'client'; item: Client };

function DevicesTable({ devices, onRevoke }: { devices: Device[]; onRevoke(d: Device): void }) {
  return (
    <table className="listing">
      <caption className="sr-only">Devices of this identity</caption>
      <thead>
        <tr><th scope="col">Device</th><th scope="col">Key</th><th scope="col">Added</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
      </thead>
      <tbody>
        {devices.map((d) => (
          <tr key={d.device}>
            <th scope="row" className="plain-th">{d.label || 'Unnamed device'}</th>
            <td><Person did={d.device} /></td>
            <td>{formatTime(d.addedAt)}</td>
            <td>
              {d.current ? <span className="mark mark-ok">This device</span>
                : d.revokedSeq !== null ? <span className="mark mark-bad">Revoked in block #{d.revokedSeq}</span>
                : 'Active'}
            </td>
            <td className="actions">
              {d.current || d.revokedSeq !== null ? null : (
                <Button variant="ghost" aria-label={`Revoke device ${d.label || shortId(d.device)}`} onClick={() => onRevoke(d)}>Revoke</Button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ClientsTable({ clients, onRevoke }: { clients: Client[]; onRevoke(c: Client): void }) {
  if (clients.length === 0) return <p className="muted">No service serves your profile while you are offline.</p>;
  return (
    <table className="listing">
      <caption className="sr-only">Registered services</caption>
      <thead>
        <tr><th scope="col">Service</th><th scope="col">Key</th><th scope="col">Serves</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
      </thead>
      <tbody>
        {clients.map((c) => (
          <tr key={`${c.client} ${c.addedSeq}`}>
            <th scope="row" className="plain-th">{c.label || 'Unnamed service'}</th>
            <td><Person did={c.client} /></td>
            <td>{c.sections.join(', ')}</td>
            <td>{c.revokedSeq !== null ? <span className="mark mark-bad">Revoked in block #{c.revokedSeq}</span> : 'Active'}</td>
            <td className="actions">
              {c.revokedSeq !== null ? null : <Button variant="ghost" aria-label={`Revoke service ${c.label || shortId(c.client)}`} onClick={() => onRevoke(c)}>Revoke</Button>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AuditTable({ entries, clients }: { entries: AuditEntry[]; clients: Client[] }) {
  if (entries.length === 0) return <p className="muted">No read has been recorded yet. Reads your registered services answer while you are offline show here once their report reaches your mailboxes.</p>;
  const labels = new Map(clients.map((c) => [c.client, c.label]));
  return (
    <table className="listing">
      <caption className="sr-only">Audit log</caption>
      <thead>
        <tr><th scope="col">When</th><th scope="col">Who asked</th><th scope="col">Whose profile</th><th scope="col">Served by</th><th scope="col">Section</th><th scope="col">Answer</th></tr>
      </thead>
      <tbody>
        {[...entries].reverse().map((e, i) => (
          <tr key={`${e.ts} ${i}`}>
            <th scope="row" className="plain-th">{formatTime(e.ts)}</th>
            <td><Person did={e.requester} /></td>
            <td><Person did={e.owner} /></td>
            <td>{e.client === undefined ? 'this wallet' : labels.get(e.client) ? <span title={e.client}>{labels.get(e.client)}</span> : <Person did={e.client} />}</td>
            <td>{e.section}</td>
            <td>{e.served ? <span className="mark mark-ok">Served</span> : <span className="mark mark-bad">Refused{e.reason ? `: ${e.reason}` : ''}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddDeviceForm() {
  const { busy, error, failed, done, addDevice } = useStore(devicesStore);
  const [device, setDevice] = useState('');
  const [label, setLabel] = useState('');
  const ok = looksLikeDid(device.trim());
  const [asking, setAsking] = useState<{ device: string; label: string } | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ok) setAsking({ device: device.trim(), label: label.trim() });
  };
  const sign = async () => {
    if (asking === null) return;
    // The dialog closes first, so that the focus can go to the result once it shows.
    setAsking(null);
    const added = await addDevice(asking.device, asking.label || undefined);
    if (added) {
      setDevice('');
      setLabel('');
    }
  };
  return (
    <form className="stack editor" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a device">
      <h3>Add a device</h3>
      <div className="row wrap">
        <TextField label="Device key (did:key)" value={device} onChange={(e) => setDevice(e.target.value)} placeholder="did:key:z6Mk…" spellCheck={false} autoComplete="off"
          error={device.trim() !== '' && !ok ? 'A device key starts with did:key:z and has no spaces.' : null}
          hint={ok ? <>Pairing code <strong className="mono">{pairingCode(device.trim())}</strong>: check that the new device shows the same code under “This device's id”.</> : undefined} />
        <TextField label="Name (optional)" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={MAX_LABEL_CHARS} placeholder="Phone" />
      </div>
      {failed === 'add-device' ? <ErrorNote error={error} /> : null}
      {done === 'add-device' ? <SuccessNote focus>Device added. Blocks it signs are now yours.</SuccessNote> : null}
      <div className="row"><Button type="submit" disabled={!ok} busy={busy === 'add-device'}>Add device</Button></div>
      {asking !== null ? (
        <SignDialog title="Certify this device?" confirmLabel="Sign and add device" busy={busy === 'add-device'} onConfirm={() => void sign()} onCancel={() => setAsking(null)}
          facts={[['Device', <span key="d" className="mono small break">{asking.device}</span>], ['Pairing code', <strong key="c" className="mono">{pairingCode(asking.device)}</strong>], ['Name', asking.label || 'Unnamed device']]}>
          <p className="note note-warning">Sign only if the new device shows the same pairing code. Everything it signs from now on counts as yours, until you revoke it.</p>
        </SignDialog>
      ) : null}
    </form>
  );
}

function AddClientForm() {
  const { busy, error, failed, done, addClient } = useStore(devicesStore);
  const sections = useStore(accessStore, (s) => s.sections);
  const [client, setClient] = useState('');
  const [label, setLabel] = useState('');
  const [peer, setPeer] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const ok = looksLikeDid(client.trim()) && chosen.length > 0 && (peer.trim() === '' || PEER_RE.test(peer.trim()));
  const [asking, setAsking] = useState<Request<'registry:add'> | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    setAsking({ client: client.trim(), sections: chosen, ...(label.trim() ? { label: label.trim() } : {}), ...(peer.trim() ? { peer: peer.trim() } : {}) });
  };
  const sign = async () => {
    if (asking === null) return;
    setAsking(null);
    const added = await addClient(asking);
    if (added) {
      setClient('');
      setLabel('');
      setPeer('');
      setChosen([]);
    }
  };
  return (
    <form className="stack editor" onSubmit={(e) => void submit(e)} noValidate aria-label="Register a service">
      <h3>Register a service</h3>
      <p className="muted">A service holds the keys of the sections you choose and answers people you granted while you are offline. It logs every read.</p>
      <div className="row wrap">
        <TextField label="Service key (did:key)" value={client} onChange={(e) => setClient(e.target.value)} placeholder="did:key:z6Mk…" spellCheck={false} autoComplete="off"
          error={client.trim() !== '' && !looksLikeDid(client.trim()) ? 'A service key starts with did:key:z and has no spaces.' : null} />
        <TextField label="Name (optional)" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={MAX_LABEL_CHARS} placeholder="Home server" />
      </div>
      <TextField label="Peer id (optional)" value={peer} onChange={(e) => setPeer(e.target.value)} spellCheck={false} autoComplete="off"
        error={peer.trim() !== '' && !PEER_RE.test(peer.trim()) ? 'A peer id is a long run of letters and digits (base58).' : null} />
      <fieldset className="checks">
        <legend>Sections it serves</legend>
        {sections.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={chosen.includes(s)} onChange={(e) => setChosen(e.target.checked ? [...chosen, s] : chosen.filter((x) => x !== s))} />
            {s}
          </label>
        ))}
      </fieldset>
      {failed === 'add-client' ? <ErrorNote error={error} /> : null}
      {done === 'add-client' ? <SuccessNote focus>Service registered. It received the keys of the sections you chose.</SuccessNote> : null}
      <div className="row"><Button type="submit" disabled={!ok} busy={busy === 'add-client'}>Register service</Button></div>
      {asking !== null ? (
        <SignDialog title="Register this service?" confirmLabel="Sign and register" busy={busy === 'add-client'} onConfirm={() => void sign()} onCancel={() => setAsking(null)}
          facts={[
            ['Service', <span key="s" className="mono small break">{asking.client}</span>],
            ['Name', asking.label ?? 'Unnamed service'],
            ['Peer', asking.peer ?? 'any'],
            ['Grants it', `Read on ${asking.sections.join(', ')}, for as long as each section's current keys last (until you revoke the service)`],
          ]}>
          <p className="muted">A service has a key of its own: DeFaust refuses the id of a person you granted or revoked.</p>
        </SignDialog>
      ) : null}
    </form>
  );
}

export function DevicesScreen() {
  const { devices, clients, audit, busy, error, failed, done, load, revokeDevice, revokeClient } = useStore(devicesStore);
  const loadAccess = useStore(accessStore, (s) => s.load);
  const [pending, setPending] = useState<Pending | null>(null);
  useEffect(() => {
    devicesStore.setState({ done: null, error: null, failed: null });
    void load();
    void loadAccess();
  }, [load, loadAccess]);
  const confirm = async () => {
    if (pending === null) return;
    const ok = pending.kind === 'device' ? await revokeDevice(pending.item.device) : await revokeClient(pending.item.client);
    if (ok) setPending(null);
  };
  const revokeFailed = failed === 'revoke-device' || failed === 'revoke-client';
  return (
    <>
      <PageHeader title="Devices & services" />
      {failed === 'load' ? <ErrorNote error={error} /> : null}
      {devices?.find((d) => d.current) ? (
        <Card title="This device's id">
          <MyId did={devices.find((d) => d.current)!.device} title="Give this id to pair this device" what="this device's id" />
          <p>Pairing code <strong className="mono" data-testid="pairing-code">{pairingCode(devices.find((d) => d.current)!.device)}</strong>: the device that adds this one shows the same code before it signs.</p>
        </Card>
      ) : null}
      <Card title="Devices">
        <p className="muted">Each device has its own key, certified by your identity. A revoked device can no longer sign anything in your name.</p>
        {done === 'revoke-device' ? <SuccessNote>Device revoked.</SuccessNote> : null}
        {devices === null ? <Busy label="Loading devices…" /> : <DevicesTable devices={devices} onRevoke={(item) => setPending({ kind: 'device', item })} />}
        <AddDeviceForm />
      </Card>
      <Card title="Services">
        {done === 'revoke-client' ? <SuccessNote>Service revoked. Its access ends now, with new keys for its sections.</SuccessNote> : null}
        {clients === null ? <Busy label="Loading services…" /> : <ClientsTable clients={clients} onRevoke={(item) => setPending({ kind: 'client', item })} />}
        <AddClientForm />
      </Card>
      <Card title="Audit log">
        <p className="muted">Every read this wallet answered or refused as a service, newest first.</p>
        {audit === null ? <Busy label="Loading the audit log…" /> : <AuditTable entries={audit} clients={clients ?? []} />}
      </Card>
      {pending !== null ? (
        <ConfirmDialog
          title={pending.kind === 'device' ? `Revoke the device ${pending.item.label || shortId(pending.item.device)}?` : `Revoke the service ${pending.item.label || shortId(pending.item.client)}?`}
          confirmLabel={pending.kind === 'device' ? 'Revoke device' : 'Revoke service'}
          signs
          busy={busy === 'revoke-device' || busy === 'revoke-client'}
          onConfirm={() => void confirm()}
          onCancel={() => setPending(null)}>
          {pending.kind === 'device'
            ? <p className="note note-warning">Anything it signs from now on will not count as yours. A revoked device cannot be added back; use a new key for it.</p>
            : <p className="note note-warning">It keeps what it has already received. It cannot open anything you write from now on, and stops serving your sections.</p>}
          {revokeFailed ? <ErrorNote error={error} /> : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
