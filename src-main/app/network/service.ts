// The peer node of one home (DESIGN §5), as the headless node and the desktop app run it: starts the libp2p
// node on the home's SQLite store with the device's peer key, publishes the owner's chain when it changes,
// puts the signed head record again before it expires and repairs the replica count when replicas go away,
// samples usage over time, and keeps the editable limits in `network.json`. The person's keys are held only
// while the wallet is unlocked; republishing and repair need none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { editableLimitsRequestSchema } from '../../../src-preload/api/contract.ts';
import { ephemeralPeerKey, peerKeyFromLocalSecret } from '../../adapters/p2p/peer-key.ts';
import { createDefaustNode, DEFAULT_LISTEN, foreignBytes, type DefaustNode, type DefaustNodeLimits } from '../../adapters/p2p/node.ts';
import { createReplication, type PublishReport } from '../../adapters/p2p/replication.ts';
import { peerAt, type Libp2pPeer } from '../../adapters/p2p/network.ts';
import { createMessaging, type FetchMailReport, type Mail, type Messaging, type SendReport } from '../../adapters/p2p/messaging.ts';
import { writeFileAtomic } from '../../adapters/fs/atomic-file.ts';
import { DefaustError, InvalidInputError } from '../../core/errors.ts';
import { errorFields } from '../../core/log.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Replicator, RecoveryReport } from '../../core/net/replicator.ts';
import type { HeadRecord } from '../../core/net/head-record.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import type { Home } from '../home.ts';

/** The limits a person may change from the Network screen (the contract's schema); the rest are fixed at start. */
export type EditableLimits = z.output<typeof editableLimitsRequestSchema>;

export interface NetworkOptions {
  listen?: string[];
  bootstrap?: string[];
  mdns?: boolean;
  /** Keep private and loopback addresses in DHT answers (a LAN, one machine). */
  privateAddresses?: boolean;
  transports?: { webSockets?: boolean; webRTC?: boolean; relay?: boolean };
  iceServers?: string[];
  nat?: boolean;
  relayServer?: boolean;
  /** Replicas to keep (R). */
  replicas?: number;
  /** Limits beyond the saved ones (tests, the harness). */
  limits?: Partial<DefaustNodeLimits>;
  /** How often the head record is put again (default 6 h; kad-dht keeps records 48 h). */
  republishMs?: number;
  /** How often the replica count is checked and repaired (default 10 min). */
  repairMs?: number;
  /** How often usage is sampled (default 10 s). */
  sampleMs?: number;
  /** How often mail is fetched while the wallet is unlocked (default 60 s). */
  mailMs?: number;
  /** Wait after a change before publishing it (default 2 s; changes in a burst go out once). */
  publishDelayMs?: number;
}

export interface UsageSample {
  ts: number;
  connections: number;
  /** Bytes the DeFaust protocols took in and sent since the previous sample. */
  in: number;
  out: number;
  /** Bytes held for other people's archives. */
  hostedBytes: number;
  /** Bytes of mail kept for others. */
  mailboxBytes: number;
}

export interface ReplicaView {
  peer: string;
  /** Blocks it held after the last push. */
  length: number;
  /** Whether it announced itself as a provider when last checked. */
  live: boolean;
}

export interface NetStatus {
  peerId: string;
  addrs: string[];
  connections: number;
  routingTable: number;
  owner: {
    id: Did;
    length: number;
    head: string | null;
    publishedSeq: number | null;
    publishedAt: number | null;
    replicas: ReplicaView[];
    wanted: number;
  } | null;
  hosted: { id: Did; length: number; bytes: number }[];
  usage: {
    hostedBytes: number;
    /** Mail kept for others. */
    mailbox: { count: number; bytes: number };
    thisMinute: { in: number; out: number };
    totalIn: number;
    totalOut: number;
    samples: UsageSample[];
  };
  limits: LimitsView;
  rejections: Record<string, number>;
}

export interface PeerView {
  peerId: string;
  addrs: string[];
  direction: 'inbound' | 'outbound';
  since: number;
}

export type LimitsView = Pick<DefaustNodeLimits, 'quotaBytes' | 'replicaStorageBytes' | 'bandwidthInPerMinute' | 'bandwidthOutPerMinute' | 'maxConnections' | 'maxConcurrentSessions' | 'maxFrameBytes'> & {
  /** Bytes of mail kept for everyone together. */
  mailboxBytes: number;
};

