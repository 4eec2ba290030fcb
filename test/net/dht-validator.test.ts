// The head-record validator and selector inside kad-dht on real nodes: a peer that puts forged, stale,
// oversized, mis-keyed or un-namespaced records gets no acceptance from any honest node, each refusal is
// counted under its rule, and a lookup still returns the newest valid record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src-main/core/bytes.ts';
import { cidOf, encode } from '../../src-main/core/chain/codec.ts';
import { didFromPublicKey } from '../../src-main/core/identity/did.ts';
import type { HeadRecordRule } from '../../src-main/core/net/errors.ts';
import { headKey, headKeyBytes, makeHeadRecord } from '../../src-main/core/net/head-record.ts';
import { Replicator } from '../../src-main/core/net/replicator.ts';
import type { DefaustNode } from '../../src-main/adapters/p2p/node.ts';
import { crypto, TestClock } from '../helpers.ts';
import { startLoopbackNetwork, stopLoopback, waitForRoutingTables, type LoopbackPeer } from '../../src-main/adapters/p2p/loopback.ts';

const NODES = 5;

function identity() {
  const seed = crypto.randomBytes(32);
  return { seed, id: didFromPublicKey(crypto.ed25519.publicKey(seed)) };
}

/** Puts a record through kad-dht directly (no validation on the way out); returns how many peers accepted it. */
async function rawPut(node: DefaustNode, key: Uint8Array, value: Uint8Array): Promise<number> {
  const accepted = new Set<string>();
  try {
    for await (const event of node.libp2p.services.dht.put(key, value, { signal: AbortSignal.timeout(8_000) })) {
      if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE' && event.record?.value.length === value.length) accepted.add(event.from.toString());
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError' && (error as Error).name !== 'TimeoutError') throw error;
  }
  return accepted.size;
}

describe('head records in the DHT of real nodes', () => {
  let network: LoopbackPeer[] = [];
  const victim = identity();
  const other = identity();
  const head = cidOf(crypto.sha256, utf8('a head block'));
  const clock = new TestClock(Date.now());

  const honest = () => network.slice(0, NODES - 1).map((p) => p.node);
  const attacker = () => network[NODES - 1]!.node;
  const rejected = (rule: HeadRecordRule) => honest().reduce((sum, n) => sum + (n.rejections.get(rule) ?? 0), 0);

  beforeAll(async () => {
    network = await startLoopbackNetwork(crypto, NODES);
    await waitForRoutingTables(network.map((p) => p.node), NODES - 1, 20_000);
    const { bytes } = makeHeadRecord(crypto, { id: victim.id, seq: 5, head, ts: clock.now() }, victim.seed);
    expect(await network[0]!.node.network.putRecord(headKeyBytes(victim.id), bytes)).toBe(NODES - 1);
  }, 30_000);

  afterAll(() => stopLoopback(network), 20_000);

  const cases: [string, HeadRecordRule | null, () => [Uint8Array, Uint8Array]][] = [
    ['stale (a lower seq, validly signed)', 'stale', () => [headKeyBytes(victim.id), makeHeadRecord(crypto, { id: victim.id, seq: 3, head, ts: clock.now() }, victim.seed).bytes]],
    ['forged (signed by another key in the identity\'s name)', 'signature', () => {
      const { record } = makeHeadRecord(crypto, { id: other.id, seq: 9, head, ts: clock.now() }, other.seed);
      return [headKeyBytes(victim.id), encode({ ...record, id: victim.id, author: victim.id })];
    }],
    ['signed by someone other than the identity', 'author', () => {
      const { record } = makeHeadRecord(crypto, { id: other.id, seq: 9, head, ts: clock.now() }, other.seed);
      return [headKeyBytes(victim.id), encode({ ...record, id: victim.id })];
    }],
    ['stored under another identity\'s key', 'key', () => [headKeyBytes(victim.id), makeHeadRecord(crypto, { id: other.id, seq: 9, head, ts: clock.now() }, other.seed).bytes]],
    ['oversized', 'size', () => [headKeyBytes(victim.id), new Uint8Array(4096).fill(0xa1)]],
    ['not canonical', 'canonical', () => {
      const { bytes } = makeHeadRecord(crypto, { id: victim.id, seq: 9, head, ts: clock.now() }, victim.seed);
      return [headKeyBytes(victim.id), Uint8Array.from([...bytes, 0])];
    }],
    ['outside the head namespace', 'namespace', () => [utf8(`/defaust/other/${victim.id}`), makeHeadRecord(crypto, { id: victim.id, seq: 9, head, ts: clock.now() }, victim.seed).bytes]],
    ['in a namespace with no validator', null, () => [utf8(`/elsewhere/head/${victim.id}`), makeHeadRecord(crypto, { id: victim.id, seq: 9, head, ts: clock.now() }, victim.seed).bytes]],
    ['with no namespace at all', null, () => [utf8(headKey(victim.id).replaceAll('/', '_')), makeHeadRecord(crypto, { id: victim.id, seq: 9, head, ts: clock.now() }, victim.seed).bytes]],
  ];

  it.each(cases)('no honest node accepts a record %s', async (_name, rule, make) => {
    const before = rule === null ? 0 : rejected(rule);
    const [key, value] = make();
    expect(await rawPut(attacker(), key, value)).toBe(0);
    if (rule !== null) expect(rejected(rule)).toBeGreaterThan(before);
  }, 20_000);

  it('a lookup still finds the newest valid record, and a newer one replaces it everywhere', async () => {
    const reader = new Replicator({ crypto, store: network[2]!.store, clock, network: network[2]!.node.network });
    expect((await reader.lookupHead(victim.id))?.seq).toBe(5);

    const newer = makeHeadRecord(crypto, { id: victim.id, seq: 6, head, ts: clock.now() }, victim.seed);
    expect(await network[1]!.node.network.putRecord(headKeyBytes(victim.id), newer.bytes)).toBe(NODES - 1);
    const found = await reader.lookupHead(victim.id);
    expect(found?.seq).toBe(6);
    expect(found?.sig).toEqual(newer.record.sig);
  }, 20_000);
});
