// The network past this machine, by simulation (issue 13 item 8): `npm run net -- --simulate N [--identities M]
// [--churn 0.3] [--rounds 3] [--seed S] [--no-hosted-repair] [--json]`. N real DeFaust nodes (libp2p, kad-dht,
// `/defaust/sync/1.0.0`) in this process on loopback TCP (there is no @libp2p/memory in this install), each
// with its own in-memory chain store and held-record store; M identities, each a real signed chain of a few
// blocks written on its owner's node, published there with the real Replicator (head record + R replicas).
// Then, in `rounds` rounds, `churn` × N nodes in all leave for good (their stores with them, owners included)
// and as many fresh nodes join; while owners whose node is still up publish new blocks, every node runs the
// repair of the project (the owner's `Replicator.repair`, the replicas' `HostedChains.repair`) and readers
// (nodes that are up) look up a head record and pull the chain. At the end a fresh node tries to recover every
// identity: head record from the DHT, providers, pull, verify (verifyStoredChain). It prints the share of
// identities recoverable and readable, lookup hops and time (median, p95), and how many live nodes hold each
// chain's latest head. Every choice (owners, who leaves, who publishes, who reads) comes from --seed; key
// material too (sha-256 of the seed and the identity's number: no KDF, but real Ed25519 signatures).
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import { MemoryHeldRecordStore } from '../src-main/adapters/db/held-record-store.ts';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { MemoryRequestStore } from '../src-main/adapters/db/request-store.ts';
import { startLoopbackNode, type LoopbackPeer } from '../src-main/adapters/p2p/loopback.ts';
import type { Libp2pPeer } from '../src-main/adapters/p2p/network.ts';
import { createReplication } from '../src-main/adapters/p2p/replication.ts';
import { HostedChains } from '../src-main/app/network/hosted.ts';
import { utf8 } from '../src-main/core/bytes.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { DefaustError } from '../src-main/core/errors.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import type { Logger } from '../src-main/core/log.ts';
import { headKeyBytes } from '../src-main/core/net/head-record.ts';
import { Replicator } from '../src-main/core/net/replicator.ts';
import { Profile, type OwnerKeys } from '../src-main/core/profile/profile.ts';
import { prng } from '../test/prng.ts';
import { lookupHops } from './net.ts';
import { median } from './stats.ts';

/** The issue's target: with 30 % of the nodes replaced, this share of identities stays recoverable. */
export const TARGET = 0.999;
/** A DHT query's timeout here: a machine running a hundred nodes answers slowly. */
const QUERY_TIMEOUT_MS = 30_000;
/** Peers each node's routing table holds before it takes part. */
const MIN_TABLE = 3;
/** Random peers a node dials when it joins (as if it had several bootstrap peers). */
const MEET = 8;
/** Operations (publishes, repairs of one node, reads, recoveries) at once: dozens of DHT queries at once time out. */
const PARALLEL = 8;

export interface SimulationOptions {
  nodes: number;
  identities: number;
  /** Share of the nodes replaced over the run (0..0.9). */
  churn: number;
  /** Rounds the churn is spread over; repair runs once a round. */
  rounds: number;
  seed: number;
  /** Blocks each identity writes after its genesis. */
  writes: number;
  /** Share of identities (with their owner up) that publish a new block each round. */
  updates: number;
  /** Reads by nodes that are up, each round. */
  readsPerRound: number;
  /** Whether replicas repair the chains they host (HostedChains.repair); false shows the owner-only repair. */
  hostedRepair: boolean;
}

export const DEFAULTS: SimulationOptions = { nodes: 100, identities: 1000, churn: 0.3, rounds: 3, seed: 1, writes: 2, updates: 0.05, readsPerRound: 50, hostedRepair: true };

interface Spread {
  median: number;
  p95: number;
  max: number;
}

export interface SimulationResult {
  nodes: number;
  identities: number;
  churn: number;
  rounds: number;
  seed: number;
  transport: 'loopback-tcp';
  hostedRepair: boolean;
  /** Nodes that left (and as many joined). */
  replaced: number;
  blocksPerIdentity: Spread;
  publish: { publishes: number; replicas: Spread; recordPeers: Spread };
  /** A fresh node at the end: head record found and a full chain pulled that verifies and ends in it. */
  recoverable: { share: number; latestShare: number; ok: number; latest: number; of: number; failures: Record<string, number> };
  /** Reads during the churn by nodes that were up: the latest head record found and its chain pulled. */
  readable: { share: number; ok: number; of: number; failures: Record<string, number> };
  lookup: { ms: Spread; hops: Spread; peersAsked: Spread; samples: number };
  readMs: Spread;
  /** Live nodes holding each identity's latest head, at the end: count → identities. */
  replicaCounts: Record<string, number>;
  /** Identities whose owner's node left. */
  ownersGone: number;
  repair: { checks: number; repaired: number };
  /** Background failures the nodes told their logs, by event. */
  logged: Record<string, number>;
  target: number;
  met: boolean;
  ms: { setup: number; publish: number; churn: number; recovery: number; total: number };
}

