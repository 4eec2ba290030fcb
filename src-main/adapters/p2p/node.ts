// The DeFaust libp2p node (DESIGN §5): TCP, WebSockets, WebRTC (direct and through relays) and circuit
// relay v2 transports; Noise; yamux; identify, ping, AutoNAT, DCUtR; kad-dht under `/defaust/kad/1.0.0`
// in server mode with the head-record validator and selector for the `defaust` namespace; bootstrap and
// mDNS discovery; `/defaust/sync/1.0.0`, `/defaust/blob/1.0.0`; `/defaust/msg/1.0.0` when given a mailbox
// store. Connection and stream limits come from one `limits` object. In a private network (`privateNetwork`)
// every connection is encrypted under its pre-shared key (`@libp2p/pnet`), the DHT runs under the network's own
// protocol, and WebRTC is off (its connections skip the connection protector).
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { autoNAT } from '@libp2p/autonat';
import { bootstrap } from '@libp2p/bootstrap';
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2';
import { dcutr } from '@libp2p/dcutr';
import { identify } from '@libp2p/identify';
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht';
import { mdns } from '@libp2p/mdns';
import { ping } from '@libp2p/ping';
import { preSharedKey } from '@libp2p/pnet';
import { tcp } from '@libp2p/tcp';
import { webRTC, webRTCDirect } from '@libp2p/webrtc';
import { webSockets } from '@libp2p/websockets';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import { createLibp2p, type Libp2p, type Libp2pOptions } from 'libp2p';
import { fromUtf8 } from '../../core/bytes.ts';
import type { Crypto, SignatureBatchVerifier } from '../../core/crypto/port.ts';
import type { Did } from '../../core/identity/did.ts';
import { HeadRecordError, type HeadRecordRule } from '../../core/net/errors.ts';
import { DEFAULT_MAX_FRAME_BYTES } from '../../core/net/frames.ts';
import { DHT_NAMESPACE, HeadRecordFloor, selectHeadRecord, validateHeadRecord, type HeadRecord } from '../../core/net/head-record.ts';
import { replicaKey } from '../../core/net/replicator.ts';
import { Mailbox } from '../../core/net/mailbox.ts';
import type { EvidenceDesk } from '../../core/net/msg-session.ts';
import type { EquivocationError } from '../../core/chain/equivocation.ts';
import type { ChainStore, Clock, MailboxStore } from '../../core/ports.ts';
import { DEFAULT_MESSAGING_LIMITS, handleMessaging, type MessagingLimits, type MsgSessionEvent } from './messaging.ts';
import { Libp2pNetwork } from './network.ts';
import { handleBlob, handleSync, type SyncSessionEvent } from './sync.ts';
import { Traffic, type BandwidthCaps } from './traffic.ts';
import { errorFields, type Logger } from '../../core/log.ts';

export const DHT_PROTOCOL = '/defaust/kad/1.0.0';

export interface DefaustNodeLimits extends BandwidthCaps {
  /** Open connections at most (libp2p prunes beyond). */
  maxConnections: number;
  /** Inbound connections still in their handshake at most. */
  maxIncomingPendingConnections: number;
  /** Inbound connections accepted per second from one host (many nodes on one machine need more). */
  inboundConnectionsPerHostPerSecond: number;
  /** Sync streams per connection, each way. */
  syncInboundStreams: number;
  syncOutboundStreams: number;
  /** DHT streams per connection, each way. */
  dhtInboundStreams: number;
  dhtOutboundStreams: number;
  /** Sync sessions served at once. */
  maxConcurrentSessions: number;
  /** Sync sessions served at once to one peer. */
  sessionsPerPeer: number;
  /** Bytes kept per foreign identity (headers, bodies, media). */
  quotaBytes: number;
  /** Bytes kept for all foreign identities together. */
  replicaStorageBytes: number;
  /** Free disk this node leaves alone: storage for others grows only while more than this stays free. */
  minFreeDiskBytes: number;
  /** Largest sync frame. */
  maxFrameBytes: number;
  /** Longest wait for the next sync message. */
  idleTimeoutMs: number;
  /** Longest a sync session may run. */
  sessionTimeoutMs: number;
  /** Longest a DHT query may run. */
  queryTimeoutMs: number;
  /** Longest a dial may take. */
  dialTimeoutMs: number;
  /** A relay server's reservations held at once (peers it relays for). */
  relayReservations: number;
  /** Longest one relayed connection may last on a relay server. */
  relayDurationMs: number;
  /** Bytes one relayed connection may carry on a relay server (each way). */
  relayDataBytes: number;
}

