// Circuit inputs built by the same code the app uses, so that the circuits and the app check each other:
// FeatAttested (k distinct trusted witnesses signed the claim) and AttributePredicate (a signed value
// satisfies >=, <= or membership).
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
 * Inputs for FeatAttested(k, depth): the first k signatures from distinct keys of the trusted tree.
 * Throws when fewer than k distinct trusted witnesses signed (the proof cannot be made then).
 */
export function featAttestedInputs(tree: PoseidonTree, k: number, claimHash: bigint, nonce: bigint, signatures: readonly WitnessSignature[]): CircuitInputs {
  checkField('the claim hash', claimHash);
  checkField('the nonce', nonce);
  const chosen: WitnessSignature[] = [];
  const seen = new Set<bigint>();
  for (const sig of signatures) {
    const leaf = keyLeaf(sig.babyJubjub);
    if (seen.has(leaf) || !tree.has(leaf)) continue;
    seen.add(leaf);
    chosen.push(sig);
    if (chosen.length === k) break;
  }
  if (chosen.length < k) throw new ZkInputError(`the policy needs ${k} distinct trusted witnesses; ${chosen.length} signed`, { need: k, have: chosen.length });
  const paths = chosen.map((sig) => tree.path(keyLeaf(sig.babyJubjub)));
  return {
    root: str(tree.root),
    claimHash: str(claimHash),
    nonce: str(nonce),
    Ax: chosen.map((s) => str(bytesToField(s.babyJubjub[0]))),
    Ay: chosen.map((s) => str(bytesToField(s.babyJubjub[1]))),
    R8x: chosen.map((s) => str(s.R8x)),
    R8y: chosen.map((s) => str(s.R8y)),
    S: chosen.map((s) => str(s.S)),
    pathIndices: paths.map((p) => p.pathIndices.map(str)),
    siblings: paths.map((p) => p.siblings.map(str)),
  };
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