interface SimNode {
  peer: LoopbackPeer;
  hosted: HostedChains;
  replicator: Replicator<Libp2pPeer>;
  /** Identities this node is the owner's node of. */
  owned: Set<Did>;
  /** Hosted-record lookups in flight (a pushed chain was stored). */
  pending: Set<Promise<unknown>>;
  up: boolean;
}

interface SimIdentity {
  id: Did;
  keys: OwnerKeys;
  owner: SimNode | null;
  profile: Profile;
  /** The last published record, its seq and head. */
  record: Uint8Array | null;
  seq: number;
  head: string;
}

const spread = (values: number[]): Spread => {
  if (values.length === 0) return { median: 0, p95: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { median: Math.round(median(sorted) * 10) / 10, p95: Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! * 10) / 10, max: Math.round(sorted.at(-1)! * 10) / 10 };
};

const codeOf = (error: unknown): string => (error instanceof DefaustError ? error.code : (error as Error).name ?? 'internal');

const count = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

/** Runs `task` on each item, at most `parallel` at once. */
async function each<T>(items: readonly T[], parallel: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i]!, i);
    }
  }));
}

export async function runSimulation(options: SimulationOptions, say: (line: string) => void = () => undefined): Promise<SimulationResult> {
  const o = options;
  const began = performance.now();
  const crypto = createNodeCrypto();
  const clock = { now: () => Date.now() };
  const pick = prng(o.seed);
  const logged: Record<string, number> = {};
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: (event) => count(logged, event), error: (event) => count(logged, event) };
  const nodes: SimNode[] = [];
  const up = () => nodes.filter((n) => n.up);
  const randomUp = (besides?: SimNode | null) => {
    const choices = up().filter((n) => n !== besides);
    return choices[pick(choices.length)]!;
  };

  const startNode = async (): Promise<SimNode> => {
    const live = up();
    const entry = live.length === 0 ? [] : live[pick(live.length)]!.peer.node.multiaddrs();
    const owned = new Set<Did>();
    const pending = new Set<Promise<unknown>>();
    let hosted: HostedChains | null = null;
    const peer = await startLoopbackNode(crypto, {
      bootstrap: entry,
      mailbox: false,
      log,
      ownIdentities: () => [...owned],
      limits: { queryTimeoutMs: QUERY_TIMEOUT_MS },
      // What NetService.start wires for a home's node: a replica keeps the records of the chains it hosts.
      onHeadRecord: (record, bytes) => {
        hosted?.offer(record, bytes);
      },
      onReplicaStored: (id) => {
        const lookup = hosted!.stored(id).catch(() => count(logged, 'head record lookup failed'));
        pending.add(lookup);
        void lookup.finally(() => pending.delete(lookup));
      },
    });
    hosted = new HostedChains({ crypto, store: peer.store, held: new MemoryHeldRecordStore(), network: peer.node.network, clock, log });
    const node: SimNode = { peer, hosted, replicator: createReplication(peer.node, { clock }), owned, pending, up: true };
    await meet(node);
    nodes.push(node);
    return node;
  };
  /** Dials up to MEET random nodes that are up (kad-dht takes a connected peer into its table). */
  async function meet(node: SimNode): Promise<void> {
    const others = up().filter((other) => other !== node);
    const chosen = new Set(Array.from({ length: Math.min(MEET, others.length) }, () => others[pick(others.length)]!));
    await Promise.all([...chosen].map((other) => node.peer.node.libp2p.dial(other.peer.node.libp2p.getMultiaddrs()).catch(() => undefined)));
  }
  /** Until every node of `group` that is up has MIN_TABLE peers in its table: those with fewer meet more (a loaded machine drops dials). */
  const fill = async (group: readonly SimNode[], timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const thin = group.filter((n) => n.up && n.peer.node.routingTableSize() < MIN_TABLE);
      if (thin.length === 0) return;
      if (Date.now() > deadline) throw new Error(`${thin.length} nodes hold fewer than ${MIN_TABLE} peers in their DHT table after ${timeoutMs} ms`);
      await each(thin, PARALLEL, meet);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  };
  const settle = async () => {
    while (nodes.some((n) => n.pending.size > 0)) await Promise.all(nodes.flatMap((n) => [...n.pending]));
  };

  const publishes = { replicas: [] as number[], recordPeers: [] as number[] };
  const publish = async (identity: SimIdentity) => {
    const owner = identity.owner!;
    const report = await owner.replicator.publish(identity.id, identity.keys.identity.ed25519Seed);
    owner.hosted.offer(report.record, report.recordBytes); // as NetService.remember does
    identity.record = report.recordBytes;
    identity.seq = report.record.seq;
    identity.head = report.record.head.toString();
    publishes.replicas.push(report.replicas.length);
    publishes.recordPeers.push(report.recordPeers);
  };

  const lookupMs: number[] = [];
  const hops: number[] = [];
  const asked: number[] = [];
  const readMs: number[] = [];
  const readable = { ok: 0, of: 0, failures: {} as Record<string, number> };
  const repair = { checks: 0, repaired: 0 };

  try {
    // The network.
    const t0 = performance.now();
    for (let i = 0; i < o.nodes; i++) await startNode();
    await fill(nodes, 900_000);
    const setupMs = performance.now() - t0;
    say(`${o.nodes} nodes up on loopback TCP in ${Math.round(setupMs)} ms`);

    // The identities: real chains (genesis, device certificate, section keys, then `writes` edits), signed.
    const t1 = performance.now();
    const identities: SimIdentity[] = [];
    for (let i = 0; i < o.identities; i++) {
      const bytes = (label: string) => crypto.sha256(utf8(`defaust/simulation/${o.seed}/${i}/${label}`));
      const keys: OwnerKeys = { identity: { ed25519Seed: bytes('ed25519'), x25519Secret: bytes('x25519'), babyJubjubSecret: bytes('babyjubjub') }, deviceSeed: bytes('device'), localKey: bytes('local') };
      const owner = nodes[pick(nodes.length)]!;
      const profile = Profile.create({ crypto, store: owner.peer.store, clock, requests: new MemoryRequestStore() }, keys);
      for (let w = 0; w < o.writes; w++) profile.set('contact', `field-${w}`, `value ${i}.${w}`);
      owner.owned.add(profile.id);
      identities.push({ id: profile.id, keys, owner, profile, record: null, seq: -1, head: '' });
    }
    const blocks = identities.map((identity) => identity.owner!.peer.store.head(identity.id)!.seq + 1);
    const created = performance.now();
    say(`${o.identities} identities written in ${Math.round(created - t1)} ms`);
    let published = 0;
    await each(identities, PARALLEL, async (identity) => {
      await publish(identity);
      if (++published % 50 === 0) say(`  ${published} published`);
    });
    await settle();
    const publishMs = performance.now() - t1;
    say(`${o.identities} identities written and published in ${Math.round(publishMs)} ms; replicas per publish: median ${median(publishes.replicas)}`);

    // The churn, in rounds: nodes leave, as many join; owners publish, every node repairs, readers read.
    const t2 = performance.now();
    const leaving = Math.round(o.nodes * o.churn);
    let replaced = 0;
    for (let round = 1; round <= o.rounds; round++) {
      const now = Math.round((leaving * round) / o.rounds) - replaced;
      for (let k = 0; k < now; k++) {
        const gone = randomUp();
        gone.up = false;
        for (const identity of identities) if (identity.owner === gone) identity.owner = null;
        await gone.peer.node.stop();
      }
      for (let k = 0; k < now; k++) await startNode();
      replaced += now;
      await fill(up(), 300_000).catch(() => undefined); // a node with a thin table still takes part

      const writers = identities.filter((identity) => identity.owner !== null && pick(1_000_000) < o.updates * 1_000_000);
      const writing = each(writers, PARALLEL / 2, async (identity) => {
        identity.profile.set('contact', 'round', round);
        await publish(identity).catch((error: unknown) => count(logged, `publish: ${codeOf(error)}`));
      });
      const repairing = each(up(), PARALLEL, async (node) => {
        // The owner's node: NetService.repair (its head did not move); the replicas: HostedChains.repair.
        for (const id of node.owned) {
          const identity = identities.find((candidate) => candidate.id === id)!;
          if (identity.record === null) continue;
          // A publish of this round may have put a newer record meanwhile: the repair is refused as stale, and
          // logged, as NetService's repair timer logs it.
          const repaired = await node.replicator.repair(id, identity.record).catch((error: unknown) => {
            count(logged, `owner repair: ${codeOf(error)}`);
            return null;
          });
          repair.checks++;
          if (repaired !== null && repaired.report !== null) repair.repaired++;
        }
        if (!o.hostedRepair) return;
        const done = await node.hosted.repair(node.replicator, (id) => node.owned.has(id));
        repair.checks += done.length;
        repair.repaired += done.filter((d) => d.replicas !== null).length;
      });
      const reading = each(Array.from({ length: o.readsPerRound }, () => identities[pick(identities.length)]!), PARALLEL / 2, async (identity) => {
        const reader = randomUp(identity.owner);
        const store = new MemoryChainStore();
        const replicator = new Replicator({ crypto, store, clock, network: reader.peer.node.network });
        readable.of++;
        const t = performance.now();
        try {
          const record = await replicator.lookupHead(identity.id);
          lookupMs.push(performance.now() - t);
          // The hop count is a second query of its own (15 s at most): one that runs out is no sample, not a failed read.
          const path = await lookupHops(reader.peer.node, headKeyBytes(identity.id)).catch(() => null);
          if (path !== null) {
            hops.push(path.hops);
            asked.push(path.asked);
          }
          if (record === null) throw new DefaustError('replication/no-head', 'no head record');
          const t3 = performance.now();
          await replicator.recoverFromNetwork(identity.id);
          readMs.push(performance.now() - t3);
          if (store.head(identity.id)?.cid === identity.head) readable.ok++;
          else count(readable.failures, 'stale');
        } catch (error) {
          count(readable.failures, codeOf(error));
        }
      });
      await Promise.all([writing, repairing, reading]);
      await settle();
      say(`round ${round}/${o.rounds}: ${now} nodes left and ${now} joined (${replaced} replaced); ${writers.length} identities published again; repairs so far ${repair.repaired} of ${repair.checks} checks; reads ${readable.ok}/${readable.of}`);
    }
    const churnMs = performance.now() - t2;

    // Ground truth: the live nodes whose store holds each identity's latest head.
    const replicaCounts: Record<string, number> = {};
    for (const identity of identities) {
      const holders = up().filter((n) => n.peer.store.header(identity.id, identity.seq)?.cid === identity.head).length;
      count(replicaCounts, String(holders));
    }

    // A fresh node recovers every identity into an empty store.
    const t4 = performance.now();
    const fresh = await startNode();
    await fill([fresh], 300_000);
    const recoverable = { ok: 0, latest: 0, failures: {} as Record<string, number> };
    await each(identities, PARALLEL, async (identity) => {
      const store = new MemoryChainStore();
      const replicator = new Replicator({ crypto, store, clock, network: fresh.peer.node.network });
      try {
        const { record } = await replicator.recoverFromNetwork(identity.id);
        const report = verifyStoredChain(crypto, store, identity.id);
        if (!report.ok || store.header(identity.id, record.seq)?.cid !== record.head.toString()) throw new DefaustError('simulation/unverified', report.error?.message ?? 'does not end in the recorded head');
        recoverable.ok++;
        if (record.seq === identity.seq && record.head.toString() === identity.head) recoverable.latest++;
      } catch (error) {
        count(recoverable.failures, codeOf(error));
      }
    });
    const recoveryMs = performance.now() - t4;

    const share = recoverable.ok / o.identities;
    return {
      nodes: o.nodes, identities: o.identities, churn: o.churn, rounds: o.rounds, seed: o.seed, transport: 'loopback-tcp', hostedRepair: o.hostedRepair,
      replaced,
      blocksPerIdentity: spread(blocks),
      publish: { publishes: publishes.replicas.length, replicas: spread(publishes.replicas), recordPeers: spread(publishes.recordPeers) },
      recoverable: { share: Number(share.toFixed(4)), latestShare: Number((recoverable.latest / o.identities).toFixed(4)), ok: recoverable.ok, latest: recoverable.latest, of: o.identities, failures: recoverable.failures },
      readable: { share: readable.of === 0 ? 1 : Number((readable.ok / readable.of).toFixed(4)), ok: readable.ok, of: readable.of, failures: readable.failures },
      lookup: { ms: spread(lookupMs.map(Math.round)), hops: spread(hops), peersAsked: spread(asked), samples: hops.length },
      readMs: spread(readMs.map(Math.round)),
      replicaCounts,
      ownersGone: identities.filter((identity) => identity.owner === null).length,
      repair,
      logged,
      target: TARGET,
      met: share >= TARGET,
      ms: { setup: Math.round(setupMs), publish: Math.round(publishMs), churn: Math.round(churnMs), recovery: Math.round(recoveryMs), total: Math.round(performance.now() - began) },
    };
  } finally {
    await Promise.all(up().map((n) => n.peer.node.stop().catch(() => undefined)));
  }
}

