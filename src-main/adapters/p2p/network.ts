// The NetworkPort of core/net/replicator.ts on a libp2p node: kad-dht for records, closest peers and
// providers, `/defaust/sync/1.0.0` and `/defaust/blob/1.0.0` streams for sessions. Every query runs under its own timeout and
// resolves with what it found by then; `close()` (the node is stopping) ends every query and dial in flight at once.
import { createHash } from 'node:crypto';
import type { KadDHT } from '@libp2p/kad-dht';
import type { Libp2p } from 'libp2p';
import type { CID } from '../../core/chain/codec.ts';
import { SyncError } from '../../core/net/errors.ts';
import type { NetworkPort, PeerRef } from '../../core/net/replicator.ts';
import { BLOB_PROTOCOL } from '../../core/net/blob-session.ts';
import { SYNC_PROTOCOL } from '../../core/net/sync-messages.ts';
import type { SyncChannel } from '../../core/net/sync-session.ts';
import { runSession, type SyncLimits, type TrafficMeter } from './sync.ts';

export type PeerId = Libp2p['peerId'];
export type Multiaddr = ReturnType<Libp2p['getMultiaddrs']>[number];

/** A peer found on the network: its id, and addresses to reach it by when the peer store has none. */
export interface Libp2pPeer extends PeerRef {
  peerId: PeerId;
  multiaddrs: Multiaddr[];
}

/**
 * Adds the addresses `peer` was found at to the peer store before a dial. Only a hint: when the store refuses
 * them the dial goes on with the addresses it already knows and reports its own failure, so this one is dropped.
 */
export async function rememberAddrs(libp2p: Libp2p, peer: Libp2pPeer): Promise<void> {
  if (peer.multiaddrs.length > 0) await libp2p.peerStore.merge(peer.peerId, { multiaddrs: peer.multiaddrs }).catch(() => undefined);
}

/** A peer to reach at known addresses (tests, a configured replica). */
export function peerAt(peerId: PeerId, multiaddrs: Multiaddr[]): Libp2pPeer {
  return { id: peerId.toString(), peerId, multiaddrs };
}

const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

/** XOR distance order in kad-dht's key space (sha-256 of the key, sha-256 of the peer id's multihash). */
function distanceOrder(key: Uint8Array): (a: Libp2pPeer, b: Libp2pPeer) => number {
  const target = sha256(key);
  const cache = new Map<string, Uint8Array>();
  const distance = (peer: Libp2pPeer): Uint8Array => {
    let d = cache.get(peer.id);
    if (d === undefined) {
      const point = sha256(peer.peerId.toMultihash().bytes);
      d = point.map((byte, i) => byte ^ target[i]!);
      cache.set(peer.id, d);
    }
    return d;
  };
  return (a, b) => {
    const da = distance(a);
    const db = distance(b);
    for (let i = 0; i < da.length; i++) if (da[i] !== db[i]) return da[i]! - db[i]!;
    return 0;
  };
}

export interface NetworkTimeouts {
  /** Longest a DHT query (put, get, closest peers, provide, find providers) may run. */
  queryTimeoutMs: number;
  /** Longest a dial plus protocol negotiation may take. */
  dialTimeoutMs: number;
}

export class Libp2pNetwork implements NetworkPort<Libp2pPeer> {
  private readonly libp2p: Libp2p<{ dht: KadDHT }>;
  private readonly limits: SyncLimits & NetworkTimeouts;
  private readonly validate: (key: Uint8Array, value: Uint8Array) => Promise<void>;
  private readonly meter: TrafficMeter | undefined;
  private readonly stopping = new AbortController();

  /**
   * `validate` is the node's own DHT validator: kad-dht stores a local put without validating it, so this
   * port runs it first (a bad record is never published, and the node's stale-record floor is raised).
   */
  constructor(libp2p: Libp2p<{ dht: KadDHT }>, limits: SyncLimits & NetworkTimeouts, validate: (key: Uint8Array, value: Uint8Array) => Promise<void>, meter?: TrafficMeter) {
    this.libp2p = libp2p;
    this.meter = meter;
    this.limits = limits;
    this.validate = validate;
  }

  get self(): string {
    return this.libp2p.peerId.toString();
  }

  private get dht(): KadDHT {
    return this.libp2p.services.dht;
  }

  /** Ends every query and dial in flight with what it found, and makes later ones end at once (the node is stopping). */
  close(): void {
    this.stopping.abort();
  }

  private signal(ms = this.limits.queryTimeoutMs): AbortSignal {
    return AbortSignal.any([this.stopping.signal, AbortSignal.timeout(ms)]);
  }

