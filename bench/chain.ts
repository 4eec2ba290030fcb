// Chain benchmark: append and verify rates of real blocks in SQLite (WAL, synchronous FULL), next to raw
// native Ed25519 verify on this machine in the same run — on one thread, and in parallel on every core
// through the verify pool, beside the same raw verify through the pool (what the cores give signatures
// alone) — and the time to open a 100,000-block identity with its state.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { MemoryRequestStore } from '../src-main/adapters/db/request-store.ts';
import { VerifyPool } from '../src-main/adapters/crypto/verify-pool.ts';
import { verifyStoredChain, verifyStoredChainInBatches } from '../src-main/core/chain/verify.ts';
import { deriveIdentitySecrets, newMnemonic } from '../src-main/core/identity/keys.ts';
import { Profile, type OwnerKeys } from '../src-main/core/profile/profile.ts';
import { performance } from 'node:perf_hooks';
import { fmt, median, medianMs, medianRate, type BenchSize } from './stats.ts';

const FULL = { rounds: 5, appendPerRound: 400, openBlocks: 100_000, nativeCount: 4000 };
const TINY = { rounds: 1, appendPerRound: 20, openBlocks: 300, nativeCount: 50 };

const SEED = Buffer.alloc(32, 7);
const RAW_KEY = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SEED]), format: 'der', type: 'pkcs8' });
const RAW_MESSAGE = Buffer.alloc(300, 1);

/** One round of raw native Ed25519 verify (one thread, a 300-byte message): operations per second. */
function nativeVerifyRound(count: number): number {
  const pub = createPublicKey(RAW_KEY);
  const message = RAW_MESSAGE;
  const signature = sign(null, message, RAW_KEY);
  const start = performance.now();
  for (let i = 0; i < count; i++) if (!verify(null, message, pub, signature)) throw new Error('verify failed');
  return count / ((performance.now() - start) / 1000);
}