export const DEFAULT_LIMITS: DefaustNodeLimits = {
  maxConnections: 100,
  maxIncomingPendingConnections: 10,
  inboundConnectionsPerHostPerSecond: 5,
  syncInboundStreams: 4,
  syncOutboundStreams: 4,
  dhtInboundStreams: 32,
  dhtOutboundStreams: 64,
  maxConcurrentSessions: 8,
  sessionsPerPeer: 2,
  quotaBytes: 64 * 1024 * 1024,
  replicaStorageBytes: 1024 * 1024 * 1024,
  minFreeDiskBytes: 2 * 1024 * 1024 * 1024,
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  idleTimeoutMs: 10_000,
  sessionTimeoutMs: 120_000,
  queryTimeoutMs: 15_000,
  dialTimeoutMs: 10_000,
  relayReservations: 32,
  relayDurationMs: 2 * 60_000,
  relayDataBytes: 4 * 1024 * 1024,
  bandwidthInPerMinute: 0,
  bandwidthOutPerMinute: 0,
};

export interface DefaustNodeOptions {
  crypto: Crypto;
  /** Checks the signatures of chains received (replica intake, recovery) on every core; on the event loop when absent. */
  signatures?: SignatureBatchVerifier;
  /** Where the node's background failures are told (the home's log). */
  log?: Logger;
  /** The node's libp2p key (its peer id). Default: a new random one. */
  privateKey?: PrivateKey;
  /** Where chains live: the node's own and the replicas it keeps. */
  store: ChainStore;
  /** Listen addresses. Default: TCP and WebSockets on every interface, WebRTC through relays and direct. */
  listen?: string[];
  /** Multiaddrs (with /p2p/<id>) of peers to join the network through. */
  bootstrap?: string[];
  /** Transports besides TCP. All on by default. */
  transports?: { webSockets?: boolean; webRTC?: boolean; relay?: boolean };
  /**
   * STUN/TURN URLs WebRTC gathers candidates through. Default: @libp2p/webrtc's public STUN servers
   * (Google, Twilio, Cloudflare, Mozilla). `[]` keeps WebRTC to host candidates (a LAN, tests, privacy).
   */
  iceServers?: string[];
  /** Act as a circuit relay v2 server for others (always-on peers; `relay*` limits). Default false. */
  relayServer?: boolean;
  /** AutoNAT and DCUtR. Default true. */
  nat?: boolean;
  /** mDNS discovery on the LAN. Default true; tests turn it off. */
  mdns?: boolean;
  /** Keep private and loopback addresses in DHT answers (a LAN or one machine). Default false. */
  privateAddresses?: boolean;
  /** Identities this node owns (no quota for them). */
  ownIdentities?: () => readonly Did[];
  /** Free bytes on the disk the store is on, read at each push (default: no disk to watch, as in memory). */
  freeDiskBytes?: () => number;
  /** Where libp2p keeps DHT records and the peer store. Default: in memory (the DHT simulation gives its adversaries their own). */
  datastore?: Libp2pOptions['datastore'];
  limits?: Partial<DefaustNodeLimits>;
  /** Told about each sync session served. */
  onSyncSession?: (event: SyncSessionEvent) => void;
  /**
   * Keep a mailbox for others and serve `/defaust/msg/1.0.0` (messaging.ts): where deposits are stored, the
   * clock that expires them (default the system clock), limits beyond DEFAULT_MESSAGING_LIMITS, and a
   * callback told about each session served. Without it the node serves no mailbox.
   */
  mailbox?: { store: MailboxStore; clock?: Clock; limits?: Partial<MessagingLimits>; onSession?: (event: MsgSessionEvent) => void; evidence?: EvidenceDesk };
  /** Told about each valid head record this node's DHT admits (a replica keeps those of the chains it hosts). */
  onHeadRecord?: (record: HeadRecord, bytes: Uint8Array) => void;
  /** Told when a pushed chain was stored here (before the announce is told to the pusher). */
  onReplicaStored?: (id: Did) => void;
  /** Told of a fork a chain pushed here revealed, with its proof (the app keeps it and spreads it). */
  onEquivocation?: (error: EquivocationError) => void;
  /**
   * Join a private network instead of the public one: its swarm key (core/net/private-network.ts swarmKey) and
   * its DHT protocol. WebRTC is then off whatever `transports` says: its connections skip the PSK protector.
   */
  privateNetwork?: { swarmKey: Uint8Array; dhtProtocol: string };
}

export type DefaustServices = { dht: KadDHT; ping: unknown; identify: unknown };

