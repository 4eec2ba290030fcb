// The circuits against the TypeScript that builds their inputs in the app: valid proofs verify with the
// verification key alone, for every k the threshold circuits take (both sizes of the family) and for an
// authority; a witness outside the tree, a repeated witness, a forged or malleated signature, a wrong k, tag
// or authority, a wrong claim, a replayed nullifier, a public input at or above the field modulus and a tampered proof never verify; for
// issued attributes: a wrong issuer or holder, a forged signature, a value outside the predicate, a wrong nonce.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prover, ProofError, type Groth16Proof } from '../src-main/adapters/zk/prover.ts';
import { readLock } from '../src-main/adapters/zk/artifacts.ts';
import { utf8 } from '../src-main/core/bytes.ts';
import { bytesToField } from '../src-main/core/identity/keys.ts';
import { digestToField, FIELD_MODULUS, keyLeaf } from '../src-main/core/zk/field.ts';
import { attributeInputs, FEAT_CIRCUIT_TAGS, featAttestedInputs, featAuthorityInputs, nullifierOf, ZkInputError, type Predicate, type WitnessSignature } from '../src-main/core/zk/inputs.ts';
import { attributeCommitment, attributeFieldTag } from '../src-main/core/attributes/credential.ts';
import { PoseidonTree } from '../src-main/core/zk/merkle.ts';
import { attributeStatement, featStatement, StatementError } from '../src-main/core/zk/statements.ts';
import { crypto, ownerKeys } from './helpers.ts';

const lock = readLock();
const { maxK, depth } = lock.circuits.featAttested.params as { maxK: number; depth: number };
const fewK = (lock.circuits.featAttestedFew.params as { maxK: number; depth: number }).maxK;
const authorityDepth = (lock.circuits.featAuthority.params as { depth: number }).depth;
const { bits, setSize } = lock.circuits.attributeIssued.params as { bits: number; setSize: number };

const witnesses = Array.from({ length: 6 }, () => {
  const secret = ownerKeys().identity.babyJubjubSecret;
  return { secret, pub: crypto.babyJubjub.publicKey(secret) };
});
// The first four are trusted witnesses; the fifth is not; the sixth (and only it) is a trusted authority.
const tree = new PoseidonTree(depth, witnesses.slice(0, 4).map((w) => keyLeaf(w.pub)));
const authorities = new PoseidonTree(authorityDepth, [keyLeaf(witnesses[5]!.pub)]);
const claimHash = digestToField(crypto.sha256(utf8('feat: ran a marathon under 4h, 2026-10-04')));
const nonce = bytesToField(crypto.randomBytes(16));
const sign = (w: (typeof witnesses)[number], message = claimHash): WitnessSignature => ({ babyJubjub: w.pub, ...crypto.babyJubjub.sign(w.secret, message) });
/** The subgroup order of Baby Jubjub: S + SUBORDER is the same point multiple, a malleated signature. */
const SUBORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041n;
const SLOT_KEYS = ['Ax', 'Ay', 'R8x', 'R8y', 'S', 'pathIndices', 'siblings'] as const;
const withSignal = (valid: Groth16Proof, i: number, v: bigint): Groth16Proof => ({ proof: valid.proof, publicSignals: valid.publicSignals.map((s, j) => (j === i ? v.toString() : s)) });
// The feat circuits' public signals: [nullifier, circuit, k, root, claimHash, nonce].
const SIGNAL = { nullifier: 0, circuit: 1, k: 2, root: 3, claimHash: 4, nonce: 5 } as const;

const prover = new Prover();
afterAll(() => prover.close());

