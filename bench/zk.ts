// ZK benchmark: prove and verify medians through the app's prover (a separate process, artifacts hash-checked,
// stages reported) beside a raw snarkjs groth16.fullProve / verify of the same circuit and inputs in this
// process, in the same run; the ratio is the app's overhead. By default the PRODUCTION k-of-n circuits of
// circuits/circuits.json (k = 3 of a depth-10 tree with the small member, and the maximum k with the largest),
// built once with a local development ceremony into circuits/build/production (`npm run circuits --
// --production`; the first build takes long, later runs reuse it). `--dev` measures the shipped
// development-size circuits instead.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { CIRCUITS, circuitsDir, loadCircuit, readLock, type CircuitName } from '../src-main/adapters/zk/artifacts.ts';
import { Prover } from '../src-main/adapters/zk/prover.ts';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import { utf8 } from '../src-main/core/bytes.ts';
import { bytesToField, deriveIdentitySecrets, newMnemonic } from '../src-main/core/identity/keys.ts';
import { digestToField, keyLeaf } from '../src-main/core/zk/field.ts';
import { attributeInputs, featAttestedInputs, featAuthorityInputs, type CircuitInputs } from '../src-main/core/zk/inputs.ts';
import { PoseidonTree } from '../src-main/core/zk/merkle.ts';
import { attributeCommitment, attributeFieldTag } from '../src-main/core/attributes/credential.ts';
import { median } from './stats.ts';

const ROUNDS = 5;
const crypto = createNodeCrypto();

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Inputs for `name` as built in `dir`, with `k` witnesses (the circuit's maximum when not given). */
function inputsFor(dir: string, name: CircuitName, k?: number): CircuitInputs {
  const lock = readLock(dir);
  const params = lock.circuits[name].params;
  const threshold = name === 'featAttested' || name === 'featAttestedFew';
  const count = threshold ? (k ?? params.maxK!) : 1;
  const keys = Array.from({ length: count }, () => {
    const secret = deriveIdentitySecrets(crypto, newMnemonic(crypto.randomBytes)).babyJubjubSecret;
    return { secret, pub: crypto.babyJubjub.publicKey(secret) };
  });
  if (threshold || name === 'featAuthority') {
    const claim = digestToField(crypto.sha256(utf8('bench claim')));
    const tree = new PoseidonTree(params.depth!, keys.map((w) => keyLeaf(w.pub)));
    const signatures = keys.map((w) => ({ babyJubjub: w.pub, ...crypto.babyJubjub.sign(w.secret, claim) }));
    if (name === 'featAuthority') return featAuthorityInputs(tree, claim, 42n, signatures);
    return featAttestedInputs(tree, count, params.maxK!, claim, 42n, signatures);
  }
  const { bits, setSize } = params as { bits: number; setSize: number };
  const fieldTag = attributeFieldTag(crypto, 'age');
  const salt = bytesToField(crypto.randomBytes(16));
  const issuer = keys[0]!;
  const holder = crypto.babyJubjub.publicKey(deriveIdentitySecrets(crypto, newMnemonic(crypto.randomBytes)).babyJubjubSecret);
  const signature = crypto.babyJubjub.sign(issuer.secret, attributeCommitment(holder, fieldTag, 34n, salt));
  return attributeInputs({ issuer: issuer.pub, holder, fieldTag, value: 34n, salt, signature }, { op: 'gte', bound: 18n, set: [] }, 42n, bits, setSize);
}

/** The k-of-n family at production sizes, smallest first (the app proves k witnesses with the first that has k slots). */
const PRODUCTION_FEATS = ['featAttestedFew', 'featAttested'] as const;

/** The production build directory, its k-of-n circuits built (and timed) when missing or built with other parameters. */
function productionDir(): { dir: string; buildSeconds: number | null } {
  const dir = join(circuitsDir(), 'build', 'production');
  const production = JSON.parse(readFileSync(join(circuitsDir(), 'circuits.json'), 'utf8')).production as Record<string, Record<string, number>>;
  const lockFile = join(dir, 'artifacts.lock.json');
  const built = existsSync(lockFile) ? (JSON.parse(readFileSync(lockFile, 'utf8')).circuits ?? {}) as Record<string, { params?: unknown }> : {};
  const missing = PRODUCTION_FEATS.filter((name) => {
    const { ptauPower: _power, ...params } = production[name]!;
    return JSON.stringify(built[name]?.params) !== JSON.stringify(params);
  });
  if (missing.length === 0) return { dir, buildSeconds: null };
  console.error(`building the production ${missing.join(' and ')} with a local development ceremony (once; later runs reuse circuits/build/production) …`);
  const start = performance.now();
  execFileSync(process.execPath, [join(circuitsDir(), 'scripts', 'build.mjs'), '--production', '--only', missing.join(','), '--contributors', 'local bench contributor'], { stdio: ['ignore', process.stderr, process.stderr] });
  return { dir, buildSeconds: Math.round((performance.now() - start) / 1000) };
}

interface Row { label: string; proveMs: number; rawProveMs: number; proveRatio: number; verifyMs: number; rawVerifyMs: number; constraints: number }

async function measure(prover: Prover, dir: string, label: string, name: CircuitName, k?: number): Promise<Row> {
  const inputs = inputsFor(dir, name, k);
  const circuit = loadCircuit(name, dir);
  let last = await prover.prove(name, inputs); // warm the proving process (artifacts loaded once, as in the app)
  await snarkjs.groth16.fullProve(inputs, circuit.wasm, circuit.zkey); // and this process's curve
  const app: number[] = [];
  const raw: number[] = [];
  const appVerify: number[] = [];
  const rawVerify: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first, so neither always runs on a warmer machine.
    const proveApp = async () => app.push(await time(async () => (last = await prover.prove(name, inputs, () => {}))));
    const proveRaw = async () => raw.push(await time(() => snarkjs.groth16.fullProve(inputs, circuit.wasm, circuit.zkey)));
    if (i % 2 === 0) await proveApp().then(proveRaw);
    else await proveRaw().then(proveApp);
    appVerify.push(await time(() => prover.verify(name, last)));
    rawVerify.push(await time(() => snarkjs.groth16.verify(circuit.vkey, last.publicSignals, last.proof)));
  }
  return {
    label, proveMs: Math.round(median(app)), rawProveMs: Math.round(median(raw)), proveRatio: Number((median(app) / median(raw)).toFixed(3)),
    verifyMs: Math.round(median(appVerify)), rawVerifyMs: Math.round(median(rawVerify)), constraints: circuit.lock.constraints,
  };
}