  async putRecord(key: Uint8Array, value: Uint8Array): Promise<number> {
    await this.validate(key, value);
    const accepted = new Set<string>();
    await drain(this.dht.put(key, value, { signal: this.signal() }), (event) => {
      if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE' && event.record !== undefined && equal(event.record.value, value)) {
        accepted.add(event.from.toString());
      }
    });
    return accepted.size;
  }

  /**
   * Every valid record a peer answered with (kad-dht runs the validator on each as it arrives), the one
   * kad-dht picked first: the caller picks again among all. After the query kad-dht sends the best record to
   * each peer that answered another ("corrections") and fails the whole get when one refuses — as a peer that
   * keeps a stale record does — so the records found are returned whatever the corrections did.
   */
  async getRecords(key: Uint8Array): Promise<Uint8Array[]> {
    const values: Uint8Array[] = [];
    await drain(this.dht.get(key, { signal: this.signal() }), (event) => {
      if (event.name === 'VALUE') values.unshift(event.value);
      else if (event.name === 'PEER_RESPONSE' && event.messageName === 'GET_VALUE' && event.record !== undefined) values.push(event.record.value);
    }, CORRECTION_FAILED);
    return values;
  }

  async closestPeers(key: Uint8Array): Promise<Libp2pPeer[]> {
    const found = new Map<string, Libp2pPeer>();
    await drain(this.dht.getClosestPeers(key, { signal: this.signal() }), (event) => {
      if (event.name === 'FINAL_PEER' && !event.peer.id.equals(this.libp2p.peerId)) {
        found.set(event.peer.id.toString(), { id: event.peer.id.toString(), peerId: event.peer.id, multiaddrs: event.peer.multiaddrs });
      }
    });
    return [...found.values()].sort(distanceOrder(key));
  }

  async provide(cid: CID): Promise<void> {
    await drain(this.dht.provide(cid, { signal: this.signal() }), () => undefined);
  }

  async findProviders(cid: CID, limit: number): Promise<Libp2pPeer[]> {
    const found = new Map<string, Libp2pPeer>();
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, this.signal()]);
    await drain(this.dht.findProviders(cid, { signal }), (event) => {
      if (event.name !== 'PROVIDER') return;
      for (const info of event.providers) {
        if (found.size < limit) found.set(info.id.toString(), { id: info.id.toString(), peerId: info.id, multiaddrs: info.multiaddrs });
      }
      if (found.size >= limit) controller.abort();
    });
    return [...found.values()];
  }

  async reachable(peer: Libp2pPeer): Promise<boolean> {
    await rememberAddrs(this.libp2p, peer);
    const ping = (this.libp2p.services as { ping?: { ping(target: PeerId, options: { signal: AbortSignal }): Promise<number> } }).ping;
    if (ping === undefined) return false;
    // A probe: a peer that does not answer the ping is simply not reachable now.
    return ping.ping(peer.peerId, { signal: this.signal(this.limits.dialTimeoutMs) }).then(() => true, () => false);
  }

  async withSync<T>(peer: Libp2pPeer, session: (channel: SyncChannel) => Promise<T>): Promise<T> {
    return this.withStream(peer, SYNC_PROTOCOL, session);
  }

  /** Opens a `/defaust/blob/1.0.0` stream to the peer for one request (see core/net/blob-session.ts). */
  async withBlobs<T>(peer: Libp2pPeer, session: (channel: SyncChannel) => Promise<T>): Promise<T> {
    return this.withStream(peer, BLOB_PROTOCOL, session);
  }

  private async withStream<T>(peer: Libp2pPeer, protocol: string, session: (channel: SyncChannel) => Promise<T>): Promise<T> {
    await rememberAddrs(this.libp2p, peer);
    let stream;
    try {
      stream = await this.libp2p.dialProtocol(peer.peerId, protocol, { signal: this.signal(this.limits.dialTimeoutMs) });
    } catch (error) {
      throw new SyncError('unreachable', `cannot open ${protocol} to ${peer.id}: ${(error as Error).message}`);
    }
    return runSession(stream, this.limits, session, this.meter);
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** What kad-dht's get throws when a peer refused the correction sent after the query (its only QueryError). */
const CORRECTION_FAILED = 'QueryError';

/**
 * Consumes a DHT query; an abort (timeout, enough results), nothing found, or the error named `alsoEnds`
 * ends it quietly with what was seen.
 */
async function drain<E>(events: AsyncIterable<E>, each: (event: E) => void, alsoEnds?: string): Promise<void> {
  try {
    for await (const event of events) each(event);
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'AbortError' && name !== 'TimeoutError' && name !== 'NotFoundError' && name !== alsoEnds) throw error;
  }
}
