// Many nodes on one machine: every node listens on 127.0.0.1 (TCP only, no mDNS, host-only WebRTC off),
// keeps loopback addresses in DHT answers, accepts many connections per second from one host, and joins
// through the first node; each keeps an in-memory mailbox unless told otherwise. Used by the network tests
// and `npm run bench -- net`; see docs/network.md.
import { MemoryMailboxStore } from '../db/mailbox-store.ts';
import { MemoryChainStore } from '../db/memory-store.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import type { Did } from '../../core/identity/did.ts';
import type { ChainStore } from '../../core/ports.ts';
import { createDefaustNode, type DefaustNode, type DefaustNodeLimits, type DefaustNodeOptions } from './node.ts';
import type { SyncSessionEvent } from './sync.ts';

export const LOOPBACK_LISTEN = ['/ip4/127.0.0.1/tcp/0'];

export interface LoopbackPeer {
  node: DefaustNode;
  store: ChainStore;
}

export interface LoopbackNodeSettings {
  store?: ChainStore;
  bootstrap?: string[];
  limits?: Partial<DefaustNodeLimits>;
  ownIdentities?: () => readonly Did[];
  onSyncSession?: (event: SyncSessionEvent) => void;
  /** The node's mailbox (default: an in-memory store with default limits); false for none. */
  mailbox?: DefaustNodeOptions['mailbox'] | false;
  datastore?: DefaustNodeOptions['datastore'];
  log?: DefaustNodeOptions['log'];
  /** Told about each valid head record the node's DHT admits, and each pushed chain stored (a replica's hosted chains). */
  onHeadRecord?: DefaustNodeOptions['onHeadRecord'];
  onReplicaStored?: DefaustNodeOptions['onReplicaStored'];
  freeDiskBytes?: DefaustNodeOptions['freeDiskBytes'];
}

/** One loopback node (an in-memory store unless one is given). */
export async function startLoopbackNode(crypto: Crypto, settings: LoopbackNodeSettings = {}): Promise<LoopbackPeer> {
  const store = settings.store ?? new MemoryChainStore();
  const node = await createDefaustNode({
    crypto,
    store,
    listen: LOOPBACK_LISTEN,
    bootstrap: settings.bootstrap ?? [],
    transports: { webSockets: false, webRTC: false, relay: false },
    nat: false,
    mdns: false,
    privateAddresses: true,
    ownIdentities: settings.ownIdentities ?? (() => []),
    onSyncSession: settings.onSyncSession,
    mailbox: settings.mailbox === false ? undefined : settings.mailbox ?? { store: new MemoryMailboxStore() },
    datastore: settings.datastore,
    ...(settings.log === undefined ? {} : { log: settings.log }),
    ...(settings.onHeadRecord === undefined ? {} : { onHeadRecord: settings.onHeadRecord }),
    ...(settings.onReplicaStored === undefined ? {} : { onReplicaStored: settings.onReplicaStored }),
    ...(settings.freeDiskBytes === undefined ? {} : { freeDiskBytes: settings.freeDiskBytes }),
    limits: { queryTimeoutMs: 10_000, sessionTimeoutMs: 60_000, inboundConnectionsPerHostPerSecond: 1000, maxIncomingPendingConnections: 100, ...settings.limits },
  });
  return { node, store };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every node's DHT routing table holds at least `min` peers; throws after `timeoutMs`. */
export async function waitForRoutingTables(nodes: DefaustNode[], min: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (nodes.some((n) => n.routingTableSize() < min)) {
    if (Date.now() > deadline) throw new Error(`DHT routing tables did not fill in ${timeoutMs} ms: ${nodes.map((n) => n.routingTableSize()).join(', ')}`);
    await sleep(100);
  }
}

/**
 * Dials until each of `nodes` holds each of `targets` (but itself) in its DHT routing table, dialling again
 * every half second whatever is still missing: a dial that timed out or an identify that came late on a loaded
 * machine is made up for. Throws after `timeoutMs`, naming how many links are missing.
 */
export async function connectAll(nodes: readonly DefaustNode[], targets: readonly DefaustNode[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const links = nodes.flatMap((from) => targets.filter((to) => to !== from).map((to) => ({ from, to })));
    const known = await Promise.all(links.map(({ from, to }) => from.knowsPeer(to.libp2p.peerId)));
    const missing = links.filter((_, i) => !known[i]);
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`DHT routing tables still miss ${missing.length} of ${links.length} peers after ${timeoutMs} ms`);
    await Promise.all(missing.map(({ from, to }) => from.libp2p.dial(to.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) }).catch(() => undefined)));
    await sleep(500);
  }
}

/** Starts `count` nodes, the others joining through the first. */
export async function startLoopbackNetwork(crypto: Crypto, count: number, settings: (index: number) => LoopbackNodeSettings = () => ({})): Promise<LoopbackPeer[]> {
  const first = await startLoopbackNode(crypto, settings(0));
  const entry = first.node.multiaddrs();
  const peers = [first];
  for (let i = 1; i < count; i++) peers.push(await startLoopbackNode(crypto, { bootstrap: entry, ...settings(i) }));
  return peers;
}

/** Stops every node given (skipping the missing ones); never throws, so a test's teardown cannot hide its own failure. */
export async function stopLoopback(peers: readonly (LoopbackPeer | undefined)[]): Promise<void> {
  await Promise.all(peers.map((peer) => peer?.node.stop().catch(() => undefined)));
}
