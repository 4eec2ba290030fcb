// Verifier properties over generated chains of 1 to 1,000 links (deltas with bodies, blocks signed by
// devices, devices added and revoked, clocks going back within the tolerance): every unmutated chain is
// accepted, and one mutation of each class at a random position is refused with exactly its rule at exactly
// that seq. CHAIN_RUNS sets the number of chains (CI: 10, plus lengths 1000, 1 and 2; e.g. `CHAIN_RUNS=500 npx vitest run
// test/chain-properties.test.ts` for a long run).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cidOf, decodeCanonical, encode, type CID } from '../src-main/core/chain/codec.ts';
import { ChainVerificationError, type ChainRule } from '../src-main/core/chain/errors.ts';
import { IDENTITY_ONLY_KINDS, signHeader, type UnsignedHeader } from '../src-main/core/chain/header.ts';
import { MAX_HEADER_BYTES } from '../src-shared/rules/limits.ts';
import { ChainVerifier, TIMESTAMP_TOLERANCE_MS, verifyChain, type StartedBatch, type VerifyOptions } from '../src-main/core/chain/verify.ts';
import { VerifyPool } from '../src-main/adapters/crypto/verify-pool.ts';
import { didFromPublicKey, type Did } from '../src-main/core/identity/did.ts';
import { crypto } from './helpers.ts';
import { prng } from './prng.ts';

const RUNS = Number(process.env.CHAIN_RUNS ?? 10);
const MAX_LINKS = 1000;

interface Signer {
  seed: Uint8Array;
  did: Did;
}

const signer = (byte: number): Signer => {
  const seed = new Uint8Array(32).fill(byte);
  return { seed, did: didFromPublicKey(crypto.ed25519.publicKey(seed)) };
};
const IDENTITY = signer(1);
const DEVICES = [2, 3, 4, 5, 6, 7].map(signer);
const STRANGER = signer(99);
const seedOf = new Map([IDENTITY, ...DEVICES, STRANGER].map((s) => [s.did, s.seed]));

interface Chain {
  unsigned: UnsignedHeader[];
  headers: Uint8Array[];
  cids: CID[];
  bodies: Map<string, Uint8Array>;
  /** For each seq, the devices revoked before it. */
  revokedBefore: Did[][];
  /** For each seq, the devices live (added, not revoked) before it. */
  liveBefore: Did[][];
}

/** A valid chain of `length` links: genesis, then deltas (some by devices, some with bodies), device-add and device-revoke. */
function makeChain(length: number, seed: number): Chain {
  const rand = prng(seed);
  const chain: Chain = { unsigned: [], headers: [], cids: [], bodies: new Map(), revokedBefore: [], liveBefore: [] };
  const live: Did[] = [];
  const revoked: Did[] = [];
  const unused = [...DEVICES];
  let ts = Date.UTC(2026, 0, 1);
  for (let seq = 0; seq < length; seq++) {
    chain.revokedBefore.push([...revoked]);
    chain.liveBefore.push([...live]);
    const base = { v: 1, id: IDENTITY.did, seq, prev: seq === 0 ? null : chain.cids[seq - 1]!, author: IDENTITY.did, bodies: [], meta: {} };
    let header: UnsignedHeader;
    const roll = rand(10);
    ts = Math.max(0, ts + rand(TIMESTAMP_TOLERANCE_MS + 600_000) - TIMESTAMP_TOLERANCE_MS);
    if (seq === 0) {
      header = { ...base, ts, kind: 'genesis', meta: { x25519: new Uint8Array(32).fill(8), babyJubjub: [new Uint8Array(32).fill(9), new Uint8Array(32).fill(10)] } };
    } else if (roll === 0 && unused.length > 0) {
      const device = unused.splice(rand(unused.length), 1)[0]!;
      live.push(device.did);
      header = { ...base, ts, kind: 'device-add', meta: { device: device.did, label: `device ${seq}` } };
    } else if (roll === 1 && live.length > 0 && rand(4) === 0) {
      const device = live.splice(rand(live.length), 1)[0]!;
      revoked.push(device);
      header = { ...base, ts, kind: 'device-revoke', meta: { device } };
    } else {
      const author = live.length > 0 && rand(2) === 0 ? live[rand(live.length)]! : IDENTITY.did;
      const bodies = Array.from({ length: rand(3) }, (_, i) => {
        const bytes = encode({ n: new Uint8Array(12).fill(i), c: crypto.sha256(encode([seed, seq, i])) });
        const cid = cidOf(crypto.sha256, bytes);
        chain.bodies.set(cid.toString(), bytes);
        return { section: ['public', 'contact', 'health'][rand(3)]!, gen: 0, epoch: rand(5), cid };
      });
      header = { ...base, ts, kind: 'delta', author, bodies };
    }
    const block = signHeader(crypto, header, seedOf.get(header.author)!);
    chain.unsigned.push(header);
    chain.headers.push(block.bytes);
    chain.cids.push(block.cid);
  }
  return chain;
}

