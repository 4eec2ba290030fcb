// Errors of the identity feature.
import { DefaustError } from '../errors.ts';

export class InvalidMnemonicError extends DefaustError {
  override name = 'InvalidMnemonicError';
  constructor(message = 'that is not a valid 24-word recovery phrase (check the words and their order)') {
    super('invalid-mnemonic', message);
  }
}

export class InvalidDidError extends DefaustError {
  override name = 'InvalidDidError';
  constructor(did: string) {
    super('invalid-did', `not an Ed25519 did:key: ${did.slice(0, 80)}`);
  }
}
