// Replication and recovery over a network port (DESIGN §5). Publishing puts a signed head record in the DHT
// and pushes the archive to R replicas, the peers closest to the identity's key; recovery reads the head
// record, finds the providers, pulls from one, verifies everything and checks it ends in the recorded head.
// The network itself (libp2p, kad-dht, streams) stays behind NetworkPort.
import { utf8 } from '../bytes.ts';
import { cidOf, parseCid, RAW, type CID } from '../chain/codec.ts';
import type { Crypto, SignatureBatchVerifier } from '../crypto/port.ts';
import { failureSummary } from '../errors.ts';
import type { Did } from '../identity/did.ts';
import type { ChainStore, Clock } from '../ports.ts';
import { ReplicationError } from './errors.ts';
import { storedHistory } from '../chain/checkpoint.ts';
import { headKeyBytes, makeHeadRecord, selectHeadRecord, validateHeadRecord, type HeadRecord } from './head-record.ts';
import { runClaim, runPull, runPush, type SyncChannel, type SyncResult } from './sync-session.ts';
import { signLeaseClaim, MAX_LEASE_MS } from './writer-lease.ts';
import type { RebaseReport } from '../chain/writer.ts';
import { fetchBlobs as fetchBlobsOver, MAX_BLOBS_PER_REQUEST } from './blob-session.ts';

export const DEFAULT_REPLICAS = 3;
/** How long a publish tries to take the writer lease from another device that holds it before it gives up. */
const LEASE_WAIT_MS = 12_000;
/** And at most this many rounds (a clock that stands still, in tests). */
const LEASE_ROUNDS = 40;

/** A peer as the network port names it; the port may carry more (its address, its libp2p id). */
export interface PeerRef {
  /** The peer's id as text (a libp2p peer id). */
  id: string;
}

/**
 * What replication needs from the network. Every call has its own timeout inside the adapter and resolves
 * with what it found (possibly nothing) rather than hanging.
 */
export interface NetworkPort<P extends PeerRef = PeerRef> {
  /** This node's peer id. */
  readonly self: string;
  /** Stores a DHT record here and at the closest peers; resolves with how many peers accepted it. */
  putRecord(key: Uint8Array, value: Uint8Array): Promise<number>;
  /** The values the DHT returns for a key (its best first; each is validated again by the caller). */
  getRecords(key: Uint8Array): Promise<Uint8Array[]>;
  /** Peers closest to the key in DHT (XOR) space, closest first, this node excluded. */
  closestPeers(key: Uint8Array): Promise<P[]>;
  /** Announces this node as a provider of the content key. */
  provide(cid: CID): Promise<void>;
  /** Providers of the content key, at most `limit`. */
  findProviders(cid: CID, limit: number): Promise<P[]>;
  /** Whether the peer answers now (a provider record outlives the peer that made it). */
  reachable(peer: P): Promise<boolean>;
  /** Opens a `/defaust/sync/1.0.0` stream to the peer, runs `session` over it, and closes it. */
  withSync<T>(peer: P, session: (channel: SyncChannel) => Promise<T>): Promise<T>;
  /** Opens a `/defaust/blob/1.0.0` stream to the peer, runs `session` over it, and closes it. */
  withBlobs<T>(peer: P, session: (channel: SyncChannel) => Promise<T>): Promise<T>;
}

/** The content key under which replicas of an identity announce themselves: raw CID of sha-256(label ‖ did). */
export function replicaKey(crypto: Crypto, id: Did): CID {
  return cidOf(crypto.sha256, utf8(`defaust/replicas/v1\n${id}`), RAW);
}

export interface PeerFailure {
  peer: string;
  code: string;
  message: string;
}

