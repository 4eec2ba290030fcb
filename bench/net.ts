// Network benchmark on real libp2p nodes over loopback (TCP): an owner publishes a 1,000-block identity to
// 3 replicas among 12 nodes; then head-record lookups from every other node (median time, and hops to the
// first answer), full recoveries by a
// fresh node into SQLite (head record → providers → pull → verify → import; median), and the sync rate of
// a pull from one replica in blocks/s — its signatures on this thread, and on every core (verify pool) —
// next to the local one-thread verify rate (verifyStoredChain) of the same chain, measured in the same run;
// then the restart figure (net-restart.ts): how long until a network whose every node restarted serves a lookup;
// then the read-on-request figure (net-read.ts): a grantee's read through the offline owner's registered client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { MemoryRequestStore } from '../src-main/adapters/db/request-store.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { startLoopbackNetwork, startLoopbackNode, stopLoopback, waitForRoutingTables, type LoopbackPeer } from '../src-main/adapters/p2p/loopback.ts';
import { peerAt } from '../src-main/adapters/p2p/network.ts';
import { createReplication } from '../src-main/adapters/p2p/replication.ts';
import { VerifyPool } from '../src-main/adapters/crypto/verify-pool.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { deriveIdentitySecrets, newMnemonic } from '../src-main/core/identity/keys.ts';
import { headKeyBytes } from '../src-main/core/net/head-record.ts';
import { runPull } from '../src-main/core/net/sync-session.ts';
import { Profile, type OwnerKeys } from '../src-main/core/profile/profile.ts';
import { fmt, median, medianRate, type BenchSize } from './stats.ts';
import { restartFigure } from './net-restart.ts';
import { readFigure } from './net-read.ts';

const FULL = { nodes: 12, blocks: 1_000, lookupRounds: 2, recoveryRounds: 3, syncRounds: 5 };
const TINY = { nodes: 5, blocks: 40, lookupRounds: 1, recoveryRounds: 1, syncRounds: 1 };

/**
 * How many hops a DHT get for `key` took from `node` until the first peer answered with the value: a peer
 * the node is connected to is hop 1, one learned from a hop-h answer is hop h + 1. Also how many peers were
 * asked in all.
 */
