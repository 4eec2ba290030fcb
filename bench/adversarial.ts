// The DHT adversarial simulation, `npm run net -- --adversarial [--nodes N] [--identities I] [--readers R]
// [--seed S] [--json]`: N real DeFaust nodes on loopback in this process, 20 % of them adversarial (the kinds
// of dht-adversary.ts, in turn); I identities publish their head record three times each (seq 1, 2, 3) from
// honest nodes; then R honest readers per identity, among them nodes that joined after the publishing and hold
// nothing, look up its head. Prints the share of lookups that returned the latest record as signed (target
// ≥ 99 %), what the others returned, the refusals the readers counted by rule, and the median lookup time and
// hops. Exits 1 below the target.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import { startLoopbackNetwork, startLoopbackNode, stopLoopback, waitForRoutingTables, type LoopbackPeer } from '../src-main/adapters/p2p/loopback.ts';
import { createReplication } from '../src-main/adapters/p2p/replication.ts';
import { utf8 } from '../src-main/core/bytes.ts';
import { cidOf } from '../src-main/core/chain/codec.ts';
import { DefaustError } from '../src-main/core/errors.ts';
import { didFromPublicKey, type Did } from '../src-main/core/identity/did.ts';
import { headKeyBytes, makeHeadRecord, type HeadRecord } from '../src-main/core/net/head-record.ts';
import { ADVERSARY_KINDS, LyingDatastore, type AdversaryKind } from './dht-adversary.ts';
import { lookupHops } from './net.ts';
import { median } from './stats.ts';
import { prng as seeded } from '../test/prng.ts';

const TARGET = 0.99;
const PUBLISHES = 3;
/** Identities publishing at once (dozens of DHT puts at once run out their timeouts on a loaded machine). */
const PUBLISH_BATCH = 4;
/** A DHT query's timeout here: 30 s, for a machine running dozens of nodes. */
const QUERY_TIMEOUT_MS = 30_000;

/** Peers each node's DHT table holds before the simulation starts. */
const MIN_TABLE = 3;

/** Has each node of `peers` (from the second on) dial up to 8 random earlier ones. */
async function joinRandomly(peers: LoopbackPeer[], pick: (n: number) => number): Promise<void> {
  // One node at a time: hundreds of Noise handshakes at once time out on a loaded machine.
  for (const [i, peer] of peers.slice(1).entries()) {
    const earlier = new Set(Array.from({ length: Math.min(8, i + 1) }, () => pick(i + 1)));
    await Promise.all([...earlier].map((j) => peer.node.libp2p.dial(peers[j]!.node.libp2p.getMultiaddrs()).catch(() => undefined)));
  }
}

