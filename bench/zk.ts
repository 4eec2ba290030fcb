// ZK benchmark: full-prove and verify medians per circuit through the app's prover (a separate process,
// artifacts hash-checked) beside a raw snarkjs groth16.fullProve / verify of the same circuit and inputs in
// this process, in the same run; the ratio is the app's overhead.
import * as snarkjs from 'snarkjs';
import { loadCircuit, readLock, type CircuitName } from '../src-main/adapters/zk/artifacts.ts';
import { Prover } from '../src-main/adapters/zk/prover.ts';
import { createNodeCrypto } from '../src-main/adapters/crypto/node-crypto.ts';
import { utf8 } from '../src-main/core/bytes.ts';
import { bytesToField, deriveIdentitySecrets, newMnemonic } from '../src-main/core/identity/keys.ts';
import { digestToField, keyLeaf } from '../src-main/core/zk/field.ts';
import { attributeInputs, featAttestedInputs, featAuthorityInputs, type CircuitInputs } from '../src-main/core/zk/inputs.ts';
import { PoseidonTree } from '../src-main/core/zk/merkle.ts';
import { attributeCommitment, attributeFieldTag } from '../src-main/core/attributes/credential.ts';
import { median } from './stats.ts';

const ROUNDS = 3;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function inputsFor(name: CircuitName): CircuitInputs {
  const crypto = createNodeCrypto();
  const lock = readLock();
  const keys = Array.from({ length: 3 }, () => {
    const secret = deriveIdentitySecrets(crypto, newMnemonic(crypto.randomBytes)).babyJubjubSecret;
    return { secret, pub: crypto.babyJubjub.publicKey(secret) };
  });
  if (name === 'featAttested' || name === 'featAuthority') {
    const { depth } = lock.circuits[name].params as { depth: number };
    const claim = digestToField(crypto.sha256(utf8('bench claim')));
    const tree = new PoseidonTree(depth, keys.map((w) => keyLeaf(w.pub)));
    const signatures = keys.map((w) => ({ babyJubjub: w.pub, ...crypto.babyJubjub.sign(w.secret, claim) }));
    if (name === 'featAuthority') return featAuthorityInputs(tree, claim, 42n, signatures);
    const { maxK } = lock.circuits.featAttested.params as { maxK: number };
    return featAttestedInputs(tree, maxK, maxK, claim, 42n, signatures);
  }
  const { bits, setSize } = lock.circuits.attributeIssued.params as { bits: number; setSize: number };
  const fieldTag = attributeFieldTag(crypto, 'age');
  const salt = bytesToField(crypto.randomBytes(16));
  const [issuer, holder] = [keys[0]!, keys[1]!];
  const signature = crypto.babyJubjub.sign(issuer.secret, attributeCommitment(holder.pub, fieldTag, 34n, salt));
  return attributeInputs({ issuer: issuer.pub, holder: holder.pub, fieldTag, value: 34n, salt, signature }, { op: 'gte', bound: 18n, set: [] }, 42n, bits, setSize);
}

export async function zkBench(json: boolean): Promise<void> {
  const prover = new Prover();
  const results: Record<string, { proveMs: number; rawProveMs: number; proveRatio: number; verifyMs: number; rawVerifyMs: number; constraints: number }> = {};
  try {
    for (const name of ['featAttested', 'featAuthority', 'attributeIssued'] as const) {
      const inputs = inputsFor(name);
      const circuit = loadCircuit(name);
      await prover.prove(name, inputs); // warm the proving process (artifacts loaded once, as in the app)
      const app: number[] = [];
      const raw: number[] = [];
      const appVerify: number[] = [];
      const rawVerify: number[] = [];
      let last = await prover.prove(name, inputs);
      for (let i = 0; i < ROUNDS; i++) {
        app.push(await time(async () => (last = await prover.prove(name, inputs))));
        raw.push(await time(() => snarkjs.groth16.fullProve(inputs, circuit.wasm, circuit.zkey)));
        appVerify.push(await time(() => prover.verify(name, last)));
        rawVerify.push(await time(() => snarkjs.groth16.verify(circuit.vkey, last.publicSignals, last.proof)));
      }
      results[name] = {
        proveMs: Math.round(median(app)), rawProveMs: Math.round(median(raw)), proveRatio: Number((median(app) / median(raw)).toFixed(3)),
        verifyMs: Math.round(median(appVerify)), rawVerifyMs: Math.round(median(rawVerify)), constraints: circuit.lock.constraints,
      };
    }
  } finally {
    await prover.close();
  }
  if (json) console.log(JSON.stringify(results));
  else {
    console.log(`zk benchmark (medians of ${ROUNDS}; app = separate proving process with hash-checked artifacts, raw = snarkjs.groth16.fullProve here)`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`  ${name.padEnd(19)} ${String(r.constraints).padStart(6)} constraints  prove ${r.proveMs} ms (raw ${r.rawProveMs} ms, ${r.proveRatio}×)  verify ${r.verifyMs} ms (raw ${r.rawVerifyMs} ms)`);
    }
  }
  // snarkjs keeps its curve's worker threads alive in this process.
  process.exit(0);
}
