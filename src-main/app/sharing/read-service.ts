// Read on request (DESIGN §4, service registry), both sides of `/defaust/read/1.0.0`, one verb each:
// - the client (a home running `defaust serve` that an owner registered): `ReadServiceDesk` brings the owner's
//   chain up to date from its replicas, verifies the whole archive, checks its own registration and the
//   requester's grant (core/registry/serve.ts), answers, and signs an audit entry for every request it served
//   or refused; it sends the entries to each owner through the owner's mailboxes (sealed to the owner) and
//   announces itself under the owner's read-service key for the chains it is registered for;
// - the requester: `readThrough` asks a client named by its did (found under the owner's read-service key) or
//   by its multiaddr, and checks the signed, sealed answer;
// - the owner: `takeAuditBatch` keeps the entries its registered clients sent (the mail router calls it).
import { exportArchive, readArchive } from '../../core/archive/archive.ts';
import { AccessDeniedError } from '../../core/access/grants.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { DefaustError } from '../../core/errors.ts';
import { isDid, type Did } from '../../core/identity/did.ts';
import type { SigningIdentity } from '../../core/net/deposit.ts';
import type { AuditStore, ChainStore, Clock } from '../../core/ports.ts';
import { errorFields, type Logger } from '../../core/log.ts';
import { MAX_AUDIT_BATCH, openAuditBatch, sealAuditBatch, signAuditEntry } from '../../core/registry/audit-record.ts';
import { ReadServiceError, readServiceKey, type ReadAnswer, type SignedReadRequest } from '../../core/registry/read-protocol.ts';
import { clientView, ClientNotRegisteredError, serveRead } from '../../core/registry/serve.ts';
import type { Value } from '../../core/chain/ops.ts';
import type { CID } from '../../core/chain/codec.ts';
import { askRead, type ReadDesk, type ReadNode } from '../../adapters/p2p/read.ts';
import type { Libp2pPeer } from '../../adapters/p2p/network.ts';
import type { AuditIntake } from '../mail.ts';
import type { Session } from '../session.ts';

/** What the client side needs of its node. */
export interface ReadServiceDeps {
  crypto: Crypto;
  clock: Clock;
  store: ChainStore;
  audit: () => AuditStore;
  log: Logger;
  /** The client's identity while its wallet is unlocked. */
  identity: () => SigningIdentity | null;
  /** Brings the owner's chain up to date from its replicas (throws when none answers). */
  refresh: (owner: Did) => Promise<unknown>;
  /** Leaves an envelope sealed to `to` at `to`'s mailboxes. */
  send: (from: SigningIdentity, to: Did, envelope: Uint8Array) => Promise<unknown>;
  provide: (key: CID) => Promise<void>;
}

/** The client side: serves reads, audits them, and sends the audit to the owners. */
export class ReadServiceDesk implements ReadDesk {
  private readonly deps: ReadServiceDeps;
  private flushing: Promise<number> = Promise.resolve(0);

  constructor(deps: ReadServiceDeps) {
    this.deps = deps;
  }

  identity(): SigningIdentity | null {
    return this.deps.identity();
  }

  async serve(signed: SignedReadRequest, identity: SigningIdentity): Promise<ReadAnswer> {
    const { crypto, store, clock } = this.deps;
    const { owner, section, requester } = signed.request;
    const now = clock.now();
    const audit = this.deps.audit();
    const record = { append: (entry: { owner: Did; requester: Did; section: string; ts: number; served: boolean; reason: string }) => {
      audit.put(signAuditEntry(crypto, identity.ed25519Seed, { ...entry, client: identity.did }), false);
    } };
    try {
      await this.deps.refresh(owner).catch((error: unknown) => this.deps.log.debug('read service: no fresher chain', { owner, ...errorFields(error) }));
      let archive;
      try {
        archive = readArchive(crypto, exportArchive(store, owner));
      } catch (error) {
        if (!(error instanceof DefaustError)) throw error;
        record.append({ owner, requester, section, ts: now, served: false, reason: 'no valid archive held' });
        throw new ReadServiceError('no-archive', `this client holds no valid archive of ${owner}`);
      }
      try {
        const fields: Record<string, Value> = serveRead(crypto, record, { archive, clientSeed: identity.ed25519Seed, client: identity.did, requester, section, now });
        return { request: signed.id, owner, section, seq: archive.headers.length - 1, fields };
      } catch (error) {
        if (error instanceof ClientNotRegisteredError) throw new ReadServiceError('not-registered', error.message);
        if (error instanceof AccessDeniedError) throw new ReadServiceError('denied', error.message);
        throw error;
      }
    } finally {
      void this.flush();
    }
  }

  /**
   * Sends every audit entry not yet sent to its owner, a batch per owner (one flush at a time); resolves with
   * how many entries reached a mailbox. A failure is logged; the entries wait for the next flush.
   */
  flush(): Promise<number> {
    const run = this.flushing.catch(() => 0).then(() => this.flushOnce());
    this.flushing = run;
    return run;
  }

  private async flushOnce(): Promise<number> {
    const me = this.deps.identity();
    if (me === null) return 0;
    const audit = this.deps.audit();
    const pending = audit.unsent(MAX_AUDIT_BATCH * 5).filter((e) => e.entry.client === me.did);
    const byOwner = new Map<Did, typeof pending>();
    for (const e of pending) byOwner.set(e.entry.owner, [...(byOwner.get(e.entry.owner) ?? []), e]);
    let sent = 0;
    for (const [owner, entries] of byOwner) {
      for (let i = 0; i < entries.length; i += MAX_AUDIT_BATCH) {
        const batch = entries.slice(i, i + MAX_AUDIT_BATCH);
        try {
          await this.deps.send(me, owner, sealAuditBatch(this.deps.crypto, me.did, owner, batch));
          audit.markSent(batch.map((e) => e.id));
          sent += batch.length;
        } catch (error) {
          this.deps.log.warn('audit batch not sent', { owner, entries: batch.length, ...errorFields(error) });
        }
      }
    }
    return sent;
  }

