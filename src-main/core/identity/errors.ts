// Errors of the identity feature.
import { DefaustError } from '../errors.ts';
import type { KeyProblem } from './key-point.ts';

export class InvalidMnemonicError extends DefaustError {
  override name = 'InvalidMnemonicError';
  constructor(message = 'that is not a valid 24-word recovery phrase (check the words and their order)') {
    super('invalid-mnemonic', message);
  }
}

/** Why a did:key is refused: not written as one, or its key is not an acceptable Ed25519 point. */
export type DidProblem = 'format' | KeyProblem;

const DID_PROBLEMS: Record<DidProblem, string> = {
  'format': 'it is not written as an Ed25519 did:key (did:key:z6Mk… with 44 more base58 characters)',
  'non-canonical': 'its key is not in the canonical Ed25519 encoding',
  'off-curve': 'its key is not a point on the Ed25519 curve',
  'small-order': 'its key is a small-order point, which no real key is (anyone could sign as it and open what is sealed to it)',
  'mixed-order': 'its key is not in the prime-order group of Ed25519, which no real key is',
};

export class InvalidDidError extends DefaustError {
  override name = 'InvalidDidError';
  readonly did: string;
  readonly problem: DidProblem;
  constructor(did: string, problem: DidProblem) {
    super('invalid-did', `${JSON.stringify(did.slice(0, 80))} is not a usable identity: ${DID_PROBLEMS[problem]}`);
    this.did = did;
    this.problem = problem;
  }
}