export async function zkBench(json: boolean): Promise<void> {
  const dev = process.argv.includes('--dev');
  const { dir, buildSeconds } = dev ? { dir: circuitsDir(), buildSeconds: null } : productionDir();
  const prover = new Prover(dir);
  const rows: Row[] = [];
  try {
    if (dev) {
      for (const name of CIRCUITS) rows.push(await measure(prover, dir, name, name));
    } else {
      // Each member at its largest k: k = 3 is the small member's, the maximum k the largest's.
      for (const name of PRODUCTION_FEATS) {
        const { maxK, depth } = readLock(dir).circuits[name].params as { maxK: number; depth: number };
        rows.push(await measure(prover, dir, `${name} k=${maxK} of depth ${depth}`, name, maxK));
      }
    }
  } finally {
    await prover.close();
  }
  const build = buildSeconds === null ? 'reused' : `${buildSeconds} s`;
  if (json) console.log(JSON.stringify({ circuits: dev ? 'development' : 'production', rounds: ROUNDS, ...(dev ? {} : { build }), results: rows }));
  else {
    console.log(`zk benchmark, ${dev ? 'shipped development' : 'production'} circuits (medians of ${ROUNDS}; app = separate proving process with hash-checked artifacts, raw = snarkjs.groth16.fullProve here)${dev ? '' : `; build: ${build}`}`);
    for (const r of rows) {
      console.log(`  ${r.label.padEnd(30)} ${String(r.constraints).padStart(6)} constraints  prove ${r.proveMs} ms (raw ${r.rawProveMs} ms, ${r.proveRatio}×)  verify ${r.verifyMs} ms (raw ${r.rawVerifyMs} ms)`);
    }
  }
  // snarkjs keeps its curve's worker threads alive in this process.
  process.exit(0);
}