  /** The owners whose chains held here register this client (active), from the headers alone. */
  registeredFor(): Did[] {
    const me = this.deps.identity();
    if (me === null) return [];
    const { crypto, store } = this.deps;
    return store.chains().filter((owner) => {
      if (owner === me.did) return false;
      try {
        return clientView(crypto, { headers: [...store.headers(owner)].map((h) => h.bytes) }, me.ed25519Seed).registry.active(me.did) !== undefined;
      } catch (error) {
        this.deps.log.debug('read service: chain not folded', { owner, ...errorFields(error) });
        return false;
      }
    });
  }

  /** Announces this client under the read-service key of every owner that registered it; resolves with those owners. */
  async announce(): Promise<Did[]> {
    const owners = this.registeredFor();
    await Promise.all(owners.map((owner) => this.deps.provide(readServiceKey(this.deps.crypto, owner))
      .catch((error: unknown) => this.deps.log.warn('read service not announced', { owner, ...errorFields(error) }))));
    return owners;
  }
}

/** Reading through a client needs the peer node, and it is off. */
export class NoNetworkError extends DefaustError {
  override name = 'NoNetworkError';
  constructor() {
    super('read/no-network', 'Reading through a service needs the peer network: turn it on in Network, then try again.');
  }
}

/** What the requester needs of its node. */
export interface ReadThroughNode {
  node: ReadNode & { network: { findProviders(key: CID, limit: number): Promise<Libp2pPeer[]> } };
  /** The peer of this id once connected (a multiaddr `--via` joins it as a bootstrap peer), else null. */
  reachPeer(peerId: string): Promise<Libp2pPeer | null>;
}

export interface ReadThroughView {
  owner: Did;
  section: string;
  client: Did;
  seq: number;
  fields: Record<string, Value>;
}

/** The peer id at the end of a multiaddr (`…/p2p/<id>`), or null. */
export function peerIdOfMultiaddr(via: string): string | null {
  const match = /\/p2p\/([1-9A-HJ-NP-Za-km-z]{32,128})$/u.exec(via);
  return match === null ? null : match[1]!;
}

/**
 * Reads `section` of `owner` through a registered client: `via` is the client's did (its peers are found under
 * the owner's read-service key) or a multiaddr ending in /p2p/<peer id> that `net` is connected to. Throws a
 * ReadServiceError: the client's signed refusal (`denied`, `not-registered`, …), or `not-found` when no peer
 * answers as that client.
 */
export async function readThrough(net: ReadThroughNode, me: SigningIdentity, owner: Did, via: string, section: string, now: number): Promise<ReadThroughView> {
  const ask = async (peer: Libp2pPeer, expectClient?: Did): Promise<ReadThroughView> => {
    const { client, answer } = await askRead(net.node, peer, me, { owner, section, now, ...(expectClient === undefined ? {} : { expectClient }) });
    return { owner, section, client, seq: answer.seq, fields: answer.fields };
  };
  if (isDid(via)) {
    const peers = await net.node.network.findProviders(readServiceKey(net.node.crypto, owner), 20);
    const failures: string[] = [];
    for (const peer of peers) {
      try {
        return await ask(peer, via);
      } catch (error) {
        // The client's own signed refusal is its answer; another peer's (or a transport failure) is not.
        if (error instanceof ReadServiceError && error.remote) throw error;
        failures.push(`${peer.id}: ${error instanceof DefaustError ? error.code : 'failed'}`);
      }
    }
    throw new ReadServiceError('not-found', `no peer answers as ${via} for ${owner} (${peers.length} announced${failures.length > 0 ? `; ${failures.join('; ')}` : ''})`);
  }
  const peerId = peerIdOfMultiaddr(via);
  if (peerId === null) throw new ReadServiceError('malformed', `--via takes a client's did:key or a multiaddr ending in /p2p/<peer id>, not ${JSON.stringify(String(via).slice(0, 80))}`);
  const peer = await net.reachPeer(peerId);
  if (peer === null) throw new ReadServiceError('unreachable', `cannot reach the client at ${via}`);
  return ask(peer);
}

/** The owner's side: keeps the entries of an audit batch its client `from` sent; returns what to note. */
export function takeAuditBatch(
  crypto: Crypto, audit: AuditStore, me: SigningIdentity, from: Did, envelope: Uint8Array, isClient: (client: Did) => boolean,
): { kept: number; refused: number; note: string } {
  const batch = openAuditBatch(crypto, envelope, me, from, isClient);
  let kept = 0;
  for (const entry of batch.entries) if (audit.put(entry, true)) kept++;
  const refusedNote = batch.refused.length > 0 ? `; ${batch.refused.length} refused (${[...new Set(batch.refused.map((r) => r.code))].join(', ')})` : '';
  return { kept, refused: batch.refused.length, note: `${kept} audit entr${kept === 1 ? 'y' : 'ies'} from ${from}${refusedNote}` };
}

/** The mail router's audit intake for an open session: entries from the clients this profile ever registered. */
export function auditIntakeFor(session: Session): AuditIntake {
  const { home, profile, keys } = session;
  const me = { did: profile.id, ed25519Seed: keys.identity.ed25519Seed };
  const isClient = (client: Did) => profile.registry.list().some((c) => c.client === client);
  return (message) => takeAuditBatch(home.crypto, home.audit, me, message.from, message.envelope, isClient);
}