interface Mutated {
  headers: Uint8Array[];
  bodies?: Map<string, Uint8Array>;
  options?: VerifyOptions;
  rule: ChainRule;
  seq: number;
}

/** Header `seq` changed by `change` and signed again (by its own author unless `by` says otherwise). */
function resigned(c: Chain, seq: number, change: (h: UnsignedHeader) => UnsignedHeader, by?: Signer): Uint8Array[] {
  const header = change({ ...c.unsigned[seq]! });
  const copy = [...c.headers];
  copy[seq] = signHeader(crypto, header, by?.seed ?? seedOf.get(header.author)!).bytes;
  return copy;
}

/** Header `seq` re-encoded with `change` applied to its decoded value, not signed again. */
function reencoded(c: Chain, seq: number, change: (value: Record<string, unknown>) => unknown): Uint8Array[] {
  const copy = [...c.headers];
  copy[seq] = encode(change({ ...(decodeCanonical(c.headers[seq]!) as Record<string, unknown>) }));
  return copy;
}

/** The next longer (non-minimal) CBOR encoding of the unsigned integer `n`, after the key `seq`. */
function nonMinimalSeq(bytes: Uint8Array, n: number): Uint8Array {
  const minimal = n < 24 ? [n] : n < 0x100 ? [0x18, n] : [0x19, n >> 8, n & 0xff];
  const longer = n < 24 ? [0x18, n] : n < 0x100 ? [0x19, 0, n] : [0x1a, 0, 0, n >> 8, n & 0xff];
  const key = Buffer.from('cseq', 'latin1'); // text(3) "seq"
  const at = Buffer.from(bytes).indexOf(Buffer.concat([key, Buffer.from(minimal)]));
  expect(at).toBeGreaterThanOrEqual(0);
  const rest = bytes.subarray(at + key.length + minimal.length);
  return new Uint8Array(Buffer.concat([bytes.subarray(0, at), key, Buffer.from(longer), rest]));
}

type MutationClass = (c: Chain, pick: (n: number) => number) => Mutated | null;

const positions = (c: Chain, keep: (seq: number) => boolean): number[] => c.unsigned.map((_, seq) => seq).filter(keep);
const choose = <T>(list: readonly T[], pick: (n: number) => number): T | null => (list.length === 0 ? null : list[pick(list.length)]!);
const withBodies = (c: Chain) => positions(c, (seq) => c.unsigned[seq]!.bodies.length > 0);