function numberIn(name: string, text: string, min: number, max: number, whole = true): number {
  const value = Number(text);
  if (!Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < min || value > max) {
    throw new Error(`--${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

/** Parses the command line of `npm run net -- --simulate N …`. */
export function simulationOptions(args: string[]): SimulationOptions & { json: boolean } {
  const { values } = parseArgs({ args, options: {
    simulate: { type: 'string' }, identities: { type: 'string' }, churn: { type: 'string' }, rounds: { type: 'string' }, seed: { type: 'string' },
    writes: { type: 'string' }, reads: { type: 'string' }, 'no-hosted-repair': { type: 'boolean' }, json: { type: 'boolean' },
  } });
  return {
    nodes: numberIn('simulate', values.simulate ?? String(DEFAULTS.nodes), 10, 400),
    identities: numberIn('identities', values.identities ?? String(DEFAULTS.identities), 1, 10_000),
    churn: numberIn('churn', values.churn ?? String(DEFAULTS.churn), 0, 0.9, false),
    rounds: numberIn('rounds', values.rounds ?? String(DEFAULTS.rounds), 1, 20),
    seed: numberIn('seed', values.seed ?? String(DEFAULTS.seed), 0, 2 ** 31),
    writes: numberIn('writes', values.writes ?? String(DEFAULTS.writes), 0, 100),
    updates: DEFAULTS.updates,
    readsPerRound: numberIn('reads', values.reads ?? String(DEFAULTS.readsPerRound), 0, 10_000),
    hostedRepair: !(values['no-hosted-repair'] ?? false),
    json: values.json ?? false,
  };
}

/** `npm run net -- --simulate N …`: prints the figures (one JSON document with --json); exit 1 below the target. */
export async function simulation(args: string[]): Promise<number> {
  const { json, ...options } = simulationOptions(args);
  const result = await runSimulation(options, json ? () => undefined : (line) => console.error(line));
  if (json) {
    console.log(JSON.stringify(result));
  } else {
    const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
    console.log(`${result.nodes} nodes, ${result.identities} identities (${result.blocksPerIdentity.median} blocks each), ${result.replaced} nodes replaced in ${result.rounds} rounds (churn ${result.churn}); replica repair: ${result.hostedRepair ? 'owners and replicas' : 'owners only'}`);
    console.log(`recoverable by a fresh node: ${pct(result.recoverable.share)} (${result.recoverable.ok}/${result.recoverable.of}; latest head ${pct(result.recoverable.latestShare)}) — target ≥ ${pct(TARGET)}${Object.keys(result.recoverable.failures).length > 0 ? `; failures ${JSON.stringify(result.recoverable.failures)}` : ''}`);
    console.log(`readable during the churn: ${pct(result.readable.share)} (${result.readable.ok}/${result.readable.of})${Object.keys(result.readable.failures).length > 0 ? `; failures ${JSON.stringify(result.readable.failures)}` : ''}`);
    console.log(`head-record lookup: median ${result.lookup.ms.median} ms, p95 ${result.lookup.ms.p95} ms; hops to the first answer median ${result.lookup.hops.median}, p95 ${result.lookup.hops.p95}; peers asked median ${result.lookup.peersAsked.median}, p95 ${result.lookup.peersAsked.p95}`);
    console.log(`read (lookup + providers + pull + verify): median ${result.readMs.median} ms, p95 ${result.readMs.p95} ms`);
    console.log(`live nodes holding the latest head, at the end (holders: identities): ${JSON.stringify(result.replicaCounts)}; owners gone: ${result.ownersGone}`);
    console.log(`repair: ${result.repair.repaired} republishes in ${result.repair.checks} checks; publishes ${result.publish.publishes} (replicas median ${result.publish.replicas.median}, record on ${result.publish.recordPeers.median} peers)`);
    if (Object.keys(result.logged).length > 0) console.log(`logged by the nodes: ${JSON.stringify(result.logged)}`);
    console.log(`time: setup ${result.ms.setup} ms, publish ${result.ms.publish} ms, churn ${result.ms.churn} ms, recovery ${result.ms.recovery} ms, total ${result.ms.total} ms`);
  }
  return result.met ? 0 : 1;
}