export interface PublishReport {
  record: HeadRecord;
  /** The signed record as put (what a later republish puts again). */
  recordBytes: Uint8Array;
  /** Peers that accepted the head record. */
  recordPeers: number;
  /** Replicas that stored the chain, closest first. */
  replicas: { peer: string; sent: number; length: number; provided: boolean }[];
  /** Peers that refused or failed (over quota, unreachable, a bad chain…). */
  failures: PeerFailure[];
  /** Whether this node announced itself as a provider too. */
  announced: boolean;
  /** What another device had published first, and this device's blocks written again after it (null: nothing to take in). */
  rebased: RebaseReport | null;
}

/** The device that publishes, for the writer lease (writer-lease.ts) and to take in what another device published first. */
export interface DeviceWriter {
  /** This device's did, named in the lease claims. */
  device: Did;
  /** An empty store to pull a replica's chain into. */
  scratch(): ChainStore;
  /** Takes `theirs` (a replica's chain, verified as it was pulled) and writes this device's blocks the network lacks after it. */
  rebase(theirs: ChainStore): RebaseReport;
}

export interface PublishOptions<P extends PeerRef> {
  /** Announce this node as a provider too (default true; false for a node that leaves right after). */
  announce?: boolean;
  /** Peers to hold a replica besides the R closest: the ones this node interacts with most. */
  favourites?: P[];
  /** Publish under the identity's writer lease as this device (a wallet's publish); without, no lease (tests of the bare protocol). */
  writer?: DeviceWriter;
}

export interface RepairReport {
  /** The other peers that announced a replica and answered before the repair. */
  live: string[];
  /** The republish that restored the replicas, or null when R others were live already. */
  report: PublishReport | null;
}

export interface RecoveryReport {
  record: HeadRecord;
  /** The provider the chain came from (null when it was already held here). */
  from: string | null;
  result: SyncResult | null;
  failures: PeerFailure[];
}

export interface ReplicatorDeps<P extends PeerRef> {
  crypto: Crypto;
  store: ChainStore;
  clock: Clock;
  network: NetworkPort<P>;
  /** How many replicas to keep (R). */
  replicas?: number;
  /** How many providers to ask for when recovering. */
  providerLimit?: number;
  /** Checks the signatures of recovered chains in batches (a worker pool); on this thread when absent. */
  signatures?: SignatureBatchVerifier;
  /** Waits between two rounds of claiming the writer lease (the composition root sleeps; absent: no pause). */
  pause?(ms: number): Promise<void>;
}

const failureOf = (peer: PeerRef, error: unknown): PeerFailure => ({ peer: peer.id, ...failureSummary(error) });

export class Replicator<P extends PeerRef = PeerRef> {
  private readonly deps: ReplicatorDeps<P>;
  readonly replicas: number;

  constructor(deps: ReplicatorDeps<P>) {
    this.deps = deps;
    this.replicas = deps.replicas ?? DEFAULT_REPLICAS;
  }

  /**
   * Publishes the chain held here: signs and puts the head record, pushes the chain to the R closest peers
   * that accept it (in parallel, moving on to the next closest when one refuses), and announces this node
   * as a provider when `announce` is set.
   */
  async publish(id: Did, identitySeed: Uint8Array, options: PublishOptions<P> = {}): Promise<PublishReport> {
    const { crypto, store, clock } = this.deps;
    const lease = options.writer === undefined ? null : await this.takeLease(id, identitySeed, options.writer);
    try {
      const head = store.head(id);
      if (head === undefined) throw new ReplicationError('no-chain', `no chain for ${id} to publish`);
      const root = storedHistory(crypto.sha256, store, id, head.seq + 1).root();
      const { bytes } = makeHeadRecord(crypto, { id, seq: head.seq, head: parseCid(head.cid), ts: clock.now(), root }, identitySeed);
      return { ...await this.republish(id, bytes, options), rebased: lease?.rebased ?? null };
    } finally {
      if (lease !== null) await this.letGo(lease.peers, id, identitySeed, options.writer!);
    }
  }

