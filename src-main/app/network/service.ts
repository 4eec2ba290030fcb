// The peer node of one home (DESIGN §5), as the headless node and the desktop app run it: NetService starts
// the libp2p node on the home's SQLite store with the device's peer key, publishes the owner's chain when it
// changes, puts the signed head record again before it expires, repairs the replica count when replicas go
// away, sends and fetches mail, and runs the timers that do these in the background (failures go to the
// home's log). A home's node (not a one-task one) keeps libp2p's state in the home's database and, on start
// and before expiry, republishes the head records of the chains it hosts (hosted.ts). A publish or a read
// with no peer fails within seconds (NoPeersError). The person's keys are held only while the wallet is
// unlocked; republishing and repair need none. Its views are in status.ts, its editable limits in limits.ts,
// its options in options.ts. In a private network (`options.network`, private.ts) the node's libp2p state
// lives under the network's own datastore prefix, it hosts no records across restarts (held records are the
// public network's), so nothing of one network is served in another, and its peer id is the network's own. It serves `/defaust/read/1.0.0` for the owners that registered this home as their
// client (app/sharing/read-service.ts) while the wallet is unlocked, and sends them the audit of those reads.
import { ephemeralPeerKey, peerKeyFromLocalSecret } from '../../adapters/p2p/peer-key.ts';
import { HostedChains, type HostedRepublish } from './hosted.ts';
import { NoPeersError } from './errors.ts';
import { freeDiskBytes } from '../../adapters/fs/free-disk.ts';
import { createDefaustNode, DEFAULT_LISTEN, type DefaustNode } from '../../adapters/p2p/node.ts';
import { createReplication, type PublishReport } from '../../adapters/p2p/replication.ts';
import { peerAt, type Libp2pPeer } from '../../adapters/p2p/network.ts';
import { createMessaging, type FetchMailReport, type Mail, type MailFetchProgress, type Messaging, type SendReport } from '../../adapters/p2p/messaging.ts';
import { handleRead } from '../../adapters/p2p/read.ts';
import { ReadServiceDesk } from '../sharing/read-service.ts';
import { failureSummary, InvalidInputError } from '../../core/errors.ts';
import { utf8 } from '../../core/bytes.ts';
import { errorFields } from '../../core/log.ts';
import { didFromPublicKey, type Did } from '../../core/identity/did.ts';
import type { DeviceWriter, PeerFailure, Replicator, RecoveryReport } from '../../core/net/replicator.ts';
import { MemoryChainStore } from '../../adapters/db/memory-store.ts';
import { PeerInteractions } from '../../adapters/db/interaction-store.ts';
import { openDatabase } from '../../adapters/db/sqlite-store.ts';
import type { CID } from '../../core/chain/codec.ts';
import type { HeadRecord } from '../../core/net/head-record.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import type { Home } from '../home.ts';
import type { EquivocationError } from '../../core/chain/equivocation.ts';
import { keepEquivocation, takeEvidenceAsReplica } from '../honor/honor.ts';
import { applyLimits, nodeLimitsOf, savedLimits, type EditableLimits, type LimitsView } from './limits.ts';
import { isPrivateSetup, type NetworkOptions } from './options.ts';
import { privateNetworkOf, type PrivateNetworkOption } from './private.ts';
import { NamespaceDatastore } from 'datastore-core';
import { Key } from 'interface-datastore';
import { netStatus, peerViews, UsageSampler, type NetStatus, type PeerView, type PublishFailure, type UsageSample } from './status.ts';

/** Replicas beyond R for the peers this node deals with most. */
const FAVOURITES = 2;
/** The weight a peer needs to be one of them: two sessions lately (a week ago, they count half). */
const FAVOURITE_WEIGHT = 1.9;

/** Longest a publish or a read waits for a first peer before it says there is none (the CLI's bound is 15 s). */
const FIRST_PEER_WAIT_MS = 5_000;

