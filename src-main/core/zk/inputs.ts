// Circuit inputs built by the same code the app uses, so that the circuits and the app check each other:
// FeatThreshold (k distinct trusted witnesses signed the claim), FeatAuthority (one trusted authority signed
// it) and AttributePredicate (a signed value satisfies >=, <= or membership).
import { poseidon2, poseidon3 } from 'poseidon-lite';
import { DefaustError } from '../errors.ts';
import { bytesToField } from '../identity/keys.ts';
import { FIELD_MODULUS, keyLeaf } from './field.ts';
import type { PoseidonTree } from './merkle.ts';

/** Inputs no proof can be made from; `need` and `have` count the trusted witnesses when that is what is short. */
export class ZkInputError extends DefaustError {
  override name = 'ZkInputError';
  readonly need?: number;
  readonly have?: number;
  constructor(message: string, witnesses?: { need: number; have: number }) {
    super('zk/input', message);
    if (witnesses !== undefined) {
      this.need = witnesses.need;
      this.have = witnesses.have;
    }
  }
}

export type CircuitInputs = Record<string, string | string[] | string[][]>;

/** A witness's EdDSA-Poseidon signature with the public key it verifies under. */
export interface WitnessSignature {
  babyJubjub: [Uint8Array, Uint8Array];
  R8x: bigint;
  R8y: bigint;
  S: bigint;
}

const str = (v: bigint | number): string => v.toString();

function checkField(name: string, value: bigint): void {
  if (value < 0n || value >= FIELD_MODULUS) throw new ZkInputError(`${name} must be below the field modulus`);
}

export const nullifierOf = (claimHash: bigint, nonce: bigint): bigint => poseidon2([claimHash, nonce]);

/**
 * The feat circuits, named by the claim policy each proves, and the tag each carries as its public input
 * `circuit`: FeatThreshold (k distinct trusted witnesses, any k up to the circuit's K) and FeatAuthority
 * (one trusted authority).
 */
export const FEAT_CIRCUIT_TAGS = { 'k-of-n': 1n, authority: 2n } as const;
export type FeatCircuitKind = keyof typeof FEAT_CIRCUIT_TAGS;

/** The first `k` signatures whose keys are distinct leaves of `tree`; fewer when fewer are there. */
function distinctTrusted(tree: PoseidonTree, k: number, signatures: readonly WitnessSignature[]): WitnessSignature[] {
  const chosen: WitnessSignature[] = [];
  const seen = new Set<bigint>();
  for (const sig of signatures) {
    const leaf = keyLeaf(sig.babyJubjub);
    if (seen.has(leaf) || !tree.has(leaf)) continue;
    seen.add(leaf);
    chosen.push(sig);
    if (chosen.length === k) break;
  }
  return chosen;
}

/** One circuit slot: a signature, its key and the key's path in `tree`. */
function slot(tree: PoseidonTree, sig: WitnessSignature) {
  const path = tree.path(keyLeaf(sig.babyJubjub));
  return {
    Ax: str(bytesToField(sig.babyJubjub[0])), Ay: str(bytesToField(sig.babyJubjub[1])),
    R8x: str(sig.R8x), R8y: str(sig.R8y), S: str(sig.S),
    pathIndices: path.pathIndices.map(str), siblings: path.siblings.map(str),
  };
}

/**
 * Inputs for FeatThreshold(maxK, depth) proving `k` (1..maxK): the first k signatures from distinct keys of
 * the trusted tree fill the enabled slots; the disabled slots repeat the first (the circuit ignores them).
 * Throws when fewer than k distinct trusted witnesses signed (the proof cannot be made then).
 */