describe('FeatThreshold', { timeout: 300_000 }, () => {
  let valid: Groth16Proof;
  const threeOf = () => featAttestedInputs(tree, maxK, maxK, claimHash, nonce, witnesses.slice(0, 3).map((w) => sign(w)));

  beforeAll(async () => {
    const stages: string[] = [];
    valid = await prover.prove('featAttested', threeOf(), (s) => stages.push(s));
    expect(stages).toEqual(['loading', 'witness', 'proving', 'done']);
  });

  it(`${maxK} distinct trusted witnesses: the proof verifies, and states the circuit, k, root, claim, nonce and nullifier`, async () => {
    expect(await prover.verify('featAttested', valid)).toBe(true);
    expect(featStatement(valid.publicSignals)).toEqual({ kind: 'k-of-n', k: maxK, nullifier: nullifierOf(claimHash, nonce), root: tree.root, claimHash, nonce });
  });

  it('a 2-of-n claim proves with two signatures, and the proof says k = 2', async () => {
    const two = await prover.prove('featAttested', featAttestedInputs(tree, 2, maxK, claimHash, nonce, witnesses.slice(1, 3).map((w) => sign(w))));
    expect(await prover.verify('featAttested', two)).toBe(true);
    expect(featStatement(two.publicSignals)).toMatchObject({ kind: 'k-of-n', k: 2, root: tree.root });
    // k is bound by the proof: the same proof does not state 3 (or 1).
    expect(await prover.verify('featAttested', withSignal(two, SIGNAL.k, 3n))).toBe(false);
    expect(await prover.verify('featAttested', withSignal(two, SIGNAL.k, 1n))).toBe(false);
  });

  it('k = 1: the disabled slots are ignored, whatever they hold', async () => {
    const inputs = featAttestedInputs(tree, 1, maxK, claimHash, nonce, [sign(witnesses[3]!)]);
    const outsider = featAttestedInputs(new PoseidonTree(depth, [keyLeaf(witnesses[4]!.pub)]), 1, maxK, claimHash + 1n, nonce, [sign(witnesses[4]!, claimHash + 1n)]);
    for (const key of SLOT_KEYS) for (let i = 1; i < maxK; i++) (inputs[key] as unknown[])[i] = (outsider[key] as unknown[])[0];
    const one = await prover.prove('featAttested', inputs);
    expect(await prover.verify('featAttested', one)).toBe(true);
    expect(featStatement(one.publicSignals).k).toBe(1);
  });

  it('fewer distinct trusted signatures than k (two, or a repeated or an untrusted one): the inputs cannot be built', () => {
    const two = witnesses.slice(0, 2).map((w) => sign(w));
    expect(() => featAttestedInputs(tree, 3, maxK, claimHash, nonce, two)).toThrow(ZkInputError);
    expect(() => featAttestedInputs(tree, 3, maxK, claimHash, nonce, [...two, two[0]!])).toThrow(ZkInputError);
    expect(() => featAttestedInputs(tree, 3, maxK, claimHash, nonce, [...two, sign(witnesses[4]!)])).toThrow(ZkInputError);
    let short: unknown;
    try {
      featAttestedInputs(tree, 3, maxK, claimHash, nonce, [...two, two[0]!]);
    } catch (error) {
      short = error;
    }
    expect(short).toMatchObject({ code: 'zk/input', need: 3, have: 2 });
    expect(() => featAttestedInputs(tree, maxK + 1, maxK, claimHash, nonce, witnesses.slice(0, 4).map((w) => sign(w)))).toThrow(ZkInputError);
    expect(() => featAttestedInputs(tree, 0, maxK, claimHash, nonce, two)).toThrow(ZkInputError);
  });

  it('a wrong k — more than the signatures given, 0, or above K — or a wrong circuit tag: no proof', async () => {
    const inputs = featAttestedInputs(tree, 2, maxK, claimHash, nonce, witnesses.slice(0, 2).map((w) => sign(w)));
    await expect(prover.prove('featAttested', { ...inputs, k: '3' })).rejects.toThrow(ProofError);
    await expect(prover.prove('featAttested', { ...inputs, k: '0' })).rejects.toThrow(ProofError);
    await expect(prover.prove('featAttested', { ...threeOf(), k: String(maxK + 1) })).rejects.toThrow(ProofError);
    await expect(prover.prove('featAttested', { ...inputs, circuit: FEAT_CIRCUIT_TAGS.authority.toString() })).rejects.toThrow(ProofError);
  });

  it('a witness outside the tree: no proof', async () => {
    const inputs = threeOf();
    const outsider = sign(witnesses[4]!);
    (inputs.Ax as string[])[2] = bytesToField(outsider.babyJubjub[0]).toString();
    (inputs.Ay as string[])[2] = bytesToField(outsider.babyJubjub[1]).toString();
    (inputs.R8x as string[])[2] = outsider.R8x.toString();
    (inputs.R8y as string[])[2] = outsider.R8y.toString();
    (inputs.S as string[])[2] = outsider.S.toString();
    await expect(prover.prove('featAttested', inputs)).rejects.toThrow(ProofError);
  });

  it('a repeated witness: no proof', async () => {
    const inputs = threeOf();
    for (const key of SLOT_KEYS) (inputs[key] as unknown[])[1] = (inputs[key] as unknown[])[0];
    await expect(prover.prove('featAttested', inputs)).rejects.toThrow(ProofError);
  });

  it('a forged signature, a malleated one (S + subgroup order) or one on another claim: no proof', async () => {
    const sigs = witnesses.slice(0, 3).map((w) => sign(w));
    const forged = featAttestedInputs(tree, 3, maxK, claimHash, nonce, sigs);
    (forged.S as string[])[1] = (sigs[1]!.S + 1n).toString();
    await expect(prover.prove('featAttested', forged)).rejects.toThrow(ProofError);
    const malleated = featAttestedInputs(tree, 3, maxK, claimHash, nonce, sigs);
    (malleated.S as string[])[1] = (sigs[1]!.S + SUBORDER).toString();
    await expect(prover.prove('featAttested', malleated)).rejects.toThrow(ProofError);
    const otherClaim = featAttestedInputs(tree, 3, maxK, claimHash, nonce, [sigs[0]!, sigs[1]!, sign(witnesses[2]!, claimHash + 1n)]);
    await expect(prover.prove('featAttested', otherClaim)).rejects.toThrow(ProofError);
  });

  it('inputs at or above the field modulus are refused before proving', () => {
    const sigs = witnesses.slice(0, 3).map((w) => sign(w));
    expect(() => featAttestedInputs(tree, 3, maxK, claimHash + FIELD_MODULUS, nonce, sigs)).toThrow(ZkInputError);
    expect(() => featAttestedInputs(tree, 3, maxK, claimHash, FIELD_MODULUS, sigs)).toThrow(ZkInputError);
  });

  it('a wrong claim hash, another nonce (replay), another circuit tag, a signal at the field modulus or a tampered proof never verify', async () => {
    expect(await prover.verify('featAttested', withSignal(valid, SIGNAL.claimHash, claimHash + 1n))).toBe(false);
    expect(await prover.verify('featAttested', withSignal(valid, SIGNAL.nonce, nonce + 1n))).toBe(false);
    expect(await prover.verify('featAttested', withSignal(valid, SIGNAL.nullifier, nullifierOf(claimHash, nonce + 1n)))).toBe(false);
    expect(await prover.verify('featAttested', withSignal(valid, SIGNAL.circuit, FEAT_CIRCUIT_TAGS.authority))).toBe(false);
    expect(await prover.verify('featAuthority', valid)).toBe(false);
    expect(await prover.verify('featAttested', withSignal(valid, SIGNAL.claimHash, claimHash + FIELD_MODULUS))).toBe(false);
    expect(() => featStatement(withSignal(valid, SIGNAL.claimHash, claimHash + FIELD_MODULUS).publicSignals)).toThrow(StatementError);
    expect(() => featStatement(withSignal(valid, SIGNAL.circuit, 7n).publicSignals)).toThrow(StatementError);
    expect(() => featStatement(withSignal(valid, SIGNAL.k, 0n).publicSignals)).toThrow(StatementError);
    const proof = structuredClone(valid.proof) as { pi_a: string[] };
    proof.pi_a[0] = (BigInt(proof.pi_a[0]!) + 1n).toString();
    expect(await prover.verify('featAttested', { proof, publicSignals: valid.publicSignals })).toBe(false);
    expect(await prover.verify('featAttested', { proof: 'junk', publicSignals: ['1'] })).toBe(false);
  });
});

