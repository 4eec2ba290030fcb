// The always-on clients this identity registered to serve sections while it is offline, written once for
// every face: list, register, end a registration.
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { Did } from '../../core/identity/did.ts';
import type { ClientView } from '../../core/registry/registry.ts';
import type { Session } from '../session.ts';

/** The registered clients and the sections they serve. */
export function listClients(session: Session): ClientView[] {
  return session.profile.registry.list();
}

/** Authorises `client` (optionally at a known libp2p `peer`) to serve `sections` while the owner is offline. */
export function addClient(session: Session, client: Did, sections: string[], options: { peer?: string; label?: string } = {}): BlockSummary {
  return session.profile.registry.add(client, sections, options);
}

/** Ends a client's authorisation and its access to what is written from now on. */
export function revokeClient(session: Session, client: Did): BlockSummary {
  return session.profile.registry.revoke(client);
}