/** Longest a restarted node waits for a first peer before its start-time republish gives up (the timer retries). */
const REJOIN_WAIT_MS = 5 * 60_000;

export class NetService {
  readonly node: DefaustNode;
  readonly replication: Replicator<Libp2pPeer>;
  readonly messaging: Messaging;
  /** The client side of read on request: serves, audits, announces (app/sharing/read-service.ts). */
  readonly reads: ReadServiceDesk;
  /** The chains this node hosts and their held head records (null for a one-task node). */
  readonly hosted: HostedChains | null;
  /** The private network this node runs in (its name and id), or null in the public network. */
  readonly privateNetwork: { name: string; id: string } | null;
  /** The start-time republish of the held records: what was put and announced once a first peer answered. */
  rejoined: Promise<HostedRepublish[]> = Promise.resolve([]);
  /** Where fetched mail goes (the wallet routes it while unlocked); mail is acknowledged only after it returns. */
  private deliver: ((mail: Mail[]) => Promise<void> | void) | null = null;
  private fetching: Promise<FetchMailReport | null> = Promise.resolve(null);
  private readonly home: Home;
  private readonly options: NetworkOptions;
  private signer: { id: Did; seed: Uint8Array; writer: DeviceWriter } | null = null;
  private published: { report: PublishReport; at: number } | null = null;
  /** The last publish that failed, until one succeeds. */
  private publishFailure: PublishFailure | null = null;
  private replicaLive = new Map<string, boolean>();
  /** Sessions served to each peer (kept in the home, fading by the week): the ones this node deals with most also get a replica. */
  private readonly interactions: PeerInteractions;
  private readonly usage: UsageSampler;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private publishTimer: ReturnType<typeof setTimeout> | null = null;
  private publishing: Promise<PublishReport | null> = Promise.resolve(null);
  private stopped = false;

  private constructor(home: Home, node: DefaustNode, options: NetworkOptions, hosted: HostedChains | null, network: PrivateNetworkOption | null) {
    this.home = home;
    this.privateNetwork = network === null ? null : { name: network.name, id: network.id };
    this.node = node;
    this.options = options;
    this.hosted = hosted;
    // A one-task node's sessions say nothing about whom the home deals with: they are counted in memory only.
    this.interactions = options.ephemeral === true ? new PeerInteractions(openDatabase(':memory:')) : home.peerInteractions();
    this.replication = createReplication(node, { clock: home.clock, replicas: options.replicas });
    this.messaging = createMessaging(node, { clock: home.clock, replicas: options.replicas, log: home.logger });
    this.usage = new UsageSampler(home, node);
    this.reads = new ReadServiceDesk({
      crypto: home.crypto,
      clock: home.clock,
      store: node.store,
      audit: () => home.audit,
      log: home.logger,
      identity: () => (this.signer === null ? null : { did: this.signer.id, ed25519Seed: this.signer.seed }),
      refresh: (owner) => this.replication.recoverFromNetwork(owner),
      send: (from, to, envelope) => this.messaging.send(from, to, envelope),
      provide: (key) => node.network.provide(key),
    });
  }

