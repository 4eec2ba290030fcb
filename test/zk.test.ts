// The circuits against the TypeScript that builds their inputs in the app: valid proofs verify with the
// verification key alone; a witness outside the tree, a repeated witness, a forged signature, a wrong claim,
// a replayed nullifier, a public input at or above the field modulus and a tampered proof never verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prover, ProofError, type Groth16Proof } from '../src-main/adapters/zk/prover.ts';
import { readLock } from '../src-main/adapters/zk/artifacts.ts';
import { utf8 } from '../src-main/core/bytes.ts';
import { bytesToField } from '../src-main/core/identity/keys.ts';
import { digestToField, FIELD_MODULUS, keyLeaf } from '../src-main/core/zk/field.ts';
import { attributeCommitment, attributeInputs, featAttestedInputs, nullifierOf, ZkInputError, type WitnessSignature } from '../src-main/core/zk/inputs.ts';
import { PoseidonTree } from '../src-main/core/zk/merkle.ts';
import { attributeStatement, featStatement, StatementError } from '../src-main/core/zk/statements.ts';
import { crypto, ownerKeys } from './helpers.ts';

const lock = readLock();
const { k, depth } = lock.circuits.featAttested.params as { k: number; depth: number };
const { bits, setSize } = lock.circuits.attributePredicate.params as { bits: number; setSize: number };

const witnesses = Array.from({ length: 5 }, () => {
  const secret = ownerKeys().identity.babyJubjubSecret;
  return { secret, pub: crypto.babyJubjub.publicKey(secret) };
});
// The first four are trusted; the fifth is not.
const tree = new PoseidonTree(depth, witnesses.slice(0, 4).map((w) => keyLeaf(w.pub)));
const claimHash = digestToField(crypto.sha256(utf8('feat: ran a marathon under 4h, 2026-10-04')));
const nonce = bytesToField(crypto.randomBytes(16));
const sign = (w: (typeof witnesses)[number], message = claimHash): WitnessSignature => ({ babyJubjub: w.pub, ...crypto.babyJubjub.sign(w.secret, message) });

const prover = new Prover();
afterAll(() => prover.close());

describe('FeatAttested', { timeout: 180_000 }, () => {
  let valid: Groth16Proof;

  beforeAll(async () => {
    const stages: string[] = [];
    valid = await prover.prove('featAttested', featAttestedInputs(tree, k, claimHash, nonce, witnesses.slice(0, 3).map((w) => sign(w))), (s) => stages.push(s));
    expect(stages).toEqual(['loading', 'witness', 'proving', 'done']);
  });

  it('three distinct trusted witnesses: the proof verifies, and states the root, claim, nonce and nullifier', async () => {
    expect(await prover.verify('featAttested', valid)).toBe(true);
    expect(featStatement(valid.publicSignals)).toEqual({ nullifier: nullifierOf(claimHash, nonce), root: tree.root, claimHash, nonce });
  });

  it('with two signatures (or a repeated or an untrusted third) the proof cannot be made', () => {
    const two = witnesses.slice(0, 2).map((w) => sign(w));
    expect(() => featAttestedInputs(tree, k, claimHash, nonce, two)).toThrow(ZkInputError);
    expect(() => featAttestedInputs(tree, k, claimHash, nonce, [...two, two[0]!])).toThrow(ZkInputError);
    expect(() => featAttestedInputs(tree, k, claimHash, nonce, [...two, sign(witnesses[4]!)])).toThrow(ZkInputError);
    let short: unknown;
    try {
      featAttestedInputs(tree, k, claimHash, nonce, [...two, two[0]!]);
    } catch (error) {
      short = error;
    }
    expect(short).toMatchObject({ code: 'zk/input', need: k, have: 2 });
  });

  it('a witness outside the tree: no proof', async () => {
    const inputs = featAttestedInputs(tree, k, claimHash, nonce, witnesses.slice(0, 3).map((w) => sign(w)));
    const outsider = sign(witnesses[4]!);
    (inputs.Ax as string[])[2] = bytesToField(outsider.babyJubjub[0]).toString();
    (inputs.Ay as string[])[2] = bytesToField(outsider.babyJubjub[1]).toString();
    (inputs.R8x as string[])[2] = outsider.R8x.toString();
    (inputs.R8y as string[])[2] = outsider.R8y.toString();
    (inputs.S as string[])[2] = outsider.S.toString();
    await expect(prover.prove('featAttested', inputs)).rejects.toThrow(ProofError);
  });

  it('a repeated witness: no proof', async () => {
    const inputs = featAttestedInputs(tree, k, claimHash, nonce, witnesses.slice(0, 3).map((w) => sign(w)));
    for (const key of ['Ax', 'Ay', 'R8x', 'R8y', 'S', 'pathIndices', 'siblings'] as const) {
      (inputs[key] as unknown[])[1] = (inputs[key] as unknown[])[0];
    }
    await expect(prover.prove('featAttested', inputs)).rejects.toThrow(ProofError);
  });

  it('a forged signature (or one on another claim): no proof', async () => {
    const sigs = witnesses.slice(0, 3).map((w) => sign(w));
    const forged = featAttestedInputs(tree, k, claimHash, nonce, sigs);
    (forged.S as string[])[1] = (sigs[1]!.S + 1n).toString();
    await expect(prover.prove('featAttested', forged)).rejects.toThrow(ProofError);
    const otherClaim = featAttestedInputs(tree, k, claimHash, nonce, [sigs[0]!, sigs[1]!, sign(witnesses[2]!, claimHash + 1n)]);
    await expect(prover.prove('featAttested', otherClaim)).rejects.toThrow(ProofError);
  });

  it('a wrong claim hash, another nonce (replay), a signal at the field modulus or a tampered proof never verify', async () => {
    const signals = valid.publicSignals;
    const withSignal = (i: number, v: bigint): Groth16Proof => ({ proof: valid.proof, publicSignals: signals.map((s, j) => (j === i ? v.toString() : s)) });
    expect(await prover.verify('featAttested', withSignal(2, claimHash + 1n))).toBe(false);
    expect(await prover.verify('featAttested', withSignal(3, nonce + 1n))).toBe(false);
    expect(await prover.verify('featAttested', withSignal(0, nullifierOf(claimHash, nonce + 1n)))).toBe(false);
    expect(await prover.verify('featAttested', withSignal(2, claimHash + FIELD_MODULUS))).toBe(false);
    expect(() => featStatement(withSignal(2, claimHash + FIELD_MODULUS).publicSignals)).toThrow(StatementError);
    const proof = structuredClone(valid.proof) as { pi_a: string[] };
    proof.pi_a[0] = (BigInt(proof.pi_a[0]!) + 1n).toString();
    expect(await prover.verify('featAttested', { proof, publicSignals: signals })).toBe(false);
    expect(await prover.verify('featAttested', { proof: 'junk', publicSignals: ['1'] })).toBe(false);
  });
});