export const DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/tcp/0/ws', '/p2p-circuit', '/webrtc', '/ip4/0.0.0.0/udp/0/webrtc-direct'];

/** A started DeFaust node. */
export class DefaustNode {
  readonly libp2p: Libp2p<DefaustServices>;
  readonly network: Libp2pNetwork;
  readonly limits: DefaustNodeLimits;
  readonly crypto: Crypto;
  /** Checks the signatures of chains received, when the node was given a pool. */
  readonly signatures: SignatureBatchVerifier | undefined;
  /** The chains this node holds: its own and its replicas. */
  readonly store: ChainStore;
  /** Head records this node's DHT refused, by rule (forged, stale, oversized, un-namespaced…). */
  readonly rejections = new Map<HeadRecordRule, number>();
  /** Bytes the DeFaust protocols carried, and the bandwidth caps. */
  readonly traffic: Traffic;
  /** The mailbox this node keeps for others (`/defaust/msg/1.0.0`), or null when it keeps none. */
  readonly mailbox: Mailbox | null;

  constructor(
    libp2p: Libp2p<DefaustServices>,
    deps: { crypto: Crypto; store: ChainStore; limits: DefaustNodeLimits; mailbox?: Mailbox; signatures?: SignatureBatchVerifier },
    validate: (key: Uint8Array, value: Uint8Array) => Promise<void>,
  ) {
    this.libp2p = libp2p;
    this.crypto = deps.crypto;
    this.signatures = deps.signatures;
    this.store = deps.store;
    const limits = deps.limits;
    this.limits = limits;
    this.traffic = new Traffic(limits);
    this.mailbox = deps.mailbox ?? null;
    this.network = new Libp2pNetwork(libp2p, limits, validate, this.traffic);
  }

  get peerId(): string {
    return this.libp2p.peerId.toString();
  }

  multiaddrs(): string[] {
    return this.libp2p.getMultiaddrs().map((ma) => ma.toString());
  }

  /** Peers in the DHT routing table. */
  routingTableSize(): number {
    return (this.libp2p.services.dht as KadDHT & { routingTable?: { size: number } }).routingTable?.size ?? 0;
  }

  /** Whether the peer is in the DHT routing table. */
  async knowsPeer(peer: PeerId): Promise<boolean> {
    const table = (this.libp2p.services.dht as KadDHT & { routingTable?: { find(peer: PeerId): Promise<PeerId | undefined> } }).routingTable;
    return (await table?.find(peer)) !== undefined;
  }

  /** Ends the queries and dials in flight, then stops libp2p. */
  async stop(): Promise<void> {
    this.network.close();
    await this.libp2p.stop();
  }

  countRejection(rule: HeadRecordRule): void {
    this.rejections.set(rule, (this.rejections.get(rule) ?? 0) + 1);
  }
}

/** Bytes held for the chains `counted` picks (headers, bodies, media). */
export function foreignBytes(store: ChainStore, counted: (id: Did) => boolean): number {
  let total = 0;
  for (const id of store.chains()) if (counted(id)) total += store.storedBytes(id);
  return total;
}