  /**
   * Starts the node of `home`. With the owner's keys the peer id is the device's own; without, the home's node
   * key (both stable across restarts); a one-task node (`options.ephemeral`) has a fresh one and keeps its state in memory.
   */
  static async start(home: Home, options: NetworkOptions = {}, keys: OwnerKeys | null = null): Promise<NetService> {
    const listen = options.listen ?? DEFAULT_LISTEN;
    const bootstrap = options.bootstrap ?? [];
    const privateAddresses = options.privateAddresses ?? isPrivateSetup([...listen.filter((a) => a.startsWith('/ip')), ...bootstrap]);
    const own = home.hasIdentity() ? [home.id()] : [];
    let service: NetService | null = null;
    let hosted: HostedChains | null = null;
    const network = options.network === undefined ? null : privateNetworkOf(home, keys, options.network);
    // A private network's node hosts nothing across restarts (held records belong to the public network).
    const ephemeral = options.ephemeral ?? false;
    const hosting = !ephemeral && network === null;
    const saved = savedLimits(home);
    const node = await createDefaustNode({
      crypto: home.crypto,
      // Storage for others grows while the disk keeps its free space (the limits' minFreeDiskBytes); a one-task node keeps nothing for others.
      ...(ephemeral ? {} : { freeDiskBytes: () => freeDiskBytes(home.dir) }),
      signatures: home.signatures,
      log: home.logger,
      store: home.openStore(),
      // In a private network the device has another peer id (stable, derived for that network): members cannot tie it to its public one.
      privateKey: keys !== null ? await peerKeyFromLocalSecret(home.crypto, network === null ? keys.localKey : home.crypto.hkdf(keys.localKey, utf8(network.id), 'defaust/pnet/peer-key/v1', 32))
        : ephemeral ? await ephemeralPeerKey() : await home.nodeKey(),
      ...(ephemeral ? {} : { datastore: network === null ? home.nodeDatastore() : new NamespaceDatastore(home.nodeDatastore(), new Key(`/pnet/${network.id}`)) }),
      ...(network === null ? {} : { privateNetwork: { swarmKey: network.swarmKey, dhtProtocol: network.dhtProtocol } }),
      listen,
      bootstrap,
      mdns: options.mdns,
      privateAddresses,
      transports: options.transports,
      iceServers: options.iceServers,
      nat: options.nat,
      relayServer: options.relayServer,
      ownIdentities: () => own,
      limits: nodeLimitsOf({ ...saved, ...options.limits }),
      onSyncSession: (event) => {
        if (event.ok) service?.interacted(event.peer);
      },
      onEquivocation: (error) => service?.spreadFork(error),
      mailbox: {
        store: home.mailboxStore(),
        clock: home.clock,
        evidence: { take: (bytes) => takeEvidenceAsReplica(home, bytes), about: (did) => home.evidence().about(did).map((e) => e.bytes) },
        ...(saved.mailboxBytes === undefined ? {} : { limits: { totalBytes: saved.mailboxBytes } }),
        onSession: (event) => {
          if (event.ok) service?.interacted(event.peer);
        },
      },
      ...(!hosting ? {} : {
        onHeadRecord: (record, bytes) => {
          try {
            hosted?.offer(record, bytes);
          } catch (error) {
            home.logger.warn('head record not kept', { id: record.id, ...errorFields(error) });
          }
        },
        onReplicaStored: (id) => {
          void hosted?.stored(id).catch((error: unknown) => home.logger.warn('head record lookup failed', { id, ...errorFields(error) }));
          if (service?.reads.registeredFor().includes(id) === true) void service.reads.announce();
        },
      }),
    });
    hosted = !hosting ? null : new HostedChains({ crypto: home.crypto, store: node.store, held: home.heldRecords(), network: node.network, clock: home.clock, log: home.logger });
    service = new NetService(home, node, options, hosted, network);
    await handleRead(node.libp2p, { crypto: home.crypto, clock: home.clock, desk: service.reads, meter: node.traffic, log: home.logger });
    if (keys !== null) service.unlock(keys);
    service.schedule();
    if (hosted !== null) service.rejoined = service.rejoin(hosted);
    return service;
  }

  get peerId(): string {
    return this.node.peerId;
  }

  addrs(): string[] {
    return this.node.multiaddrs();
  }

