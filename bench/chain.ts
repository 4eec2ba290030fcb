// Chain benchmark: append and verify rates of real blocks in SQLite (WAL, synchronous FULL), next to raw
// native Ed25519 verify on this machine in the same run — on one thread, and in parallel on every core
// through the verify pool — and the time to open a 10,000-block identity with its state.
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
import { fmt, medianMs, medianRate, medianRateAsync, type BenchSize } from './stats.ts';

const FULL = { rounds: 5, appendPerRound: 400, openBlocks: 10_000, nativeCount: 4000 };
const TINY = { rounds: 1, appendPerRound: 20, openBlocks: 300, nativeCount: 50 };

function nativeVerifyRate(rounds: number, count: number): number {
  const seed = Buffer.alloc(32, 7);
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey(key);
  const message = Buffer.alloc(300, 1);
  const signature = sign(null, message, key);
  return medianRate(rounds, count, () => {
    for (let i = 0; i < count; i++) if (!verify(null, message, pub, signature)) throw new Error('verify failed');
  });
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
    const verifyPerSec = medianRate(ROUNDS, length, () => {
      const report = verifyStoredChain(crypto, reopened, profile.id);
      if (!report.ok) throw new Error(report.error?.message);
    });
    // The same on every core: signatures of each page on the pool's workers (started before timing).
    await verifyStoredChainInBatches(crypto, reopened, profile.id, pool);
    const parallelVerifyPerSec = await medianRateAsync(ROUNDS, length, async () => {
      const report = await verifyStoredChainInBatches(crypto, reopened, profile.id, pool);
      if (!report.ok) throw new Error(report.error?.message);
    });
    reopened.close();

    const nativeVerifyPerSec = nativeVerifyRate(ROUNDS, nativeCount);

    // Open: a 10,000-block identity from disk, with its state folded (snapshots every 256 blocks).
    const bigPath = join(dir, 'big.db');
    const big = new SqliteChainStore(bigPath);
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
      verifyRatio: Number((verifyPerSec / nativeVerifyPerSec).toFixed(3)),
      parallelVerifyRatio: Number((parallelVerifyPerSec / nativeVerifyPerSec).toFixed(3)),
      openBlocks: OPEN_BLOCKS,
      openMs: Math.round(openMs),
    };
    if (json) {
      console.log(JSON.stringify(result));
    } else {
      console.log(`chain benchmark (medians of ${ROUNDS} rounds, Node ${process.versions.node})`);
      console.log(`  append (sign + seal + durable SQLite commit)  ${fmt(result.appendPerSec)} blocks/s`);
      console.log(`  verify (decode, canonical, CID, signature)     ${fmt(result.verifyPerSec)} blocks/s   (chain of ${length})`);
      console.log(`  verify on ${result.workers} worker thread(s) (verify pool)     ${fmt(result.parallelVerifyPerSec)} blocks/s`);
      console.log(`  raw native Ed25519 verify, one thread (baseline) ${fmt(result.nativeVerifyPerSec)} ops/s`);
      console.log(`  verify ratio, one thread                       ${result.verifyRatio}× of raw verify`);
      console.log(`  verify ratio, every core                       ${result.parallelVerifyRatio}× of raw one-thread verify`);
      console.log(`  open a ${fmt(OPEN_BLOCKS)}-block identity + fold state  ${fmt(result.openMs)} ms   (${fields} fields)`);
    }
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