// The small member of the k-of-n family: the same template with fewer slots, its own keys. The app proves
// (and a verifier checks) k witnesses with the smallest member that has k slots, so the two must never
// accept each other's proofs.
describe('FeatThreshold, the small member (featAttestedFew)', { timeout: 300_000 }, () => {
  const inputsOf = (k: number, sigs = witnesses.slice(0, k).map((w) => sign(w))) => featAttestedInputs(tree, k, fewK, claimHash, nonce, sigs);
  let valid: Groth16Proof;
  beforeAll(async () => {
    valid = await prover.prove('featAttestedFew', inputsOf(fewK));
  });

  it(`the family's sizes: fewer slots than the largest, at the same tree depth`, () => {
    expect(fewK).toBeLessThan(maxK);
    expect((lock.circuits.featAttestedFew.params as { depth: number }).depth).toBe(depth);
    expect(lock.circuits.featAttestedFew.constraints).toBeLessThan(lock.circuits.featAttested.constraints);
  });

  it(`k = ${fewK} and k = 1 verify with its key; its proofs do not verify with the largest circuit's key, nor the largest's with its key`, async () => {
    expect(await prover.verify('featAttestedFew', valid)).toBe(true);
    expect(featStatement(valid.publicSignals)).toMatchObject({ kind: 'k-of-n', k: fewK, root: tree.root });
    const one = await prover.prove('featAttestedFew', inputsOf(1));
    expect(await prover.verify('featAttestedFew', one)).toBe(true);
    expect(await prover.verify('featAttested', valid)).toBe(false);
    const wide = await prover.prove('featAttested', featAttestedInputs(tree, fewK, maxK, claimHash, nonce, witnesses.slice(0, fewK).map((w) => sign(w))));
    expect(wide.publicSignals).toEqual(valid.publicSignals);
    expect(await prover.verify('featAttestedFew', wide)).toBe(false);
  });

  it(`k above its ${fewK} slots, 0, a wrong tag, a witness outside the tree, a repeated witness or a forged signature: no proof`, async () => {
    await expect(prover.prove('featAttestedFew', { ...inputsOf(fewK), k: String(fewK + 1) })).rejects.toThrow(ProofError);
    await expect(prover.prove('featAttestedFew', { ...inputsOf(fewK), k: '0' })).rejects.toThrow(ProofError);
    await expect(prover.prove('featAttestedFew', { ...inputsOf(fewK), circuit: FEAT_CIRCUIT_TAGS.authority.toString() })).rejects.toThrow(ProofError);
    expect(() => featAttestedInputs(tree, fewK + 1, fewK, claimHash, nonce, witnesses.slice(0, fewK + 1).map((w) => sign(w)))).toThrow(ZkInputError);
    const outside = inputsOf(fewK);
    const outsider = sign(witnesses[4]!);
    (outside.Ax as string[])[1] = bytesToField(outsider.babyJubjub[0]).toString();
    (outside.Ay as string[])[1] = bytesToField(outsider.babyJubjub[1]).toString();
    (outside.R8x as string[])[1] = outsider.R8x.toString();
    (outside.R8y as string[])[1] = outsider.R8y.toString();
    (outside.S as string[])[1] = outsider.S.toString();
    await expect(prover.prove('featAttestedFew', outside)).rejects.toThrow(ProofError);
    const repeated = inputsOf(fewK);
    for (const key of SLOT_KEYS) (repeated[key] as unknown[])[1] = (repeated[key] as unknown[])[0];
    await expect(prover.prove('featAttestedFew', repeated)).rejects.toThrow(ProofError);
    const forged = inputsOf(fewK);
    (forged.S as string[])[0] = (BigInt((forged.S as string[])[0]!) + 1n).toString();
    await expect(prover.prove('featAttestedFew', forged)).rejects.toThrow(ProofError);
  });

  it('a changed k, nonce or claim, or a signal at the field modulus, never verifies', async () => {
    expect(await prover.verify('featAttestedFew', withSignal(valid, SIGNAL.k, 1n))).toBe(false);
    expect(await prover.verify('featAttestedFew', withSignal(valid, SIGNAL.nonce, nonce + 1n))).toBe(false);
    expect(await prover.verify('featAttestedFew', withSignal(valid, SIGNAL.claimHash, claimHash + 1n))).toBe(false);
    expect(await prover.verify('featAttestedFew', withSignal(valid, SIGNAL.root, tree.root + FIELD_MODULUS))).toBe(false);
  });
});