type Outcome = 'latest' | 'stale' | 'forged' | 'none' | 'error';

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export async function adversarialSimulation(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: {
    nodes: { type: 'string', default: '30' }, identities: { type: 'string', default: '10' }, readers: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' }, json: { type: 'boolean' },
  } });
  const nodes = wholeNumber('nodes', values.nodes, 10, 100);
  const identities = wholeNumber('identities', values.identities, 1, 500);
  const readersPer = wholeNumber('readers', values.readers, 1, 50);
  const pick = seeded(wholeNumber('seed', values.seed, 0, 2 ** 31));
  const say = (line: string) => {
    if (!values.json) console.error(line);
  };
  const crypto = createNodeCrypto();
  const clock = { now: () => Date.now() };

  // Every fifth node lies (20 %), the kinds in turn.
  const liars = Math.round(nodes / 5);
  const kindOf = (index: number): AdversaryKind | null => (index % 5 === 4 && Math.floor(index / 5) < liars ? ADVERSARY_KINDS[Math.floor(index / 5) % ADVERSARY_KINDS.length]! : null);
  const peers: LoopbackPeer[] = [];
  try {
    const start = performance.now();
    peers.push(...await startLoopbackNetwork(crypto, nodes, (i) => {
      const kind = kindOf(i);
      return { mailbox: false, limits: { queryTimeoutMs: QUERY_TIMEOUT_MS }, ...(kind === null ? {} : { datastore: new LyingDatastore(kind, crypto) }) };
    }));
    const honest = peers.filter((_, i) => kindOf(i) === null);
    // Each node also meets up to 8 earlier ones at random, as if it had several bootstrap peers: kad-dht takes
    // a connected peer into its table, and a table filled only by self-queries takes minutes.
    await joinRandomly(peers, pick);
    await waitForRoutingTables(peers.map((p) => p.node), MIN_TABLE, 120_000);
    say(`${nodes} nodes (${liars} adversarial: ${ADVERSARY_KINDS.map((k) => `${peers.filter((_, i) => kindOf(i) === k).length} ${k}`).join(', ')}) up in ${Math.round(performance.now() - start)} ms`);

    // Each identity publishes seq 1, 2, 3 from one honest node (the identities of a round in parallel).
    const latest = new Map<Did, HeadRecord>();
    const owners = new Map<Did, LoopbackPeer>();
    const seeds = Array.from({ length: identities }, () => crypto.randomBytes(32));
    const ids = seeds.map((seed) => didFromPublicKey(crypto.ed25519.publicKey(seed)));
    ids.forEach((id) => owners.set(id, honest[pick(honest.length)]!));
    const accepted: number[] = [];
    for (let seq = 1; seq <= PUBLISHES; seq++) {
      for (let first = 0; first < ids.length; first += PUBLISH_BATCH) {
        await Promise.all(ids.slice(first, first + PUBLISH_BATCH).map(async (id, k) => {
          const { record, bytes } = makeHeadRecord(crypto, { id, seq, head: cidOf(crypto.sha256, utf8(`${id} block ${seq}`)), ts: clock.now() }, seeds[first + k]!);
          accepted.push(await owners.get(id)!.node.network.putRecord(headKeyBytes(id), bytes));
          latest.set(id, record);
        }));
      }
    }
    say(`${identities} identities published ${PUBLISHES} times each; each record accepted by ${median(accepted)} peers (median)`);

    // Readers that joined afterwards hold no record and have seen none.
    const late: LoopbackPeer[] = [];
    for (let r = 0; r < Math.max(2, Math.round(nodes / 10)); r++) {
      const reader = await startLoopbackNode(crypto, { bootstrap: honest[pick(honest.length)]!.node.multiaddrs(), mailbox: false, limits: { queryTimeoutMs: QUERY_TIMEOUT_MS } });
      await joinRandomly([...peers.slice(0, nodes), reader], pick);
      late.push(reader);
    }
    peers.push(...late);
    await waitForRoutingTables(late.map((p) => p.node), MIN_TABLE, 60_000);
    const readers = [...late, ...honest];

    const outcomes = new Map<Outcome, number>();
    const errors = new Map<string, number>();
    const times: number[] = [];
    const hops: number[] = [];
    const asked: number[] = [];
    const rejectionsBefore = new Map(readers.map((p) => [p, new Map(p.node.rejections)]));
    for (const id of ids) {
      const want = latest.get(id)!;
      for (let r = 0; r < readersPer; r++) {
        // The first readers of each identity are the late ones, the others honest nodes besides its owner.
        const reader = r < late.length ? late[r]! : readers.filter((p) => p !== owners.get(id))[pick(readers.length - 1)]!;
        let outcome: Outcome;
        const t0 = performance.now();
        try {
          const found = await createReplication(reader.node, { clock }).lookupHead(id);
          outcome = found === null ? 'none'
            : found.seq === want.seq && found.sig.every((b, i) => b === want.sig[i]) ? 'latest'
            : found.seq < want.seq ? 'stale' : 'forged';
        } catch (error) {
          outcome = 'error';
          const code = error instanceof DefaustError ? error.code : (error as Error).name;
          errors.set(code, (errors.get(code) ?? 0) + 1);
        }
        times.push(performance.now() - t0);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (hops.length < 40) {
          const path = await lookupHops(reader.node, headKeyBytes(id));
          hops.push(path.hops);
          asked.push(path.asked);
        }
      }
    }
    const refused: Record<string, number> = {};
    for (const reader of readers) {
      for (const [rule, count] of reader.node.rejections) refused[rule] = (refused[rule] ?? 0) + count - (rejectionsBefore.get(reader)!.get(rule) ?? 0);
    }
    const lookups = times.length;
    const share = (outcomes.get('latest') ?? 0) / lookups;
    const result = {
      nodes, adversarial: liars, identities, lookups,
      correct: Number(share.toFixed(4)), target: TARGET,
      outcomes: Object.fromEntries(outcomes), errors: Object.fromEntries(errors), refusedByRule: refused,
      lookupMs: Math.round(median(times)), lookupMaxMs: Math.round(Math.max(...times)),
      hops: median(hops), peersAsked: median(asked),
    };
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(`lookups: ${lookups}; correct latest record: ${(share * 100).toFixed(2)} % (target ≥ ${TARGET * 100} %)`);
      console.log(`outcomes: ${JSON.stringify(result.outcomes)}${errors.size > 0 ? `; errors: ${JSON.stringify(result.errors)}` : ''}`);
      console.log(`refused by the readers, by rule: ${JSON.stringify(refused)}`);
      console.log(`lookup time: median ${result.lookupMs} ms, max ${result.lookupMaxMs} ms; hops to the first answer: median ${result.hops}; peers asked: median ${result.peersAsked}`);
    }
    return share >= TARGET ? 0 : 1;
  } finally {
    await stopLoopback(peers);
  }
}