export async function lookupHops(node: LoopbackPeer['node'], key: Uint8Array): Promise<{ hops: number; asked: number }> {
  // Peers the node is connected to at the start are one hop away, however a query happens to learn of them.
  const hop = new Map<string, number>(node.libp2p.getPeers().map((peer) => [peer.toString(), 1]));
  const asked = new Set<string>();
  let found = 0;
  for await (const event of node.libp2p.services.dht.get(key, { signal: AbortSignal.timeout(15_000) })) {
    if (event.name === 'SEND_QUERY') {
      const to = event.to.toString();
      asked.add(to);
      if (!hop.has(to)) hop.set(to, 1);
    } else if (event.name === 'PEER_RESPONSE') {
      const from = hop.get(event.from.toString()) ?? 1;
      for (const closer of event.closer) {
        const id = closer.id.toString();
        if (!hop.has(id) || hop.get(id)! > from + 1) hop.set(id, from + 1);
      }
    } else if (event.name === 'VALUE' && found === 0) {
      found = hop.get(event.from.toString()) ?? 0;
    }
  }
  return { hops: found, asked: asked.size };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

export async function netBench(json: boolean, size: BenchSize = 'full'): Promise<void> {
  const { nodes: NODES, blocks: BLOCKS, lookupRounds: LOOKUP_ROUNDS, recoveryRounds: RECOVERY_ROUNDS, syncRounds: SYNC_ROUNDS } = size === 'tiny' ? TINY : FULL;
  const crypto = createNodeCrypto();
  const pool = new VerifyPool(crypto.ed25519);
  const clock = { now: () => Date.now() };
  const dir = mkdtempSync(join(tmpdir(), 'defaust-net-bench-'));
  const peers: (LoopbackPeer | undefined)[] = [];
  const stores: SqliteChainStore[] = [];
  try {
    const keys: OwnerKeys = { identity: deriveIdentitySecrets(crypto, newMnemonic(crypto.randomBytes)), deviceSeed: crypto.randomBytes(32), localKey: crypto.randomBytes(32) };
    const ownerStore = new MemoryChainStore();
    const profile = Profile.create({ crypto, store: ownerStore, clock, requests: new MemoryRequestStore() }, keys);
    while (profile.length < BLOCKS) profile.set('fitness', `lap${profile.length % 100}`, profile.length);
    const id = profile.id;

    const [network, startMs] = await timed(async () => {
      const started = await startLoopbackNetwork(crypto, NODES - 1);
      peers.push(...started);
      const owner = await startLoopbackNode(crypto, { store: ownerStore, bootstrap: started[0]!.node.multiaddrs(), ownIdentities: () => [id] });
      peers.push(owner);
      await waitForRoutingTables(peers.map((p) => p!.node), NODES - 1, 60_000);
      return { started, owner };
    });

    const [published, publishMs] = await timed(() => createReplication(network.owner.node, { clock }).publish(id, keys.identity.ed25519Seed));
    if (published.replicas.length < 3) throw new Error(`published to ${published.replicas.length} replicas only`);

    const lookupTimes: number[] = [];
    const hops: number[] = [];
    const asked: number[] = [];
    for (let round = 0; round < LOOKUP_ROUNDS; round++) {
      for (const peer of network.started) {
        const [record, ms] = await timed(() => createReplication(peer.node, { clock }).lookupHead(id));
        if (record?.head.toString() !== profile.headCid) throw new Error('a lookup missed the head record');
        lookupTimes.push(ms);
        const path = await lookupHops(peer.node, headKeyBytes(id));
        hops.push(path.hops);
        asked.push(path.asked);
      }
    }

    // Full recoveries by a fresh node (new peer id, empty SQLite store) joining through a random peer.
    const recoveryTimes: number[] = [];
    for (let round = 0; round < RECOVERY_ROUNDS; round++) {
      const store = new SqliteChainStore(join(dir, `recovered-${round}.db`));
      stores.push(store);
      const entry = network.started[(round * 5 + 3) % network.started.length]!;
      const fresh = await startLoopbackNode(crypto, { store, bootstrap: entry.node.multiaddrs(), ownIdentities: () => [id] });
      peers.push(fresh);
      await waitForRoutingTables([fresh.node], 3, 30_000);
      const [report, ms] = await timed(() => createReplication(fresh.node, { clock }).recoverFromNetwork(id));
      if (store.head(id)?.cid !== profile.headCid || report.result?.length !== BLOCKS) throw new Error('recovery ended elsewhere');
      recoveryTimes.push(ms);
      await fresh.node.stop();
    }

    // The pull alone: one replica, a fresh SQLite store, same node each time.
    const replica = network.started.find((p) => p.node.peerId === published.replicas[0]!.peer)!;
    const puller = network.started.find((p) => !published.replicas.some((r) => r.peer === p.node.peerId))!;
    const target = peerAt(replica.node.libp2p.peerId, replica.node.libp2p.getMultiaddrs());
    const pullRate = async (name: string, signatures?: VerifyPool) => {
      const rates: number[] = [];
      for (let round = 0; round < SYNC_ROUNDS; round++) {
        const store = new SqliteChainStore(join(dir, `${name}-${round}.db`));
        stores.push(store);
        const [result, ms] = await timed(() => puller.node.network.withSync(target, (channel) => runPull(channel, crypto, store, id, Number.POSITIVE_INFINITY, signatures)));
        if (result.length !== BLOCKS) throw new Error('the pull ended early');
        rates.push(BLOCKS / (ms / 1000));
      }
      return median(rates);
    };
    const syncPerSec = await pullRate('pulled');
    await pullRate('warm-up', pool); // starts the signature workers outside the timing
    const parallelSyncPerSec = await pullRate('pulled-parallel', pool);

    const verifyPerSec = medianRate(SYNC_ROUNDS, BLOCKS, () => {
      const report = verifyStoredChain(crypto, stores[0]!, id);
      if (!report.ok) throw new Error(report.error?.message);
    });

    await stopLoopback(peers.splice(0));
    const restart = await restartFigure();
    const read = await readFigure(size === 'tiny' ? 1 : 5);
    const result = {
      nodes: NODES,
      blocks: BLOCKS,
      replicas: published.replicas.length,
      networkStartMs: Math.round(startMs),
      publishMs: Math.round(publishMs),
      headLookupMs: Math.round(median(lookupTimes)),
      headLookupHops: median(hops),
      headLookupMaxHops: Math.max(...hops),
      headLookupPeersAsked: median(asked),
      recoveryMs: Math.round(median(recoveryTimes)),
      syncBlocksPerSec: Math.round(syncPerSec),
      parallelSyncBlocksPerSec: Math.round(parallelSyncPerSec),
      workers: pool.size,
      verifyBlocksPerSec: Math.round(verifyPerSec),
      syncToVerify: Number((syncPerSec / verifyPerSec).toFixed(3)),
      parallelSyncToVerify: Number((parallelSyncPerSec / verifyPerSec).toFixed(3)),
      restartNodes: restart.nodes,
      restartLookupMs: restart.restartLookupMs,
      readViaClientMs: read.readViaClientMs,
    };
    if (json) {
      console.log(JSON.stringify(result));
    } else {
      console.log(`network: ${NODES} libp2p nodes on loopback TCP, up and routing in ${fmt(result.networkStartMs)} ms`);
      console.log(`publish ${BLOCKS}-block identity to ${result.replicas} replicas: ${fmt(result.publishMs)} ms`);
      console.log(`head record lookup (median of ${lookupTimes.length}):        ${fmt(result.headLookupMs)} ms, ${result.headLookupHops} hop(s) to the first answer (max ${result.headLookupMaxHops}), ${result.headLookupPeersAsked} peers asked`);
      console.log(`recovery, fresh node into SQLite (median of ${RECOVERY_ROUNDS}): ${fmt(result.recoveryMs)} ms`);
      console.log(`sync (one pull, verify + import), median of ${SYNC_ROUNDS}: ${fmt(result.syncBlocksPerSec)} blocks/s on one thread, ${fmt(result.parallelSyncBlocksPerSec)} blocks/s with ${result.workers} signature worker(s)`);
      console.log(`local one-thread verify (verifyStoredChain, baseline): ${fmt(result.verifyBlocksPerSec)} blocks/s   (sync/verify ${result.syncToVerify}, parallel sync/verify ${result.parallelSyncToVerify})`);
      console.log(`restart: ${restart.nodes} homes stopped and started again; a lookup is served again after ${fmt(result.restartLookupMs)} ms (${restart.republished} replicas republished the record)`);
      console.log(`read on request through the owner's registered client, owner offline (median of ${read.rounds}): ${fmt(result.readViaClientMs)} ms`);
    }
  } finally {
    await pool.close();
    await stopLoopback(peers);
    for (const store of stores) store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await netBench(process.argv.includes('--json'), process.argv.includes('--tiny') ? 'tiny' : 'full');
