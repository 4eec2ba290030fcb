// The BN254 scalar field the circuits compute in, and how DeFaust data becomes field elements.
import { bytesToField } from '../identity/keys.ts';
import { poseidon2 } from 'poseidon-lite';

/** The order of BN254's scalar field: every circuit signal lives below it. */
export const FIELD_MODULUS = 21888242871839275222246405745257275088548364400416711303184220689485854495617n;

/** A 256-bit digest as a field element: its top 253 bits (always below the modulus). */
export function digestToField(digest: Uint8Array): bigint {
  if (digest.length !== 32) throw new RangeError('a digest has 32 bytes');
  return bytesToField(digest) >> 3n;
}

/** The Merkle leaf of a Baby Jubjub public key: Poseidon(Ax, Ay). */
export function keyLeaf(babyJubjub: readonly [Uint8Array, Uint8Array]): bigint {
  return poseidon2([bytesToField(babyJubjub[0]), bytesToField(babyJubjub[1])]);
}
