// A trainer's clients in the Witness inbox: the contacts marked "client", each by name, with the requests of
// theirs waiting here (open the oldest) and how many of their feats you signed off so far. A trainer is an
// authority for a feat type: their sign-off alone meets a client's authority policy.
import { useStore } from 'zustand';
import type { WitnessEntry } from '../../../src-preload/api/contract.ts';
import { contactsStore, navStore, witnessStore } from '../../app/stores.ts';
import { shortId } from '../../lib/format.ts';
import { Button, Card } from '../../ui/primitives.tsx';
import type { PendingRequest } from './store.ts';

export function ClientsCard({ pending, history }: { pending: PendingRequest[]; history: WitnessEntry[] | null }) {
  const contacts = useStore(contactsStore, (s) => s.contacts);
  const { busy, openMail } = useStore(witnessStore);
  const go = useStore(navStore, (s) => s.go);
  const clients = (contacts ?? []).filter((c) => c.roles.includes('client'));
  return (
    <Card title="Your clients">
      {clients.length === 0 ? (
        <p className="muted">No contact is marked as your client. As a trainer, mark the people you coach as clients on the <button type="button" className="link" onClick={() => go('contacts')}>Contacts</button> screen to see their requests here.</p>
      ) : (
        <table className="listing">
          <caption className="sr-only">Your clients and their requests</caption>
          <thead><tr><th scope="col">Client</th><th scope="col">Waiting</th><th scope="col">Signed off</th><th scope="col"><span className="sr-only">Action</span></th></tr></thead>
          <tbody>
            {clients.map((c) => {
              const theirs = pending.filter((p) => p.from === c.did);
              const signed = (history ?? []).filter((e) => e.holder === c.did && e.verdict === 'yes').length;
              return (
                <tr key={c.did}>
                  <th scope="row" className="plain-th">{c.name} <span className="mono small muted" title={c.did}>{shortId(c.did)}</span></th>
                  <td>{theirs.length === 0 ? 'nothing' : `${theirs.length} request${theirs.length === 1 ? '' : 's'}`}</td>
                  <td>{history === null ? '…' : `${signed} feat${signed === 1 ? '' : 's'}`}</td>
                  <td>{theirs.length > 0 ? <Button onClick={() => void openMail(theirs[0]!.id)} disabled={busy !== null} aria-label={`Open the request from ${c.name}`}>Open</Button> : null}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Card>
  );
}