  /**
   * Takes the identity's writer lease at the R closest peers: granted by most of those that answer, it first
   * takes in what they hold that this chain lacks (another device published first: `writer.rebase`), claims
   * again, and returns the peers that granted it. Refused, it lets go of what it got and tries again after a
   * random pause; after LEASE_WAIT_MS a `replication/leased` error. Null when no peer answers a claim (nobody
   * to publish to; the publish then says so).
   */
  private async takeLease(id: Did, seed: Uint8Array, writer: DeviceWriter): Promise<{ peers: P[]; rebased: RebaseReport | null } | null> {
    const { crypto, network, clock } = this.deps;
    let rebased: RebaseReport | null = null;
    let holder: string | null = null;
    const deadline = clock.now() + LEASE_WAIT_MS;
    for (let round = 1; round <= LEASE_ROUNDS && clock.now() < deadline; round++) {
      const peers = (await network.closestPeers(headKeyBytes(id))).slice(0, this.replicas);
      if (peers.length === 0) return null;
      const claim = signLeaseClaim(crypto, { id, writer: writer.device, ts: clock.now(), ms: MAX_LEASE_MS }, seed);
      const outcomes = await Promise.allSettled(peers.map((peer) => network.withSync(peer, (channel) => runClaim(channel, claim))));
      const answered = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [{ peer: peers[i]!, answer: outcome.value }] : []));
      if (answered.length === 0) return null;
      const granted = answered.filter(({ answer }) => answer.granted);
      try {
        if (granted.length * 2 > answered.length) {
          const ahead = await this.newerElsewhere(id, granted);
          if (ahead === null) return { peers: granted.map(({ peer }) => peer), rebased };
          const theirs = writer.scratch();
          await network.withSync(ahead.peer, (channel) => runPull(channel, crypto, theirs, id, Number.POSITIVE_INFINITY, this.deps.signatures));
          const step = writer.rebase(theirs);
          rebased = rebased === null ? step : { fork: Math.min(rebased.fork, step.fork), taken: rebased.taken + step.taken, replayed: step.replayed };
          continue;
        }
      } catch (error) {
        await this.letGo(granted.map(({ peer }) => peer), id, seed, writer);
        throw error;
      }
      holder = answered.find(({ answer }) => !answer.granted)?.answer.holder ?? holder;
      await this.letGo(granted.map(({ peer }) => peer), id, seed, writer);
      await this.deps.pause?.(150 + crypto.randomBytes(1)[0]! * 2);
    }
    throw new ReplicationError('leased', `another device of this identity${holder === null ? '' : ` (${holder})`} is publishing right now; nothing was published — try again in a moment`);
  }

  /**
   * The granting peer that holds what another device published and this chain lacks, or null. When several
   * hold something this chain lacks, the one holding the head the DHT's record names wins, so a stale copy of
   * an old fork is never taken in over the published head; with no record, the longest.
   */
  private async newerElsewhere(id: Did, granted: readonly { peer: P; answer: { length: number; head: CID | null } }[]): Promise<{ peer: P } | null> {
    const { store } = this.deps;
    const lacking = granted.filter(({ answer }) => answer.head !== null && store.header(id, answer.length - 1)?.cid !== answer.head.toString());
    if (lacking.length === 0) return null;
    const record = await this.lookupHead(id).catch(() => null);
    const longest = lacking.reduce((a, b) => (b.answer.length > a.answer.length ? b : a));
    if (record === null) return longest;
    const holding = lacking.find(({ answer }) => answer.head!.equals(record.head));
    if (holding !== undefined) return holding;
    // This chain holds the recorded head: what differs elsewhere is older than what was published.
    return store.header(id, record.seq)?.cid === record.head.toString() ? null : longest;
  }

  /** Lets go of the writer lease at these peers (best effort: it ends by itself within MAX_LEASE_MS). */
  private async letGo(peers: readonly P[], id: Did, seed: Uint8Array, writer: DeviceWriter): Promise<void> {
    if (peers.length === 0) return;
    const release = signLeaseClaim(this.deps.crypto, { id, writer: writer.device, ts: this.deps.clock.now(), ms: 0 }, seed);
    await Promise.allSettled(peers.map((peer) => this.deps.network.withSync(peer, (channel) => runClaim(channel, release))));
  }

  /**
   * Puts an already signed head record again and pushes the chain up to the head it names to the R closest
   * peers that accept it.
   * Needs no key: what keeps an identity alive while its owner's wallet is locked (before the DHT's records
   * expire, and when replicas went away).
   */
  async republish(id: Did, recordBytes: Uint8Array, options: PublishOptions<P> = {}): Promise<PublishReport> {
    const { crypto, store, network } = this.deps;
    const key = headKeyBytes(id);
    const record = validateHeadRecord(crypto, key, recordBytes);
    if (store.header(id, record.seq)?.cid !== record.head.toString()) throw new ReplicationError('no-chain', `the chain held for ${id} does not hold the head this record names`);
    // Only what the record commits to: blocks written since are not released until a publish signs for them (under the writer lease).
    const upTo = record.seq + 1;
    let recordPeers = await network.putRecord(key, recordBytes);
    const replicas: PublishReport['replicas'] = [];
    const failures: PeerFailure[] = [];
    const tried = new Set<string>();
    // A second look at the DHT when the first found too few who took it: a node that has just joined sees
    // only part of the network on its first query.
    for (let look = 0; look < 2 && replicas.length < this.replicas; look++) {
      const candidates = (await network.closestPeers(key)).filter((peer) => !tried.has(peer.id));
      let next = 0;
      while (replicas.length < this.replicas && next < candidates.length) {
        const batch = candidates.slice(next, next + this.replicas - replicas.length);
        next += batch.length;
        batch.forEach((peer) => tried.add(peer.id));
        const outcomes = await Promise.allSettled(batch.map((peer) => network.withSync(peer, (channel) => runPush(channel, store, id, upTo))));
        outcomes.forEach((outcome, i) => {
          const peer = batch[i]!;
          if (outcome.status === 'fulfilled') replicas.push({ peer: peer.id, sent: outcome.value.sent, length: outcome.value.length, provided: outcome.value.provided });
          else failures.push(failureOf(peer, outcome.reason));
        });
      }
    }
    // The record too gets a second put when too few peers took it: the looks above taught this node more of
    // the network than its first put knew (a node that has just joined, or a slow network).
    if (recordPeers < this.replicas) recordPeers = Math.max(recordPeers, await network.putRecord(key, recordBytes));
    // Plus the peers this node deals with most (DESIGN §5): they are likely to be around when it is not.
    const favourites = (options.favourites ?? []).filter((peer) => peer.id !== network.self && !replicas.some((r) => r.peer === peer.id));
    const extra = await Promise.allSettled(favourites.map((peer) => network.withSync(peer, (channel) => runPush(channel, store, id, upTo))));
    extra.forEach((outcome, i) => {
      const peer = favourites[i]!;
      if (outcome.status === 'fulfilled') replicas.push({ peer: peer.id, sent: outcome.value.sent, length: outcome.value.length, provided: outcome.value.provided });
      else failures.push(failureOf(peer, outcome.reason));
    });
    let announced = false;
    if (options.announce ?? true) {
      announced = await network.provide(replicaKey(crypto, id)).then(() => true, () => false);
    }
    return { record, recordBytes, recordPeers, replicas, failures, announced, rebased: null };
  }

  /** The peers that announce they hold a replica of `id` and answer now (this node excluded). */
  async liveReplicas(id: Did): Promise<P[]> {
    const { crypto, network } = this.deps;
    const providers = (await network.findProviders(replicaKey(crypto, id), this.deps.providerLimit ?? 20)).filter((p) => p.id !== network.self);
    const answers = await Promise.all(providers.map((peer) => network.reachable(peer)));
    return providers.filter((_, i) => answers[i]);
  }

  /**
   * Restores R replicas of a chain held here from an already signed record: when fewer than R other peers
   * announce it and answer now, puts the record again and pushes the chain to the closest peers that accept
   * it (republish). Needs no key, so the owner's node and every replica run it alike (a replica that runs it
   * keeps the chain alive while its owner is away).
   */
  async repair(id: Did, recordBytes: Uint8Array, options: PublishOptions<P> = {}): Promise<RepairReport> {
    const live = await this.liveReplicas(id);
    if (live.length >= this.replicas) return { live: live.map((p) => p.id), report: null };
    return { live: live.map((p) => p.id), report: await this.republish(id, recordBytes, options) };
  }

  /** The best valid head record the DHT holds for `id`, or null. */
  async lookupHead(id: Did): Promise<HeadRecord | null> {
    const key = headKeyBytes(id);
    const values = await this.deps.network.getRecords(key);
    const best = selectHeadRecord(this.deps.crypto, key, values);
    return best < 0 ? null : validateHeadRecord(this.deps.crypto, key, values[best]!);
  }

  /**
   * Recovers the chain of `id` into the local store: head record → providers → pull from one (verified
   * block by block, imported all at once) → the chain must hold the recorded head at the recorded seq.
   * A provider that fails or holds less is skipped; what a shorter but valid chain added is kept.
   */
  async recoverFromNetwork(id: Did): Promise<RecoveryReport> {
    const { crypto, store, network } = this.deps;
    const record = await this.lookupHead(id);
    if (record === null) throw new ReplicationError('no-head', `no head record for ${id} in the DHT`);
    if (this.holdsHead(id, record)) return { record, from: null, result: null, failures: [] };
    const providers = (await network.findProviders(replicaKey(crypto, id), this.deps.providerLimit ?? 20)).filter((p) => p.id !== network.self);
    const failures: PeerFailure[] = [];
    for (const peer of providers) {
      try {
        const result = await network.withSync(peer, (channel) => runPull(channel, crypto, store, id, Number.POSITIVE_INFINITY, this.deps.signatures));
        if (this.holdsHead(id, record)) return { record, from: peer.id, result, failures };
        failures.push({ peer: peer.id, code: 'replication/head-mismatch', message: `holds ${result.length} blocks ending in ${result.head}, not the recorded head` });
      } catch (error) {
        failures.push(failureOf(peer, error));
      }
    }
    const detail = failures.map((f) => `${f.peer}: ${f.code}`).join('; ');
    throw new ReplicationError('no-provider', `no provider served the recorded head of ${id} (${providers.length} found${detail ? `; ${detail}` : ''})`);
  }

  /**
   * Fetches media blobs of `id`'s chain that this store lacks from the chain's replicas and stores them. Any
   * replica may serve them: they are sealed and content-addressed, and each is checked against its CID. Returns
   * the CIDs still missing (none: every one was found) and why each replica that was asked failed.
   */
  async fetchBlobs(id: Did, cids: readonly CID[]): Promise<{ missing: string[]; failures: PeerFailure[] }> {
    const { crypto, store, network } = this.deps;
    let missing = cids.filter((cid) => store.blob(cid.toString()) === undefined);
    const failures: PeerFailure[] = [];
    if (missing.length === 0) return { missing: [], failures };
    const providers = (await network.findProviders(replicaKey(crypto, id), this.deps.providerLimit ?? 20)).filter((p) => p.id !== network.self);
    for (const peer of providers) {
      try {
        for (let i = 0; i < missing.length; i += MAX_BLOBS_PER_REQUEST) {
          const batch = missing.slice(i, i + MAX_BLOBS_PER_REQUEST);
          const got = await network.withBlobs(peer, (channel) => fetchBlobsOver(channel, crypto, batch));
          if (got.size > 0) store.putBlobs(id, [...got].map(([cid, bytes]) => ({ cid, bytes })));
        }
      } catch (error) {
        failures.push(failureOf(peer, error));
      }
      missing = missing.filter((cid) => store.blob(cid.toString()) === undefined);
      if (missing.length === 0) break;
    }
    return { missing: missing.map((cid) => cid.toString()), failures };
  }

  private holdsHead(id: Did, record: HeadRecord): boolean {
    return this.deps.store.header(id, record.seq)?.cid === record.head.toString();
  }
}