export async function chainBench(json: boolean, size: BenchSize = 'full'): Promise<void> {
  const { rounds: ROUNDS, appendPerRound: APPEND_PER_ROUND, openBlocks: OPEN_BLOCKS, nativeCount } = size === 'tiny' ? TINY : FULL;
  const crypto = createNodeCrypto();
  const pool = new VerifyPool(crypto.ed25519);
  const dir = mkdtempSync(join(tmpdir(), 'defaust-bench-'));
  try {
    const keys: OwnerKeys = { identity: deriveIdentitySecrets(crypto, newMnemonic(crypto.randomBytes)), deviceSeed: crypto.randomBytes(32), localKey: crypto.randomBytes(32) };
    const clock = { now: () => Date.now() };

    // Append: one signed, sealed delta block per durable (fsync'd) transaction.
    const store = new SqliteChainStore(join(dir, 'append.db'));
    const profile = Profile.create({ crypto, store, clock, requests: new MemoryRequestStore() }, keys);
    const appendPerSec = medianRate(ROUNDS, APPEND_PER_ROUND, (round) => {
      for (let i = 0; i < APPEND_PER_ROUND; i++) profile.set('fitness', `lap${i % 40}`, round * APPEND_PER_ROUND + i);
    });

    // Verify: the whole stored chain as `defaust verify` does it, from a freshly opened database
    // (decode, canonical check, CID, signature, body CIDs).
    const length = profile.length;
    store.close();
    const reopened = new SqliteChainStore(join(dir, 'append.db'));
    // Each round measures the baseline, one-thread verify and parallel verify back to back, so all three
    // see the same load; the ratios are medians of each round's ratio.
    const timeRate = async (count: number, fn: () => unknown): Promise<number> => {
      const start = performance.now();
      await fn();
      return count / ((performance.now() - start) / 1000);
    };
    const check = (report: { ok: boolean; error?: { message: string } }) => {
      if (!report.ok) throw new Error(report.error?.message);
    };
    await verifyStoredChainInBatches(crypto, reopened, profile.id, pool); // starts the workers before timing
    // The machine's ceiling: the same raw verify as the baseline, nothing else, through the pool on every core.
    const rawCheck = { publicKey: crypto.ed25519.publicKey(SEED), message: RAW_MESSAGE, signature: sign(null, RAW_MESSAGE, RAW_KEY) };
    const rawChecks = Array.from({ length: nativeCount }, () => rawCheck);
    const rounds: { native: number; ceiling: number; one: number; parallel: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const native = nativeVerifyRound(nativeCount);
      const ceiling = await timeRate(nativeCount, async () => {
        if (!(await pool.verifyAll(rawChecks)).every(Boolean)) throw new Error('verify failed');
      });
      const one = await timeRate(length, () => check(verifyStoredChain(crypto, reopened, profile.id)));
      const parallel = await timeRate(length, async () => check(await verifyStoredChainInBatches(crypto, reopened, profile.id, pool)));
      rounds.push({ native, ceiling, one, parallel });
    }
    reopened.close();
    const verifyPerSec = median(rounds.map((r) => r.one));
    const parallelVerifyPerSec = median(rounds.map((r) => r.parallel));
    const nativeVerifyPerSec = median(rounds.map((r) => r.native));
    const verifyRatio = median(rounds.map((r) => r.one / r.native));
    const parallelVerifyRatio = median(rounds.map((r) => r.parallel / r.native));
    const rawParallelPerSec = median(rounds.map((r) => r.ceiling));
    const rawParallelRatio = median(rounds.map((r) => r.ceiling / r.native));
    const parallelOfCeiling = median(rounds.map((r) => r.parallel / r.ceiling));

    // Open: a 100,000-block identity from disk, with its state folded (snapshots every 256 blocks). It is
    // written without an fsync per block (synchronous OFF while it is built), as a long life of writes would
    // have left it; it is opened with the store's own settings.
    const bigPath = join(dir, 'big.db');
    const big = new SqliteChainStore(bigPath);
    big.database.pragma('synchronous = OFF');
    const bigProfile = Profile.create({ crypto, store: big, clock, requests: new MemoryRequestStore() }, keys);
    while (bigProfile.length < OPEN_BLOCKS) bigProfile.set('fitness', `lap${bigProfile.length % 100}`, bigProfile.length);
    big.close();
    let fields = 0;
    const openMs = medianMs(ROUNDS, () => {
      const s = new SqliteChainStore(bigPath);
      fields = Object.keys(Profile.open({ crypto, store: s, clock, requests: new MemoryRequestStore() }, keys).current().fitness!.fields).length;
      s.close();
    });

    const result = {
      rounds: ROUNDS,
      chainBlocks: length,
      workers: pool.size,
      appendPerSec: Math.round(appendPerSec),
      verifyPerSec: Math.round(verifyPerSec),
      parallelVerifyPerSec: Math.round(parallelVerifyPerSec),
      nativeVerifyPerSec: Math.round(nativeVerifyPerSec),
      verifyRatio: Number(verifyRatio.toFixed(3)),
      parallelVerifyRatio: Number(parallelVerifyRatio.toFixed(3)),
      rawParallelPerSec: Math.round(rawParallelPerSec),
      rawParallelRatio: Number(rawParallelRatio.toFixed(3)),
      parallelOfCeiling: Number(parallelOfCeiling.toFixed(3)),
      openBlocks: OPEN_BLOCKS,
      openMs: Math.round(openMs),
    };
    if (json) {
      console.log(JSON.stringify(result));
    } else {
      console.log(`chain benchmark (medians of ${ROUNDS} rounds; each round's baseline, one-thread and parallel verify back to back; Node ${process.versions.node})`);
      console.log(`  append (sign + seal + durable SQLite commit)  ${fmt(result.appendPerSec)} blocks/s`);
      console.log(`  verify (decode, canonical, CID, signature)     ${fmt(result.verifyPerSec)} blocks/s   (chain of ${length})`);
      console.log(`  verify on ${result.workers} worker thread(s) (verify pool)     ${fmt(result.parallelVerifyPerSec)} blocks/s`);
      console.log(`  raw native Ed25519 verify, one thread (baseline) ${fmt(result.nativeVerifyPerSec)} ops/s`);
      console.log(`  verify ratio, one thread                       ${result.verifyRatio}× of raw verify`);
      console.log(`  verify ratio, every core                       ${result.parallelVerifyRatio}× of raw one-thread verify`);
      console.log(`  raw Ed25519 verify alone through the pool      ${fmt(result.rawParallelPerSec)} ops/s   (${result.rawParallelRatio}× one thread: this machine's ceiling)`);
      console.log(`  verify on every core, share of that ceiling    ${result.parallelOfCeiling}×`);
      console.log(`  open a ${fmt(OPEN_BLOCKS)}-block identity + fold state  ${fmt(result.openMs)} ms   (${fields} fields)`);
    }
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