describe('FeatAuthority', { timeout: 300_000 }, () => {
  let valid: Groth16Proof;
  const authorityInputs = () => featAuthorityInputs(authorities, claimHash, nonce, [sign(witnesses[0]!), sign(witnesses[5]!)]);

  beforeAll(async () => {
    valid = await prover.prove('featAuthority', authorityInputs());
  });

  it("a trusted authority's signature: the proof verifies and states the authority circuit, k = 1, the authorities' root", async () => {
    expect(await prover.verify('featAuthority', valid)).toBe(true);
    expect(featStatement(valid.publicSignals)).toEqual({ kind: 'authority', k: 1, nullifier: nullifierOf(claimHash, nonce), root: authorities.root, claimHash, nonce });
    expect(await prover.verify('featAttested', valid)).toBe(false);
  });

  it('only witnesses who are not authorities signed: the inputs cannot be built', () => {
    expect(() => featAuthorityInputs(authorities, claimHash, nonce, witnesses.slice(0, 4).map((w) => sign(w)))).toThrow(expect.objectContaining({ code: 'zk/input', need: 1, have: 0 }));
    expect(() => featAuthorityInputs(authorities, claimHash + FIELD_MODULUS, nonce, [sign(witnesses[5]!)])).toThrow(ZkInputError);
  });

  it('a wrong authority (a trusted witness, not an authority), a forged or malleated signature, a wrong k or tag: no proof', async () => {
    const inputs = authorityInputs();
    const impostor = sign(witnesses[0]!);
    const wrong = { ...inputs, Ax: bytesToField(impostor.babyJubjub[0]).toString(), Ay: bytesToField(impostor.babyJubjub[1]).toString(), R8x: impostor.R8x.toString(), R8y: impostor.R8y.toString(), S: impostor.S.toString() };
    await expect(prover.prove('featAuthority', wrong)).rejects.toThrow(ProofError);
    await expect(prover.prove('featAuthority', { ...inputs, S: (BigInt(inputs.S as string) + 1n).toString() })).rejects.toThrow(ProofError);
    await expect(prover.prove('featAuthority', { ...inputs, S: (BigInt(inputs.S as string) + SUBORDER).toString() })).rejects.toThrow(ProofError);
    await expect(prover.prove('featAuthority', { ...inputs, k: '2' })).rejects.toThrow(ProofError);
    await expect(prover.prove('featAuthority', { ...inputs, circuit: FEAT_CIRCUIT_TAGS['k-of-n'].toString() })).rejects.toThrow(ProofError);
    const otherClaim = featAuthorityInputs(authorities, claimHash, nonce, [sign(witnesses[5]!, claimHash + 1n)]);
    await expect(prover.prove('featAuthority', otherClaim)).rejects.toThrow(ProofError);
  });

  it('another root, claim, nonce, k or tag in the public signals never verifies', async () => {
    expect(await prover.verify('featAuthority', withSignal(valid, SIGNAL.root, tree.root))).toBe(false);
    expect(await prover.verify('featAuthority', withSignal(valid, SIGNAL.claimHash, claimHash + 1n))).toBe(false);
    expect(await prover.verify('featAuthority', withSignal(valid, SIGNAL.nonce, nonce + 1n))).toBe(false);
    expect(await prover.verify('featAuthority', withSignal(valid, SIGNAL.k, 2n))).toBe(false);
    expect(await prover.verify('featAuthority', withSignal(valid, SIGNAL.circuit, FEAT_CIRCUIT_TAGS['k-of-n']))).toBe(false);
    expect(() => featStatement(withSignal(valid, SIGNAL.k, 2n).publicSignals)).toThrow(StatementError);
  });
});

