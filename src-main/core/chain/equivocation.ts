// Equivocation proofs: two validly signed headers of one identity with the same seq and different CIDs.
// The proof is the two headers' bytes; anyone can check it offline, with no access to the chain.
import { DefaustError } from '../errors.ts';
import type { Crypto } from '../crypto/port.ts';
import type { Did } from '../identity/did.ts';
import { decodeHeader, signatureValid } from './header.ts';

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

export class InvalidEquivocationProofError extends DefaustError {
  override name = 'InvalidEquivocationProofError';
  constructor(message: string) {
    super('invalid-equivocation-proof', message);
  }
}

/** Checks a proof; returns who equivocated at which seq and which key signed the two headers. */
export function checkEquivocationProof(crypto: Crypto, proof: EquivocationProof): { id: Did; seq: number; authors: [Did, Did] } {
  const a = decodeHeader(crypto, proof.a);
  const b = decodeHeader(crypto, proof.b);
  if (a.header.id !== b.header.id) throw new InvalidEquivocationProofError('the two headers belong to different identities');
  if (a.header.seq !== b.header.seq) throw new InvalidEquivocationProofError('the two headers have different seqs');
  if (a.cid.equals(b.cid)) throw new InvalidEquivocationProofError('the two headers are the same block');
  if (!signatureValid(crypto, a.header) || !signatureValid(crypto, b.header)) throw new InvalidEquivocationProofError('a signature does not verify');
  return { id: a.header.id, seq: a.header.seq, authors: [a.header.author, b.header.author] };
}