/** One generator per rule of the verifier (several for rules that more than one mistake breaks). */
const MUTATIONS: Record<string, MutationClass> = {
  'canonical: a non-minimal integer': (c, pick) => {
    const seq = pick(c.headers.length);
    const headers = [...c.headers];
    headers[seq] = nonMinimalSeq(c.headers[seq]!, seq);
    return { headers, rule: 'canonical', seq };
  },
  'canonical: bytes that are not CBOR': (c, pick) => {
    const seq = pick(c.headers.length);
    const headers = [...c.headers];
    headers[seq] = c.headers[seq]!.subarray(0, pick(c.headers[seq]!.length));
    return { headers, rule: 'canonical', seq };
  },
  'schema: an extra field': (c, pick) => {
    const seq = pick(c.headers.length);
    return { headers: reencoded(c, seq, (v) => ({ ...v, extra: 1 })), rule: 'schema', seq };
  },
  'schema: a field of the wrong type': (c, pick) => {
    const seq = pick(c.headers.length);
    const breakers: ((v: Record<string, unknown>) => unknown)[] = [
      (v) => ({ ...v, v: 2 }),
      (v) => ({ ...v, kind: 'nonsense' }),
      (v) => ({ ...v, ts: -1 }),
      (v) => ({ ...v, sig: (v.sig as Uint8Array).subarray(0, 63) }),
      (v) => ({ ...v, author: 'did:key:nope' }),
      (v) => ({ ...v, bodies: [{ section: 'Bad Name', gen: 0, epoch: 0, cid: c.cids[0] }] }),
      (v) => ({ ...v, meta: [] }),
    ];
    return { headers: reencoded(c, seq, breakers[pick(breakers.length)]!), rule: 'schema', seq };
  },
  'schema: a device block whose meta.device is no did:key (signed)': (c, pick) => {
    const seq = choose(positions(c, (s) => c.unsigned[s]!.kind === 'device-add' || c.unsigned[s]!.kind === 'device-revoke'), pick);
    if (seq === null) return null;
    return { headers: resigned(c, seq, (h) => ({ ...h, meta: { device: 'not a did' } })), rule: 'schema', seq };
  },
  'schema: a header over the size cap (signed)': (c, pick) => {
    const seq = pick(c.headers.length);
    return { headers: resigned(c, seq, (h) => ({ ...h, meta: { ...h.meta, pad: new Uint8Array(MAX_HEADER_BYTES) } })), rule: 'schema', seq };
  },
  'identity: a block of another identity': (c, pick) => {
    const seq = pick(c.headers.length);
    return { headers: resigned(c, seq, (h) => ({ ...h, id: STRANGER.did })), rule: 'identity', seq };
  },
  'genesis: a second genesis, or a first block that is not one': (c, pick) => {
    const seq = pick(c.headers.length);
    const genesis = c.unsigned[0]!;
    const headers = seq === 0
      ? resigned(c, 0, (h) => ({ ...h, kind: 'delta', meta: {} }))
      : resigned(c, seq, (h) => ({ ...h, kind: 'genesis', author: IDENTITY.did, bodies: [], meta: genesis.meta }));
    return { headers, rule: 'genesis', seq };
  },
  'seq: a wrong seq (signed)': (c, pick) => {
    const seq = pick(c.headers.length);
    return { headers: resigned(c, seq, (h) => ({ ...h, seq: h.seq + 1 + pick(3) })), rule: 'seq', seq };
  },
  'seq: a block dropped': (c, pick) => {
    if (c.headers.length < 2) return null;
    const seq = pick(c.headers.length - 1);
    return { headers: c.headers.filter((_, i) => i !== seq), rule: 'seq', seq };
  },
  'seq: two blocks swapped': (c, pick) => {
    if (c.headers.length < 2) return null;
    const seq = pick(c.headers.length - 1);
    const headers = [...c.headers];
    [headers[seq], headers[seq + 1]] = [headers[seq + 1]!, headers[seq]!];
    return { headers, rule: 'seq', seq };
  },
  'seq: a block repeated': (c, pick) => {
    const seq = pick(c.headers.length);
    const headers = [...c.headers];
    headers.splice(seq + 1, 0, c.headers[seq]!);
    return { headers, rule: 'seq', seq: seq + 1 };
  },
  'prev: a prev that is not the previous CID (signed)': (c, pick) => {
    const seq = pick(c.headers.length);
    const other = cidOf(crypto.sha256, encode(['elsewhere', seq]));
    return { headers: resigned(c, seq, (h) => ({ ...h, prev: other })), rule: 'prev', seq };
  },
  'author: a stranger signs': (c, pick) => {
    const seq = choose(positions(c, (s) => s > 0), pick);
    if (seq === null) return null;
    return { headers: resigned(c, seq, (h) => ({ ...h, author: STRANGER.did }), STRANGER), rule: 'author', seq };
  },
  'author: a revoked device signs': (c, pick) => {
    const seq = choose(positions(c, (s) => c.revokedBefore[s]!.length > 0), pick);
    if (seq === null) return null;
    const device = choose(c.revokedBefore[seq]!, pick)!;
    return { headers: resigned(c, seq, (h) => ({ ...h, author: device })), rule: 'author', seq };
  },
  'author: a live device signs what only the identity key may': (c, pick) => {
    const seq = choose(positions(c, (s) => IDENTITY_ONLY_KINDS.has(c.unsigned[s]!.kind) && c.liveBefore[s]!.length > 0), pick);
    if (seq === null) return null;
    const device = choose(c.liveBefore[seq]!, pick)!;
    return { headers: resigned(c, seq, (h) => ({ ...h, author: device })), rule: 'author', seq };
  },
  'signature: a flipped signature bit': (c, pick) => {
    const seq = pick(c.headers.length);
    return {
      headers: reencoded(c, seq, (v) => {
        const sig = (v.sig as Uint8Array).slice();
        sig[pick(64)]! ^= 1 << pick(8);
        return { ...v, sig };
      }),
      rule: 'signature',
      seq,
    };
  },
  'signature: a field changed after signing': (c, pick) => {
    const seq = pick(c.headers.length);
    return { headers: reencoded(c, seq, (v) => ({ ...v, meta: { ...(v.meta as object), changed: true } })), rule: 'signature', seq };
  },
  'timestamp: time going back beyond the tolerance (signed)': (c, pick) => {
    const seq = choose(positions(c, (s) => s > 0), pick);
    if (seq === null) return null;
    const before = c.unsigned[seq - 1]!.ts;
    return { headers: resigned(c, seq, (h) => ({ ...h, ts: before - TIMESTAMP_TOLERANCE_MS - 1 - pick(1_000_000) })), rule: 'timestamp', seq };
  },
  'body-cid: body bytes that do not hash to their CID': (c, pick) => {
    const seq = choose(withBodies(c), pick);
    if (seq === null) return null;
    const ref = choose(c.unsigned[seq]!.bodies, pick)!;
    const bodies = new Map(c.bodies);
    const bytes = bodies.get(ref.cid.toString())!.slice();
    bytes[pick(bytes.length)]! ^= 1 << pick(8);
    bodies.set(ref.cid.toString(), bytes);
    return { headers: c.headers, bodies, rule: 'body-cid', seq };
  },
  'body-missing: a body not supplied when bodies are required': (c, pick) => {
    const seq = choose(withBodies(c), pick);
    if (seq === null) return null;
    const bodies = new Map(c.bodies);
    bodies.delete(choose(c.unsigned[seq]!.bodies, pick)!.cid.toString());
    return { headers: c.headers, bodies, options: { requireBodies: true }, rule: 'body-missing', seq };
  },
};