  /** Resolves once the DHT routing table holds `min` peers, or after `timeoutMs` (or once `signal` aborts) with what it has. */
  async waitForPeers(min: number, timeoutMs: number, signal?: AbortSignal): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.node.routingTableSize() < min && Date.now() < deadline && !this.stopped && signal?.aborted !== true) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.node.routingTableSize();
  }

  /** The wallet was unlocked: publishing can sign head records again. */
  unlock(keys: OwnerKeys): void {
    const home = this.home;
    this.signer = {
      id: home.id(),
      seed: keys.identity.ed25519Seed,
      // Publishing takes the identity's writer lease as this device, and takes in what another device published first.
      writer: {
        device: didFromPublicKey(home.crypto.ed25519.publicKey(keys.deviceSeed)),
        scratch: () => new MemoryChainStore(),
        rebase: (theirs) => home.openSessionWith(keys).profile.rebaseOnto(theirs),
      },
    };
    if (!(this.options.ephemeral ?? false)) void this.serveReads().catch((error: unknown) => this.home.logger.warn('read service start failed', errorFields(error)));
  }

  /** Announces this home as the read service of the owners that registered it, and sends them the audit not yet sent. */
  async serveReads(): Promise<{ owners: Did[]; sent: number }> {
    if (await this.waitForPeers(1, REJOIN_WAIT_MS) === 0 || this.stopped) return { owners: [], sent: 0 };
    const owners = await this.reads.announce();
    return { owners, sent: await this.reads.flush() };
  }

  /** The peer of this id once it is connected (a `--via` multiaddr joins as a bootstrap peer); null after a few seconds. */
  async reachPeer(peerId: string): Promise<Libp2pPeer | null> {
    const deadline = Date.now() + FIRST_PEER_WAIT_MS;
    for (;;) {
      const found = this.node.libp2p.getPeers().find((p) => p.toString() === peerId);
      if (found !== undefined) return peerAt(found, []);
      if (Date.now() > deadline || this.stopped) return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The wallet was locked: the identity key is dropped; republishing and repair go on without it. */
  lock(): void {
    this.signer = null;
  }

  get unlocked(): boolean {
    return this.signer !== null;
  }

  /** The chain changed: publish it once the burst of changes is over. */
  changed(): void {
    if (this.signer === null || this.stopped) return;
    if (this.publishTimer !== null) clearTimeout(this.publishTimer);
    this.publishTimer = setTimeout(() => {
      this.publishTimer = null;
      void this.publish().catch((error: unknown) => this.home.logger.warn('publish failed', errorFields(error)));
    }, this.options.publishDelayMs ?? 2000);
  }

  /** Signs the head record and pushes the chain to R replicas (one publish at a time). */
  async publish(options: { announce?: boolean } = {}): Promise<PublishReport> {
    const signer = this.requireSigner('publishing (it signs the head record with your identity key)');
    // One at a time: the previous publish's failure went to its own caller.
    await this.requirePeer();
    const run = this.publishing.catch(() => null).then(() => this.replication.publish(signer.id, signer.seed, { favourites: this.favourites(), writer: signer.writer, ...options }));
    this.publishing = run;
    const report = await run.catch((error: unknown) => {
      this.publishFailure = { ...failureSummary(error), at: this.home.clock.now() };
      throw error;
    });
    this.publishFailure = null;
    this.remember(report);
    return report;
  }

  /** Seals nothing: sends an envelope already sealed to `to`, signed as this identity, to `to`'s mailboxes. */
  async send(to: Did, envelope: Uint8Array, ttlMs?: number): Promise<SendReport> {
    const signer = this.requireSigner('sending a message');
    return this.messaging.send({ did: signer.id, ed25519Seed: signer.seed }, to, envelope, ttlMs);
  }

  /** Sets where fetched mail is handed (before it is acknowledged at the mailboxes). */
  onMail(deliver: (mail: Mail[]) => Promise<void> | void): void {
    this.deliver = deliver;
  }

  /** Collects this identity's mail from its mailboxes now (one fetch at a time) and hands it to `take`. */
  async fetchMail(take: ((mail: Mail[]) => Promise<void> | void) | null = this.deliver, report?: MailFetchProgress): Promise<FetchMailReport> {
    const signer = this.requireSigner('fetching your mail');
    // One at a time: the previous fetch's failure went to its own caller.
    const run = this.fetching.catch(() => null).then(() => this.messaging.fetchMail({ did: signer.id, ed25519Seed: signer.seed }, { ...(take === null ? {} : { take }), ...(report === undefined ? {} : { report }) }));
    this.fetching = run;
    return run;
  }

  /** Gives honor evidence to the replicas of each accused did: how many replicas took it, in all. */
  async spreadEvidence(accused: readonly Did[], bytes: Uint8Array): Promise<number> {
    const counts = await Promise.all(accused.map((did) => this.messaging.spreadEvidence(did, bytes)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** The evidence the replicas of `did` hold about it (unchecked: app/honor checks every piece). */
  gatherEvidence(did: Did): Promise<Uint8Array[]> {
    return this.messaging.gatherEvidence(did);
  }

  /** A push revealed a fork: keep its proof here and gossip it to the identity's replicas (failures to the log). */
  spreadFork(error: EquivocationError): void {
    try {
      const { bytes } = keepEquivocation(this.home, error);
      void this.messaging.spreadEvidence(error.proof.id, bytes).catch((failure: unknown) => this.home.logger.warn('equivocation gossip failed', errorFields(failure)));
    } catch (failure) {
      this.home.logger.warn('equivocation proof not kept', errorFields(failure));
    }
  }

  /** Counts a session with `peer` (the replication favourites come from these counts). */
  interacted(peer: string): void {
    this.interactions.add(peer, this.home.clock.now());
  }

  /** Up to FAVOURITES connected peers with about two sessions or more of late, the heaviest first. */
  favourites(): Libp2pPeer[] {
    const connected = new Map(this.node.libp2p.getConnections().map((c) => [c.remotePeer.toString(), c]));
    return this.interactions.weights(this.home.clock.now())
      .filter(({ peer, weight }) => weight >= FAVOURITE_WEIGHT && connected.has(peer))
      .slice(0, FAVOURITES)
      .map(({ peer }) => {
        const connection = connected.get(peer)!;
        return peerAt(connection.remotePeer, [connection.remoteAddr]);
      });
  }

  /** The best valid head record the DHT holds for `id`, or null (what an import checks an archive against). */
  lookupHead(id: Did): Promise<HeadRecord | null> {
    return this.replication.lookupHead(id);
  }

  /** Recovers `id`'s chain from its replicas into this home's store (the owner's own, or one to read). */
  async recover(id: Did): Promise<RecoveryReport> {
    await this.requirePeer();
    return this.replication.recoverFromNetwork(id);
  }

  /** Fetches the media blobs of `id`'s chain this home lacks from the chain's replicas (see Replicator.fetchBlobs). */
  fetchBlobs(id: Did, cids: readonly CID[]): Promise<{ missing: string[]; failures: PeerFailure[] }> {
    return this.replication.fetchBlobs(id, cids);
  }

  /** Puts the last signed record again and restores R replicas; the check the repair timer runs. */
  async repair(): Promise<{ live: number; repaired: boolean }> {
    const id = this.ownerId();
    if (id === null || this.published === null) return { live: 0, repaired: false };
    if (this.home.store.head(id)?.seq !== this.published.report.record.seq) {
      // The head moved since the last publish: publish it (or, locked, push the chain with the last record).
      const live = new Set((await this.replication.liveReplicas(id)).map((p) => p.id));
      this.replicaLive = new Map(this.published.report.replicas.map((r) => [r.peer, live.has(r.peer)]));
      const report = this.signer !== null ? await this.publish() : await this.replication.republish(id, this.published.report.recordBytes, { favourites: this.favourites() });
      this.remember(report);
      return { live: report.replicas.length, repaired: true };
    }
    const { live, report } = await this.replication.repair(id, this.published.report.recordBytes, { favourites: this.favourites() });
    this.replicaLive = new Map(this.published.report.replicas.map((r) => [r.peer, live.includes(r.peer)]));
    if (report === null) return { live: live.length, repaired: false };
    this.remember(report);
    return { live: report.replicas.length, repaired: true };
  }

  status(): NetStatus {
    const id = this.ownerId();
    const owner = id === null ? null : { id, published: this.published, failure: this.publishFailure, live: this.replicaLive, wanted: this.replication.replicas };
    return netStatus(this.home, this.node, owner, this.usage.samples);
  }

  peers(): PeerView[] {
    return peerViews(this.node);
  }

  /** Changes the editable limits, saves them in the home and applies them (connections: at the next start). */
  setLimits(patch: EditableLimits): LimitsView {
    return applyLimits(this.home, this.node, patch);
  }

  /** Takes one usage sample now (the timer does this every `sampleMs`). */
  sample(): UsageSample {
    return this.usage.sample(this.ownerId());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signer = null;
    if (this.publishTimer !== null) clearTimeout(this.publishTimer);
    for (const timer of this.timers) clearInterval(timer);
    // A publish in flight (its DHT queries, its pushes) ends now with what it found instead of running out its timeouts.
    this.node.network.close();
    await this.publishing.catch(() => undefined); // its failure went to its caller, or to the log (changed())
    await this.rejoined;
    await this.node.stop();
  }

  /**
   * Fails fast with NoPeersError when no peer answers soon: a lone node's DHT queries would each run out their
   * timeout. An aborted `signal` ends the wait early (the caller checks it).
   */
  async requirePeer(signal?: AbortSignal, waitMs = FIRST_PEER_WAIT_MS): Promise<void> {
    if (await this.waitForPeers(1, waitMs, signal) === 0 && signal?.aborted !== true) throw new NoPeersError(this.options.bootstrap ?? [], waitMs);
  }

  private requireSigner(what: string): { id: Did; seed: Uint8Array; writer: DeviceWriter } {
    if (this.signer === null) throw new InvalidInputError(`${what} needs the wallet unlocked`);
    return this.signer;
  }

  private ownerId(): Did | null {
    return this.home.hasIdentity() ? this.home.id() : null;
  }

  private remember(report: PublishReport): void {
    this.published = { report, at: this.home.clock.now() };
    this.hosted?.offer(report.record, report.recordBytes);
    this.replicaLive = new Map(report.replicas.map((r) => [r.peer, true]));
  }

  /** Once a first peer answers after the start, puts the held records again and re-announces this node. */
  private async rejoin(hosted: HostedChains): Promise<HostedRepublish[]> {
    if (await this.waitForPeers(1, REJOIN_WAIT_MS) === 0 || this.stopped) return [];
    return hosted.republish().catch((error: unknown) => {
      this.home.logger.warn('start-time republish failed', errorFields(error));
      return [];
    });
  }

  private schedule(): void {
    const every = (ms: number, task: string, run: () => unknown) => {
      const timer = setInterval(() => {
        if (!this.stopped) void Promise.resolve().then(run).catch((error: unknown) => this.home.logger.warn(`${task} failed`, errorFields(error)));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.sampleMs ?? 10_000, 'usage sample', () => this.sample());
    every(this.options.mailMs ?? 60_000, 'mail fetch', async () => {
      if (this.signer !== null && this.deliver !== null) await this.fetchMail();
      if (this.signer !== null) await this.reads.flush();
    });
    every(this.options.repairMs ?? 10 * 60_000, 'repair', async () => {
      await this.repair();
      // The chains hosted for others too: their owners may be away (hosted.ts).
      await this.hosted?.repair(this.replication, (id) => id === this.ownerId());
    });
    every(this.options.republishMs ?? 6 * 3600_000, 'republish', async () => {
      const id = this.ownerId();
      if (id !== null && this.published !== null) this.remember(await this.replication.republish(id, this.published.report.recordBytes));
      await this.hosted?.republish();
      if (this.signer !== null) await this.reads.announce();
    });
  }
}
