// What a registered client does when a grantee asks it for a section while the owner is offline: checks
// that the client is registered for the section and that the grantee holds a grant in term, answers with
// what the client's own grant opens, and records every request — served or refused — in its audit log.
// Grants and registrations of v2 blocks are sealed: the client opens them with the meta key its `registry`
// block handed it; until it holds one, it folds only what is in the clear.
import { GrantBook } from '../access/grant-book.ts';
import { AccessDeniedError } from '../access/grants.ts';
import { readGranted } from '../access/reader.ts';
import type { Archive } from '../archive/archive.ts';
import { decodeHeader, type Header } from '../chain/header.ts';
import { hasPrivateMeta, revealMeta } from '../chain/private-meta.ts';
import { recipientSecret } from '../identity/recipient.ts';
import type { Crypto } from '../crypto/port.ts';
import type { Did } from '../identity/did.ts';
import type { AuditStore } from '../ports.ts';
import type { Value } from '../chain/ops.ts';
import { RegistryBook } from './registry.ts';

export interface ServeReadRequest {
  archive: Archive;
  /** The client's own identity seed and id (a registered client is an identity of its own). */
  clientSeed: Uint8Array;
  client: Did;
  requester: Did;
  section: string;
  now: number;
}

/** The client is not registered (or no longer) to serve this section for this owner. */
export class ClientNotRegisteredError extends AccessDeniedError {
  override name = 'ClientNotRegisteredError';
}

/** The grants and registrations of `archive` as the client holding `clientSeed` can fold them. */
export function clientView(crypto: Crypto, archive: Pick<Archive, 'headers'>, clientSeed: Uint8Array): { grants: GrantBook; registry: RegistryBook } {
  const grants = new GrantBook();
  const registry = new RegistryBook();
  const headers = archive.headers.map((bytes) => decodeHeader(crypto, bytes).header);
  const metaKey = metaKeyHandedTo(crypto, headers, clientSeed);
  for (const header of headers) {
    if (hasPrivateMeta(header) && metaKey === null) continue;
    const view = metaKey === null ? header : revealMeta(crypto, metaKey, header);
    grants.fold(view, () => null);
    registry.fold(view, () => null);
  }
  return { grants, registry };
}

/**
 * Serves one read; throws AccessDeniedError (after auditing it) when the requester lacks the right, its
 * subclass ClientNotRegisteredError when the client does.
 */
export function serveRead(crypto: Crypto, audit: Pick<AuditStore, 'append'>, request: ServeReadRequest): Record<string, Value> {
  const { archive, client, requester, section, now } = request;
  const { grants, registry } = clientView(crypto, archive, request.clientSeed);
  const record = (served: boolean, reason: string) =>
    audit.append({ owner: archive.id, requester, section, ts: now, served, reason, client });
  if (!registry.active(client)?.sections.includes(section)) {
    record(false, 'client not registered for this section');
    throw new ClientNotRegisteredError(section, `this client is not registered to serve ${section} for ${archive.id}`);
  }
  if (!grants.holds(requester, section, now)) {
    record(false, 'no grant in term');
    throw new AccessDeniedError(section, `${requester} holds no grant in term on ${section}`);
  }
  const view = readGranted(crypto, archive, request.clientSeed, client, section);
  record(true, 'served');
  return view.state[section]?.fields ?? {};
}

/** The owner's meta key, from the first `registry` block that sealed it to this client; null when none did. */
function metaKeyHandedTo(crypto: Crypto, headers: readonly Header[], clientSeed: Uint8Array): Uint8Array | null {
  const secret = recipientSecret(clientSeed);
  for (const header of headers) {
    const sealed = header.kind === 'registry' ? header.meta.key : undefined;
    if (!(sealed instanceof Uint8Array)) continue;
    const key = crypto.box.open(secret, sealed);
    if (key !== null && key.length === 32) return key;
  }
  return null;
}