/** Builds and starts a node. */
export async function createDefaustNode(options: DefaustNodeOptions): Promise<DefaustNode> {
  const limits: DefaustNodeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const { crypto } = options;
  const want = { webSockets: true, webRTC: true, relay: true, ...options.transports };
  if (options.privateNetwork !== undefined) want.webRTC = false;
  const floor = new HeadRecordFloor();
  let node: DefaustNode | null = null;

  const validator = async (key: Uint8Array, value: Uint8Array): Promise<void> => {
    try {
      const record = validateHeadRecord(crypto, key, value);
      floor.admit(fromUtf8(key), record, value);
      options.onHeadRecord?.(record, value);
    } catch (error) {
      if (error instanceof HeadRecordError) node?.countRejection(error.rule);
      throw error;
    }
  };
  const selector = (key: Uint8Array, records: Uint8Array[]): number => Math.max(0, selectHeadRecord(crypto, key, records));

  const transports: NonNullable<Libp2pOptions['transports']> = [tcp()];
  if (want.webSockets) transports.push(webSockets());
  if (want.webRTC) {
    const rtcConfiguration = options.iceServers === undefined ? undefined : { iceServers: options.iceServers.map((url) => ({ urls: [url] })) };
    transports.push(webRTC({ rtcConfiguration }), webRTCDirect({ rtcConfiguration }));
  }
  if (want.relay || want.webRTC) transports.push(circuitRelayTransport());

  const services: Record<string, unknown> = {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({
      protocol: options.privateNetwork?.dhtProtocol ?? DHT_PROTOCOL,
      clientMode: false,
      validators: { [DHT_NAMESPACE]: validator },
      selectors: { [DHT_NAMESPACE]: selector },
      peerInfoMapper: options.privateAddresses ? passthroughMapper : removePrivateAddressesMapper,
      maxInboundStreams: limits.dhtInboundStreams,
      maxOutboundStreams: limits.dhtOutboundStreams,
    }),
  };
  if (options.nat ?? true) {
    services.autonat = autoNAT();
    services.dcutr = dcutr();
  }
  if (options.relayServer) {
    services.relay = circuitRelayServer({
      reservations: { maxReservations: limits.relayReservations, defaultDurationLimit: limits.relayDurationMs, defaultDataLimit: BigInt(limits.relayDataBytes) },
    });
  }

  const peerDiscovery: NonNullable<Libp2pOptions['peerDiscovery']> = [];
  if (options.bootstrap !== undefined && options.bootstrap.length > 0) peerDiscovery.push(bootstrap({ list: options.bootstrap }));
  if (options.mdns ?? true) peerDiscovery.push(mdns());

  const listen = options.listen ?? DEFAULT_LISTEN.filter((addr) =>
    (want.webSockets || !addr.endsWith('/ws')) && (want.webRTC || !addr.includes('webrtc')) && (want.relay || want.webRTC || addr !== '/p2p-circuit'));

  const libp2p = (await createLibp2p({
    ...(options.privateKey === undefined ? {} : { privateKey: options.privateKey }),
    ...(options.datastore === undefined ? {} : { datastore: options.datastore }),
    addresses: { listen },
    transports,
    ...(options.privateNetwork === undefined ? {} : { connectionProtector: preSharedKey({ psk: options.privateNetwork.swarmKey }) }),
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    connectionManager: {
      maxConnections: limits.maxConnections,
      maxIncomingPendingConnections: limits.maxIncomingPendingConnections,
      inboundConnectionThreshold: limits.inboundConnectionsPerHostPerSecond,
      dialTimeout: limits.dialTimeoutMs,
    },
    services: services as never,
    start: false,
  })) as unknown as Libp2p<DefaustServices>;
  const msgLimits: MessagingLimits = { ...DEFAULT_MESSAGING_LIMITS, ...options.mailbox?.limits };
  const mailbox = options.mailbox === undefined ? undefined
    : new Mailbox({ crypto, store: options.mailbox.store, clock: options.mailbox.clock ?? { now: () => Date.now() }, limits: msgLimits });
  node = new DefaustNode(libp2p, { crypto, store: options.store, limits, mailbox, signatures: options.signatures }, validator);
  if (mailbox !== undefined) await handleMessaging(libp2p, { mailbox, limits: msgLimits, meter: node.traffic, onSession: options.mailbox?.onSession, ...(options.mailbox?.evidence === undefined ? {} : { evidence: options.mailbox.evidence }), ...(options.log === undefined ? {} : { log: options.log }) });

  await handleSync(libp2p, {
    crypto,
    signatures: options.signatures,
    store: options.store,
    limits: {
      ...limits,
      maxInboundStreams: limits.syncInboundStreams,
      maxOutboundStreams: limits.syncOutboundStreams,
    },
    ownIdentities: options.ownIdentities ?? (() => []),
    quotaFor: (id) => {
      const own = new Set(options.ownIdentities?.() ?? []);
      const others = foreignBytes(options.store, (chain) => chain !== id && !own.has(chain));
      // What the chain holds here already, plus what the disk can give before it is down to the free space kept.
      const room = options.freeDiskBytes === undefined ? Number.POSITIVE_INFINITY
        : options.store.storedBytes(id) + Math.max(0, options.freeDiskBytes() - node!.limits.minFreeDiskBytes);
      return Math.min(node!.limits.quotaBytes, Math.max(0, node!.limits.replicaStorageBytes - others), room);
    },
    // The pusher is told `provided: false`; this node's log is told why.
    announce: (id) => {
      options.onReplicaStored?.(id);
      return node!.network.provide(replicaKey(crypto, id)).then(() => true, (error: unknown) => {
        options.log?.warn('replica announce failed', { id, ...errorFields(error) });
        return false;
      });
    },
    onSession: options.onSyncSession,
    ...(options.onEquivocation === undefined ? {} : { onEquivocation: options.onEquivocation }),
    meter: node.traffic,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  await handleBlob(libp2p, {
    store: options.store,
    limits: { ...limits, maxInboundStreams: limits.syncInboundStreams, maxOutboundStreams: limits.syncOutboundStreams },
    meter: node.traffic,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  await libp2p.start();
  return node;
}