function verify(c: Chain, headers: Uint8Array[], bodies = c.bodies, options?: VerifyOptions) {
  return verifyChain(crypto, IDENTITY.did, headers, (cid) => bodies.get(cid.toString()), options);
}

/** The rule and seq the verifier refused with, or 'accepted'. */
function outcome(run: () => unknown): { rule: string; seq: number | null } | 'accepted' {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof ChainVerificationError)) throw error;
    expect(error.code).toBe(`chain/${error.rule}`);
    return { rule: error.rule, seq: error.seq };
  }
}

describe('the verifier over generated chains of up to 1,000 links', () => {
  const applied = new Map<string, number>();
  const lengths: number[] = [];

  it(`accepts every unmutated chain and refuses each mutation class with its rule at its seq (${RUNS} chains)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_LINKS }), fc.integer(), fc.integer(), (length, chainSeed, mutationSeed) => {
        const c = makeChain(length, chainSeed);
        lengths.push(length);
        const accepted = verify(c, c.headers, c.bodies, { requireBodies: true });
        expect({ head: accepted.head?.toString(), length: accepted.length }).toEqual({ head: c.cids[length - 1]!.toString(), length });
        const pick = prng(mutationSeed);
        for (const [name, mutate] of Object.entries(MUTATIONS)) {
          const m = mutate(c, pick);
          if (m === null) continue;
          applied.set(name, (applied.get(name) ?? 0) + 1);
          expect(outcome(() => verify(c, m.headers, m.bodies, m.options)), `${name} at seq ${m.seq} of ${length}`).toEqual({ rule: m.rule, seq: m.seq });
        }
      }),
      { numRuns: RUNS, seed: 9, examples: [[MAX_LINKS, 1, 1], [1, 2, 2], [2, 3, 3]] },
    );
    // Every class was exercised, and the chains reached the full length.
    expect(new Set(applied.keys())).toEqual(new Set(Object.keys(MUTATIONS)));
    expect(Math.max(...lengths)).toBe(MAX_LINKS);
  }, 120_000);

  it('generated chains hold device adds, revokes, device-signed deltas and clocks going back', () => {
    const c = makeChain(MAX_LINKS, 1);
    const kinds = new Set(c.unsigned.map((h) => h.kind));
    expect(kinds).toEqual(new Set(['genesis', 'delta', 'device-add', 'device-revoke']));
    expect(c.unsigned.some((h) => h.author !== IDENTITY.did)).toBe(true);
    expect(c.unsigned.some((h, i) => i > 0 && h.ts < c.unsigned[i - 1]!.ts)).toBe(true);
  });
});

describe('the verifier in batches, signatures checked on worker threads', () => {
  const pool = new VerifyPool(crypto.ed25519, { size: 2, minParallel: 2 });
  afterAll(() => pool.close());

  /** The verifier's result: head and length, or the refusal's rule, seq and message. */
  async function settle(run: () => Promise<{ head: CID | null; length: number }> | { head: CID | null; length: number }) {
    try {
      const { head, length } = await run();
      return { head: head?.toString() ?? null, length };
    } catch (error) {
      if (!(error instanceof ChainVerificationError)) throw error;
      return { rule: error.rule, seq: error.seq, message: error.message };
    }
  }

  async function inBatches(headers: Uint8Array[], bodies: Map<string, Uint8Array>, options: VerifyOptions | undefined, pick: (n: number) => number) {
    // Pipelined as verifyStoredChainInBatches is: each batch is started before the one before it is accepted.
    const verifier = new ChainVerifier(crypto, IDENTITY.did);
    const lookup = (cid: CID) => bodies.get(cid.toString());
    let out: StartedBatch | null = null;
    for (let at = 0; at < headers.length;) {
      const size = 1 + pick(300);
      const started = verifier.startBatch(headers.slice(at, at + size), pool);
      if (out !== null) await out.accept(lookup, options);
      out = started;
      at += size;
    }
    if (out !== null) await out.accept(lookup, options);
    return { head: verifier.head, length: verifier.length };
  }

  it(`gives the one-at-a-time verifier's result on valid and mutated chains, batches of random size (${RUNS} chains)`, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 250 }), fc.integer(), fc.integer(), async (length, chainSeed, mutationSeed) => {
        const c = makeChain(length, chainSeed);
        const pick = prng(mutationSeed);
        const cases = [{ headers: c.headers, bodies: c.bodies, options: { requireBodies: true } as VerifyOptions | undefined }];
        for (const mutate of Object.values(MUTATIONS)) {
          const m = mutate(c, pick);
          if (m !== null) cases.push({ headers: m.headers, bodies: m.bodies ?? c.bodies, options: m.options });
        }
        // Two mutations in one chain: the first in chain order must be the one named.
        const [a, b] = [MUTATIONS['signature: a flipped signature bit']!(c, pick)!, MUTATIONS['prev: a prev that is not the previous CID (signed)']!(c, pick)!];
        cases.push({ headers: a.headers.map((h, i) => (i === b.seq ? b.headers[i]! : h)), bodies: c.bodies, options: undefined });
        for (const { headers, bodies, options } of cases) {
          const one = await settle(() => verifyChain(crypto, IDENTITY.did, headers, (cid) => bodies.get(cid.toString()), options));
          expect(await settle(() => inBatches(headers, bodies, options, pick))).toEqual(one);
          compared++;
        }
      }),
      { numRuns: RUNS, seed: 16, examples: [[250, 1, 1], [1, 2, 2]] },
    );
    expect(compared).toBeGreaterThan(RUNS * 10);
  }, 300_000);
});
