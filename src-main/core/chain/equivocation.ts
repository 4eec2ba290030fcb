// Equivocation: two validly signed headers of one identity with the same seq and different CIDs. The
// error that reports it carries the two headers' bytes as its proof.
import { DefaustError } from '../errors.ts';
import type { Did } from '../identity/did.ts';

export interface EquivocationProof {
  a: Uint8Array;
  b: Uint8Array;
}

export class EquivocationError extends DefaustError {
  override name = 'EquivocationError';
  readonly proof: EquivocationProof;
  readonly seq: number;
  constructor(id: Did, seq: number, proof: EquivocationProof) {
    super('chain/equivocation', `block ${seq}: ${id} signed two different blocks at seq ${seq}`);
    this.proof = proof;
    this.seq = seq;
  }
}