describe('AttributePredicate', { timeout: 180_000 }, () => {
  const owner = witnesses[0]!;
  const fieldTag = digestToField(crypto.sha256(utf8('fitness/age')));
  const salt = bytesToField(crypto.randomBytes(16));
  const signed = (value: bigint, signer = owner) => ({ value, salt, signature: crypto.babyJubjub.sign(signer.secret, attributeCommitment(fieldTag, value, salt)) });

  it('proves >=, <= and membership of a signed value without revealing it', async () => {
    const age = signed(34n);
    for (const [op, bound, set] of [['gte', 18n, []], ['lte', 40n, []], ['in', 0n, [30n, 34n, 35n]]] as const) {
      const proof = await prover.prove('attributePredicate', attributeInputs({ owner: owner.pub, fieldTag, op, bound, set: [...set], ...age }, bits, setSize));
      expect(await prover.verify('attributePredicate', proof)).toBe(true);
      const statement = attributeStatement(proof.publicSignals, setSize);
      expect(statement).toMatchObject({ op, fieldTag, Ax: bytesToField(owner.pub[0]) });
      // The value itself is never a public signal (for membership, only the public set is).
      if (op !== 'in') expect(proof.publicSignals).not.toContain('34');
    }
  });

  it('a value that does not satisfy the predicate, or a signature by someone else: no proof', async () => {
    expect(() => attributeInputs({ owner: owner.pub, fieldTag, op: 'gte', bound: 40n, set: [], ...signed(34n) }, bits, setSize)).toThrow(ZkInputError);
    const forcedFalse = attributeInputs({ owner: owner.pub, fieldTag, op: 'gte', bound: 18n, set: [], ...signed(34n) }, bits, setSize);
    forcedFalse.bound = '40';
    await expect(prover.prove('attributePredicate', forcedFalse)).rejects.toThrow(ProofError);
    const stranger = attributeInputs({ owner: owner.pub, fieldTag, op: 'gte', bound: 18n, set: [], ...signed(34n, witnesses[4]!) }, bits, setSize);
    await expect(prover.prove('attributePredicate', stranger)).rejects.toThrow(ProofError);
    const wrapped = attributeInputs({ owner: owner.pub, fieldTag, op: 'gte', bound: 18n, set: [], ...signed(34n) }, bits, setSize);
    wrapped.value = (34n + FIELD_MODULUS).toString();
    await expect(prover.prove('attributePredicate', wrapped)).rejects.toThrow(ProofError);
  });
});
