// Circuit inputs built by the same code the app uses, so that the circuits and the app check each other:
// FeatThreshold (k distinct trusted witnesses signed the claim), FeatAuthority (one trusted authority signed
// it) and AttributeIssued (an issuer-signed value satisfies >=, <=, = or membership).
import { poseidon2 } from 'poseidon-lite';
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

export const PREDICATE_OPS = { gte: 0, lte: 1, in: 2, eq: 3 } as const;
export type PredicateOp = keyof typeof PREDICATE_OPS;

/** What an attribute proof shows of a value: >= bound, <= bound, = bound, or one of `set`. */
export interface Predicate {
  op: PredicateOp;
  bound: bigint;
  set: bigint[];
}

/** An issued credential, opened: the keys, the field, the value and the issuer's signature of the commitment. */
export interface AttributeProofRequest {
  issuer: readonly [Uint8Array, Uint8Array];
  holder: readonly [Uint8Array, Uint8Array];
  fieldTag: bigint;
  value: bigint;
  salt: bigint;
  signature: { R8x: bigint; R8y: bigint; S: bigint };
}

/** Whether `value` satisfies `predicate`. */
export const predicateHolds = (predicate: Predicate, value: bigint): boolean =>
  predicate.op === 'gte' ? value >= predicate.bound : predicate.op === 'lte' ? value <= predicate.bound : predicate.op === 'eq' ? value === predicate.bound : predicate.set.includes(value);

/**
 * Inputs for AttributeIssued(bits, setSize) bound to the verifier's `nonce`; checks the predicate first, with
 * the reason when it fails (no proof can be made of a predicate the value does not satisfy).
 */
export function attributeInputs(request: AttributeProofRequest, predicate: Predicate, nonce: bigint, bits: number, setSize: number): CircuitInputs {
  checkField('the nonce', nonce);
  checkField('the salt', request.salt);
  const { value } = request;
  const { bound, op } = predicate;
  const max = 1n << BigInt(bits);
  const inRange = (v: bigint) => v >= 0n && v < max;
  if (!inRange(value) || !inRange(bound) || !predicate.set.every(inRange)) throw new ZkInputError(`values and bounds are whole numbers below 2^${bits}`);
  if (predicate.set.length > setSize) throw new ZkInputError(`a set has at most ${setSize} members`);
  if (op === 'in' && predicate.set.length === 0) throw new ZkInputError('a set needs at least one member');
  if (!predicateHolds(predicate, value)) throw new ZkInputError('the value does not satisfy the predicate; no proof can be made');
  const set = op !== 'in' ? Array<bigint>(setSize).fill(bound) : [...predicate.set, ...Array<bigint>(setSize - predicate.set.length).fill(predicate.set[0]!)];
  return {
    issuerAx: str(bytesToField(request.issuer[0])),
    issuerAy: str(bytesToField(request.issuer[1])),
    holderAx: str(bytesToField(request.holder[0])),
    holderAy: str(bytesToField(request.holder[1])),
    fieldTag: str(request.fieldTag),
    op: str(PREDICATE_OPS[op]),
    bound: str(bound),
    set: set.map(str),
    nonce: str(nonce),
    value: str(value),
    salt: str(request.salt),
    R8x: str(request.signature.R8x),
    R8y: str(request.signature.R8y),
    S: str(request.signature.S),
  };
}
