// What a home's peer node shows of itself: the NetStatus view (its addresses, the owner's archive and its
// replicas, the chains it hosts, usage and limits), the PeerView of its connections, and the usage sampler
// that keeps the last MAX_SAMPLES UsageSamples for the Network screen's graphs, and the PublishView of a publish.
import { foreignBytes, type DefaustNode } from '../../adapters/p2p/node.ts';
import type { PublishReport } from '../../adapters/p2p/replication.ts';
import type { Did } from '../../core/identity/did.ts';
import type { RebaseReport } from '../../core/chain/writer.ts';
import type { PeerFailure } from '../../core/net/replicator.ts';
import type { Home } from '../home.ts';
import { limitsView, type LimitsView } from './limits.ts';

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
    /** The last publish that failed, when none succeeded since (the background publish after a change too). */
    publishFailure: PublishFailure | null;
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

/** Why a publish failed, and when. */
export interface PublishFailure {
  code: string;
  message: string;
  at: number;
}

/** The owner's archive as the node knows it: its last publish (or failure since), which replicas were live at the last check, R. */
export interface OwnerState {
  id: Did;
  published: { report: PublishReport; at: number } | null;
  failure: PublishFailure | null;
  live: ReadonlyMap<string, boolean>;
  /** Replicas wanted (R). */
  wanted: number;
}

const MAX_SAMPLES = 360;

/** The node's status; `owner` is null in a home with no identity. */
export function netStatus(home: Home, node: DefaustNode, owner: OwnerState | null, samples: readonly UsageSample[]): NetStatus {
  const store = home.openStore();
  const id = owner?.id ?? null;
  const head = id === null ? undefined : store.head(id);
  const hosted = store.chains().filter((chain) => chain !== id).map((chain) => ({ id: chain, length: (store.head(chain)?.seq ?? -1) + 1, bytes: store.storedBytes(chain) }));
  const published = owner?.published ?? null;
  return {
    peerId: node.peerId,
    addrs: node.multiaddrs(),
    connections: node.libp2p.getConnections().length,
    routingTable: node.routingTableSize(),
    owner: owner === null ? null : {
      id: owner.id,
      length: head === undefined ? 0 : head.seq + 1,
      head: head?.cid ?? null,
      publishedSeq: published?.report.record.seq ?? null,
      publishedAt: published?.at ?? null,
      replicas: (published?.report.replicas ?? []).map((r) => ({ peer: r.peer, length: r.length, live: owner.live.get(r.peer) ?? true })),
      wanted: owner.wanted,
      publishFailure: owner.failure,
    },
    hosted,
    usage: {
      hostedBytes: hosted.reduce((sum, h) => sum + h.bytes, 0),
      mailbox: node.mailbox?.usage() ?? { count: 0, bytes: 0 },
      thisMinute: node.traffic.thisMinute(),
      totalIn: node.traffic.totalIn,
      totalOut: node.traffic.totalOut,
      samples: [...samples],
    },
    limits: limitsView(node),
    rejections: Object.fromEntries(node.rejections),
  };
}

/** The node's connections, one entry a peer with all its addresses, oldest first. */
export function peerViews(node: DefaustNode): PeerView[] {
  const byPeer = new Map<string, PeerView>();
  for (const connection of node.libp2p.getConnections()) {
    const peerId = connection.remotePeer.toString();
    const seen = byPeer.get(peerId);
    const addr = connection.remoteAddr.toString();
    if (seen === undefined) byPeer.set(peerId, { peerId, addrs: [addr], direction: connection.direction, since: connection.timeline.open });
    else if (!seen.addrs.includes(addr)) seen.addrs.push(addr);
  }
  return [...byPeer.values()].sort((a, b) => a.since - b.since);
}

/** Usage over time: each sample counts the bytes since the previous one; the last MAX_SAMPLES are kept. */
export class UsageSampler {
  private readonly home: Home;
  private readonly node: DefaustNode;
  private readonly kept: UsageSample[] = [];
  private lastTotals = { in: 0, out: 0 };

  constructor(home: Home, node: DefaustNode) {
    this.home = home;
    this.node = node;
  }

  /** Takes one sample now; `owner`'s own chain is not counted as hosted. */
  sample(owner: Did | null): UsageSample {
    const { totalIn, totalOut } = this.node.traffic;
    const sample: UsageSample = {
      ts: this.home.clock.now(),
      connections: this.node.libp2p.getConnections().length,
      in: totalIn - this.lastTotals.in,
      out: totalOut - this.lastTotals.out,
      hostedBytes: foreignBytes(this.home.openStore(), (chain) => chain !== owner),
      mailboxBytes: this.node.mailbox?.usage().bytes ?? 0,
    };
    this.lastTotals = { in: totalIn, out: totalOut };
    this.kept.push(sample);
    if (this.kept.length > MAX_SAMPLES) this.kept.splice(0, this.kept.length - MAX_SAMPLES);
    return sample;
  }

  get samples(): readonly UsageSample[] {
    return this.kept;
  }
}

/** A publish as the CLI prints it and the UI shows it (`network:publish`). */
export interface PublishView {
  seq: number;
  recordPeers: number;
  replicas: { peer: string; length: number; sent: number }[];
  failures: PeerFailure[];
  /** Another device had published first: where the histories parted, its blocks taken in, and this device's written again after them. */
  rebased: RebaseReport | null;
}

export function publishView(report: PublishReport): PublishView {
  return {
    seq: report.record.seq,
    recordPeers: report.recordPeers,
    replicas: report.replicas.map(({ peer, length, sent }) => ({ peer, length, sent })),
    failures: report.failures,
    rebased: report.rebased,
  };
}