export function featAttestedInputs(tree: PoseidonTree, k: number, maxK: number, claimHash: bigint, nonce: bigint, signatures: readonly WitnessSignature[]): CircuitInputs {
  checkField('the claim hash', claimHash);
  checkField('the nonce', nonce);
  if (!Number.isInteger(k) || k < 1 || k > maxK) throw new ZkInputError(`a feat proof shows 1 to ${maxK} witnesses; this policy needs ${k}`);
  const chosen = distinctTrusted(tree, k, signatures);
  if (chosen.length < k) throw new ZkInputError(`the policy needs ${k} distinct trusted witnesses; ${chosen.length} signed`, { need: k, have: chosen.length });
  const slots = [...chosen, ...Array<WitnessSignature>(maxK - k).fill(chosen[0]!)].map((sig) => slot(tree, sig));
  return {
    circuit: str(FEAT_CIRCUIT_TAGS['k-of-n']),
    k: str(k),
    root: str(tree.root),
    claimHash: str(claimHash),
    nonce: str(nonce),
    Ax: slots.map((s) => s.Ax),
    Ay: slots.map((s) => s.Ay),
    R8x: slots.map((s) => s.R8x),
    R8y: slots.map((s) => s.R8y),
    S: slots.map((s) => s.S),
    pathIndices: slots.map((s) => s.pathIndices),
    siblings: slots.map((s) => s.siblings),
  };
}

/**
 * Inputs for FeatAuthority(depth): the first signature whose key is a leaf of the authorities' tree.
 * Throws when no trusted authority signed.
 */
export function featAuthorityInputs(tree: PoseidonTree, claimHash: bigint, nonce: bigint, signatures: readonly WitnessSignature[]): CircuitInputs {
  checkField('the claim hash', claimHash);
  checkField('the nonce', nonce);
  const [chosen] = distinctTrusted(tree, 1, signatures);
  if (chosen === undefined) throw new ZkInputError('the policy needs a trusted authority; none signed', { need: 1, have: 0 });
  return { circuit: str(FEAT_CIRCUIT_TAGS.authority), k: '1', root: str(tree.root), claimHash: str(claimHash), nonce: str(nonce), ...slot(tree, chosen) };
}

export const PREDICATE_OPS = { gte: 0, lte: 1, in: 2 } as const;
export type PredicateOp = keyof typeof PREDICATE_OPS;

/** The commitment the owner signs for a field: Poseidon(fieldTag, value, salt). */
export const attributeCommitment = (fieldTag: bigint, value: bigint, salt: bigint): bigint => poseidon3([fieldTag, value, salt]);

export interface AttributeProofRequest {
  owner: [Uint8Array, Uint8Array];
  fieldTag: bigint;
  op: PredicateOp;
  bound: bigint;
  set: bigint[];
  value: bigint;
  salt: bigint;
  signature: { R8x: bigint; R8y: bigint; S: bigint };
}

/** Inputs for AttributePredicate(bits, setSize); checks the predicate first, with the reason when it fails. */
export function attributeInputs(request: AttributeProofRequest, bits: number, setSize: number): CircuitInputs {
  const { value, bound, op } = request;
  const max = 1n << BigInt(bits);
  if (value < 0n || value >= max || bound < 0n || bound >= max) throw new ZkInputError(`values and bounds are whole numbers below 2^${bits}`);
  if (request.set.length > setSize) throw new ZkInputError(`a set has at most ${setSize} members`);
  const holds = op === 'gte' ? value >= bound : op === 'lte' ? value <= bound : request.set.includes(value);
  if (!holds) throw new ZkInputError('the value does not satisfy the predicate; no proof can be made');
  const set = request.set.length === 0 ? Array<bigint>(setSize).fill(bound) : [...request.set, ...Array<bigint>(setSize - request.set.length).fill(request.set[0]!)];
  return {
    Ax: str(bytesToField(request.owner[0])),
    Ay: str(bytesToField(request.owner[1])),
    fieldTag: str(request.fieldTag),
    op: str(PREDICATE_OPS[op]),
    bound: str(bound),
    set: set.map(str),
    value: str(value),
    salt: str(request.salt),
    R8x: str(request.signature.R8x),
    R8y: str(request.signature.R8y),
    S: str(request.signature.S),
  };
}