describe('AttributeIssued', { timeout: 300_000 }, () => {
  const [issuer, holder, otherIssuer, otherHolder] = [witnesses[5]!, witnesses[0]!, witnesses[4]!, witnesses[1]!];
  const fieldTag = attributeFieldTag(crypto, 'age');
  const salt = bytesToField(crypto.randomBytes(16));
  const gte18: Predicate = { op: 'gte', bound: 18n, set: [] };
  // The public signals: [issuerAx, issuerAy, holderAx, holderAy, fieldTag, op, bound, ...set, nonce].
  const AT = { issuerAx: 0, holderAx: 2, fieldTag: 4, op: 5, bound: 6, nonce: 7 + setSize } as const;
  const issued = (value: bigint, o: { signer?: typeof issuer; claimed?: typeof issuer; to?: typeof holder; as?: typeof holder } = {}) => ({
    issuer: (o.claimed ?? o.signer ?? issuer).pub, holder: (o.as ?? o.to ?? holder).pub, fieldTag, value, salt,
    signature: crypto.babyJubjub.sign((o.signer ?? issuer).secret, attributeCommitment((o.to ?? holder).pub, fieldTag, value, salt)),
  });
  let valid: Groth16Proof;

  beforeAll(async () => {
    valid = await prover.prove('attributeIssued', attributeInputs(issued(34n), gte18, nonce, bits, setSize));
  });

  it("proves >=, <=, = and membership of an issuer's value for this holder, bound to the nonce, without revealing it", async () => {
    expect(await prover.verify('attributeIssued', valid)).toBe(true);
    expect(attributeStatement(valid.publicSignals, setSize)).toEqual({
      issuer: [bytesToField(issuer.pub[0]), bytesToField(issuer.pub[1])], holder: [bytesToField(holder.pub[0]), bytesToField(holder.pub[1])],
      fieldTag, op: 'gte', bound: 18n, set: Array<bigint>(setSize).fill(18n), nonce,
    });
    expect(valid.publicSignals).not.toContain('34');
    for (const predicate of [{ op: 'lte', bound: 40n, set: [] }, { op: 'eq', bound: 34n, set: [] }, { op: 'in', bound: 0n, set: [30n, 34n, 35n] }] as Predicate[]) {
      const proof = await prover.prove('attributeIssued', attributeInputs(issued(34n), predicate, nonce, bits, setSize));
      expect(await prover.verify('attributeIssued', proof)).toBe(true);
      expect(attributeStatement(proof.publicSignals, setSize)).toMatchObject({ op: predicate.op, fieldTag, nonce });
      // The value itself is a public signal only where the verifier named it (= its bound, or a member of its set).
      if (predicate.op === 'lte') expect(proof.publicSignals).not.toContain('34');
    }
  });

  it('a value outside the predicate: the inputs cannot be built, and a forced bound does not prove', async () => {
    expect(() => attributeInputs(issued(17n), gte18, nonce, bits, setSize)).toThrow(ZkInputError);
    expect(() => attributeInputs(issued(34n), { op: 'eq', bound: 35n, set: [] }, nonce, bits, setSize)).toThrow(ZkInputError);
    expect(() => attributeInputs(issued(34n), { op: 'in', bound: 0n, set: [1n, 2n] }, nonce, bits, setSize)).toThrow(ZkInputError);
    const forced = attributeInputs(issued(34n), gte18, nonce, bits, setSize);
    forced.bound = '40';
    await expect(prover.prove('attributeIssued', forced)).rejects.toThrow(ProofError);
  });

  it('a wrong issuer, a forged or malleated signature, or a credential of another holder: no proof', async () => {
    // Signed by one issuer, claimed as another's key.
    await expect(prover.prove('attributeIssued', attributeInputs(issued(34n, { signer: otherIssuer, claimed: issuer }), gte18, nonce, bits, setSize))).rejects.toThrow(ProofError);
    const forged = attributeInputs(issued(34n), gte18, nonce, bits, setSize);
    forged.S = (BigInt(forged.S as string) + 1n).toString();
    await expect(prover.prove('attributeIssued', forged)).rejects.toThrow(ProofError);
    const malleated = attributeInputs(issued(34n), gte18, nonce, bits, setSize);
    malleated.S = (BigInt(malleated.S as string) + SUBORDER).toString();
    await expect(prover.prove('attributeIssued', malleated)).rejects.toThrow(ProofError);
    // Issued to one holder, proven under another holder's key.
    await expect(prover.prove('attributeIssued', attributeInputs(issued(34n, { to: holder, as: otherHolder }), gte18, nonce, bits, setSize))).rejects.toThrow(ProofError);
    // Another field's tag.
    const otherField = attributeInputs(issued(34n), gte18, nonce, bits, setSize);
    otherField.fieldTag = attributeFieldTag(crypto, 'height').toString();
    await expect(prover.prove('attributeIssued', otherField)).rejects.toThrow(ProofError);
  });

  it('another issuer, holder, field, bound, op or nonce in the public signals never verifies', async () => {
    expect(await prover.verify('attributeIssued', withSignal(valid, AT.issuerAx, bytesToField(otherIssuer.pub[0])))).toBe(false);
    expect(await prover.verify('attributeIssued', withSignal(valid, AT.holderAx, bytesToField(otherHolder.pub[0])))).toBe(false);
    expect(await prover.verify('attributeIssued', withSignal(valid, AT.fieldTag, fieldTag + 1n))).toBe(false);
    expect(await prover.verify('attributeIssued', withSignal(valid, AT.bound, 17n))).toBe(false);
    expect(await prover.verify('attributeIssued', withSignal(valid, AT.op, 1n))).toBe(false);
    expect(await prover.verify('attributeIssued', withSignal(valid, AT.nonce, nonce + 1n))).toBe(false);
  });

  it('inputs at or above the field modulus: refused when built, unprovable when forced, rejected as public signals', async () => {
    expect(() => attributeInputs(issued(34n), gte18, FIELD_MODULUS, bits, setSize)).toThrow(ZkInputError);
    expect(() => attributeInputs(issued(1n << 64n), { op: 'gte', bound: 0n, set: [] }, nonce, bits, setSize)).toThrow(ZkInputError);
    const wrapped = attributeInputs(issued(34n), gte18, nonce, bits, setSize);
    wrapped.value = (34n + FIELD_MODULUS).toString();
    await expect(prover.prove('attributeIssued', wrapped)).rejects.toThrow(ProofError);
    expect(() => attributeStatement(withSignal(valid, AT.nonce, nonce + FIELD_MODULUS).publicSignals, setSize)).toThrow(StatementError);
    expect(await prover.verify('attributeIssued', withSignal(valid, AT.nonce, nonce + FIELD_MODULUS))).toBe(false);
  });
});