const limitsView = (node: DefaustNode): LimitsView => {
  const l = node.limits;
  return {
    quotaBytes: l.quotaBytes, replicaStorageBytes: l.replicaStorageBytes, bandwidthInPerMinute: l.bandwidthInPerMinute, bandwidthOutPerMinute: l.bandwidthOutPerMinute,
    maxConnections: l.maxConnections, maxConcurrentSessions: l.maxConcurrentSessions, maxFrameBytes: l.maxFrameBytes, mailboxBytes: node.mailbox?.limits.totalBytes ?? 0,
  };
};

const MAX_SAMPLES = 360;
/** Replicas beyond R for the peers this node deals with most. */
const FAVOURITES = 2;
const LIMITS_FILE = 'network.json';

/** The limits saved in a home (validated; an unreadable file gives the defaults and is overwritten on save). */
export function savedLimits(home: Home): EditableLimits {
  try {
    const parsed = editableLimitsRequestSchema.safeParse(JSON.parse(readFileSync(join(home.dir, LIMITS_FILE), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The node's own limits out of saved or given ones (the mailbox's are set apart). */
function nodeLimitsOf(limits: EditableLimits & Partial<DefaustNodeLimits>): Partial<DefaustNodeLimits> {
  const { mailboxBytes: _mailbox, ...rest } = limits;
  return rest;
}

/** Bootstrap peers from DEFAUST_BOOTSTRAP (multiaddrs separated by commas or spaces); none by default. */
export function bootstrapFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.DEFAUST_BOOTSTRAP ?? '').split(/[\s,]+/u).filter((addr) => addr.length > 0);
}

/** Whether every address is on this machine or a private network (then DHT answers keep such addresses). */
export function isPrivateSetup(addrs: readonly string[]): boolean {
  return addrs.length > 0 && addrs.every((a) => /^\/ip4\/(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/u.test(a) || a.startsWith('/ip6/::1/'));
}

export class NetService {
  readonly node: DefaustNode;
  readonly replication: Replicator<Libp2pPeer>;
  readonly messaging: Messaging;
  /** Where fetched mail goes (the wallet routes it while unlocked); mail is acknowledged only after it returns. */
  private deliver: ((mail: Mail[]) => Promise<void> | void) | null = null;
  private fetching: Promise<FetchMailReport | null> = Promise.resolve(null);
  private readonly home: Home;
  private readonly options: NetworkOptions;
  private signer: { id: Did; seed: Uint8Array } | null = null;
  private published: { report: PublishReport; at: number } | null = null;
  private replicaLive = new Map<string, boolean>();
  /** Sessions served to each peer: the ones this node deals with most also get a replica. */
  private readonly interactions = new Map<string, number>();
  private readonly samples: UsageSample[] = [];
  private lastTotals = { in: 0, out: 0 };
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private publishTimer: ReturnType<typeof setTimeout> | null = null;
  private publishing: Promise<PublishReport | null> = Promise.resolve(null);
  private stopped = false;

  private constructor(home: Home, node: DefaustNode, options: NetworkOptions) {
    this.home = home;
    this.node = node;
    this.options = options;
    this.replication = createReplication(node, { clock: home.clock, replicas: options.replicas });
    this.messaging = createMessaging(node, { clock: home.clock, replicas: options.replicas });
  }

  /**
   * Starts the node of `home`. With the owner's keys the peer id is the device's own (stable across
   * restarts); without (a home with no identity yet) it is a fresh one.
   */
  static async start(home: Home, options: NetworkOptions = {}, keys: OwnerKeys | null = null): Promise<NetService> {
    const listen = options.listen ?? DEFAULT_LISTEN;
    const bootstrap = options.bootstrap ?? [];
    const privateAddresses = options.privateAddresses ?? isPrivateSetup([...listen.filter((a) => a.startsWith('/ip')), ...bootstrap]);
    const own = home.hasIdentity() ? [home.id()] : [];
    let service: NetService | null = null;
    const saved = savedLimits(home);
    const node = await createDefaustNode({
      crypto: home.crypto,
      log: home.logger,
      store: home.openStore(),
      privateKey: keys === null ? await ephemeralPeerKey() : await peerKeyFromLocalSecret(home.crypto, keys.localKey),
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
      mailbox: {
        store: home.mailboxStore(),
        clock: home.clock,
        ...(saved.mailboxBytes === undefined ? {} : { limits: { totalBytes: saved.mailboxBytes } }),
        onSession: (event) => {
          if (event.ok) service?.interacted(event.peer);
        },
      },
    });
    service = new NetService(home, node, options);
    if (keys !== null) service.unlock(keys);
    service.schedule();
    return service;
  }

  get peerId(): string {
    return this.node.peerId;
  }

  addrs(): string[] {
    return this.node.multiaddrs();
  }

  /** Resolves once the DHT routing table holds `min` peers, or after `timeoutMs` with what it has. */
  async waitForPeers(min: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.node.routingTableSize() < min && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.node.routingTableSize();
  }

  /** The wallet was unlocked: publishing can sign head records again. */
  unlock(keys: OwnerKeys): void {
    this.signer = { id: this.home.id(), seed: keys.identity.ed25519Seed };
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
    const run = this.publishing.catch(() => null).then(() => this.replication.publish(signer.id, signer.seed, { favourites: this.favourites(), ...options }));
    this.publishing = run;
    const report = await run;
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
  async fetchMail(take: ((mail: Mail[]) => Promise<void> | void) | null = this.deliver): Promise<FetchMailReport> {
    const signer = this.requireSigner('fetching your mail');
    const run = this.fetching.catch(() => null).then(() => this.messaging.fetchMail({ did: signer.id, ed25519Seed: signer.seed }, take === null ? {} : { take }));
    this.fetching = run;
    return run;
  }

  /** Counts a session with `peer` (the replication favourites come from these counts). */
  interacted(peer: string): void {
    this.interactions.set(peer, (this.interactions.get(peer) ?? 0) + 1);
  }

  /** Up to FAVOURITES connected peers with at least two sessions, most sessions first. */
  favourites(): Libp2pPeer[] {
    const connected = new Map(this.node.libp2p.getConnections().map((c) => [c.remotePeer.toString(), c]));
    return [...this.interactions.entries()]
      .filter(([peer, count]) => count >= 2 && connected.has(peer))
      .sort((a, b) => b[1] - a[1])
      .slice(0, FAVOURITES)
      .map(([peer]) => {
        const connection = connected.get(peer)!;
        return peerAt(connection.remotePeer, [connection.remoteAddr]);
      });
  }

  /** The best valid head record the DHT holds for `id`, or null (what an import checks an archive against). */
  lookupHead(id: Did): Promise<HeadRecord | null> {
    return this.replication.lookupHead(id);
  }

  /** Recovers `id`'s chain from its replicas into this home's store (the owner's own, or one to read). */
  recover(id: Did): Promise<RecoveryReport> {
    return this.replication.recoverFromNetwork(id);
  }

  /** Puts the last signed record again and restores R replicas; the check the repair timer runs. */
  async repair(): Promise<{ live: number; repaired: boolean }> {
    const id = this.ownerId();
    if (id === null || this.published === null) return { live: 0, repaired: false };
    const live = await this.replication.liveReplicas(id);
    const liveIds = new Set(live.map((p) => p.id));
    this.replicaLive = new Map(this.published.report.replicas.map((r) => [r.peer, liveIds.has(r.peer)]));
    if (live.length >= this.replication.replicas && this.home.store.head(id)?.seq === this.published.report.record.seq) return { live: live.length, repaired: false };
    const report = this.signer !== null && this.home.store.head(id)?.seq !== this.published.report.record.seq
      ? await this.publish()
      : await this.replication.republish(id, this.published.report.recordBytes, { favourites: this.favourites() });
    this.remember(report);
    return { live: report.replicas.length, repaired: true };
  }

  status(): NetStatus {
    const store = this.home.openStore();
    const id = this.ownerId();
    const head = id === null ? undefined : store.head(id);
    const hosted = store.chains().filter((chain) => chain !== id).map((chain) => ({ id: chain, length: (store.head(chain)?.seq ?? -1) + 1, bytes: store.storedBytes(chain) }));
    const published = this.published;
    return {
      peerId: this.peerId,
      addrs: this.addrs(),
      connections: this.node.libp2p.getConnections().length,
      routingTable: this.node.routingTableSize(),
      owner: id === null ? null : {
        id,
        length: head === undefined ? 0 : head.seq + 1,
        head: head?.cid ?? null,
        publishedSeq: published?.report.record.seq ?? null,
        publishedAt: published?.at ?? null,
        replicas: (published?.report.replicas ?? []).map((r) => ({ peer: r.peer, length: r.length, live: this.replicaLive.get(r.peer) ?? true })),
        wanted: this.replication.replicas,
      },
      hosted,
      usage: {
        hostedBytes: hosted.reduce((sum, h) => sum + h.bytes, 0),
        mailbox: this.node.mailbox?.usage() ?? { count: 0, bytes: 0 },
        thisMinute: this.node.traffic.thisMinute(),
        totalIn: this.node.traffic.totalIn,
        totalOut: this.node.traffic.totalOut,
        samples: [...this.samples],
      },
      limits: limitsView(this.node),
      rejections: Object.fromEntries(this.node.rejections),
    };
  }

  peers(): PeerView[] {
    const byPeer = new Map<string, PeerView>();
    for (const connection of this.node.libp2p.getConnections()) {
      const peerId = connection.remotePeer.toString();
      const seen = byPeer.get(peerId);
      const addr = connection.remoteAddr.toString();
      if (seen === undefined) byPeer.set(peerId, { peerId, addrs: [addr], direction: connection.direction, since: connection.timeline.open });
      else if (!seen.addrs.includes(addr)) seen.addrs.push(addr);
    }
    return [...byPeer.values()].sort((a, b) => a.since - b.since);
  }

  /** Changes the editable limits, saves them in the home and applies them (connections: at the next start). */
  setLimits(patch: EditableLimits): LimitsView {
    const checked = editableLimitsRequestSchema.parse(patch);
    const saved = { ...savedLimits(this.home), ...checked };
    writeFileAtomic(join(this.home.dir, LIMITS_FILE), JSON.stringify(saved, null, 2) + '\n');
    const { mailboxBytes, ...nodeLimits } = checked;
    Object.assign(this.node.limits, nodeLimits);
    if (mailboxBytes !== undefined) this.node.mailbox?.setLimits({ totalBytes: mailboxBytes });
    this.node.traffic.setCaps(this.node.limits);
    return limitsView(this.node);
  }

  /** Takes one usage sample now (the timer does this every `sampleMs`). */
  sample(): UsageSample {
    const { totalIn, totalOut } = this.node.traffic;
    const own = this.ownerId();
    const sample: UsageSample = {
      ts: this.home.clock.now(),
      connections: this.node.libp2p.getConnections().length,
      in: totalIn - this.lastTotals.in,
      out: totalOut - this.lastTotals.out,
      hostedBytes: foreignBytes(this.home.openStore(), (chain) => chain !== own),
      mailboxBytes: this.node.mailbox?.usage().bytes ?? 0,
    };
    this.lastTotals = { in: totalIn, out: totalOut };
    this.samples.push(sample);
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
    return sample;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signer = null;
    if (this.publishTimer !== null) clearTimeout(this.publishTimer);
    for (const timer of this.timers) clearInterval(timer);
    // A publish in flight (its DHT queries, its pushes) ends now with what it found instead of running out its timeouts.
    this.node.network.close();
    await this.publishing.catch(() => undefined);
    await this.node.stop();
  }

  private requireSigner(what: string): { id: Did; seed: Uint8Array } {
    if (this.signer === null) throw new InvalidInputError(`${what} needs the wallet unlocked`);
    return this.signer;
  }

  private ownerId(): Did | null {
    return this.home.hasIdentity() ? this.home.id() : null;
  }

  private remember(report: PublishReport): void {
    this.published = { report, at: this.home.clock.now() };
    this.replicaLive = new Map(report.replicas.map((r) => [r.peer, true]));
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
    });
    every(this.options.repairMs ?? 10 * 60_000, 'repair', () => this.repair());
    every(this.options.republishMs ?? 6 * 3600_000, 'republish', async () => {
      const id = this.ownerId();
      if (id !== null && this.published !== null) this.remember(await this.replication.republish(id, this.published.report.recordBytes));
    });
  }
}

/** Longest a node that joins for one task waits for a first peer before it gives up. */
const JOIN_TIMEOUT_MS = 10_000;

/** No peer answered through the given bootstrap addresses: the task would only run out its timeouts. */
export class NoPeersError extends DefaustError {
  override name = 'NoPeersError';
  readonly bootstrap: readonly string[];
  constructor(bootstrap: readonly string[], waitedMs: number) {
    super('network/no-peers', `no peer answered within ${waitedMs / 1000} s through ${bootstrap.length === 0 ? 'the local network' : bootstrap.join(', ')}: check the address and that the node there is running`);
    this.bootstrap = bootstrap;
  }
}

/**
 * Joins the network with a throwaway peer id for one task (a CLI command), and always leaves it. Fails fast
 * with NoPeersError when no peer answers in JOIN_TIMEOUT_MS (a lone node's queries would each run to their timeout).
 */
export async function withEphemeralNode<T>(home: Home, options: NetworkOptions, task: (net: NetService) => Promise<T>): Promise<T> {
  const net = await NetService.start(home, { mdns: false, nat: false, transports: { webRTC: false, relay: false }, listen: ['/ip4/127.0.0.1/tcp/0'], ...options });
  try {
    if (await net.waitForPeers(1, JOIN_TIMEOUT_MS) === 0) throw new NoPeersError(options.bootstrap ?? [], JOIN_TIMEOUT_MS);
    return await task(net);
  } finally {
    await net.stop();
  }
}
