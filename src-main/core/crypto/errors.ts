// Errors of the crypto port: the few refusals a primitive makes on keys that would void its guarantees.
import { DefaustError } from '../errors.ts';

/** A public key of small order: whatever is sealed to it could be opened by anyone. */
export class WeakKeyError extends DefaustError {
  override name = 'WeakKeyError';
  readonly algorithm: 'x25519';
  constructor(algorithm: 'x25519') {
    super('weak-key', `refusing to seal to a small-order ${algorithm.toUpperCase()} key: anyone could open it`);
    this.algorithm = algorithm;
  }
}

/** A signature worker stopped before answering (it crashed or was closed); no verdict was reached. */
export class SignatureWorkerError extends DefaustError {
  override name = 'SignatureWorkerError';
  readonly exitCode: number | null;
  constructor(message: string, exitCode: number | null) {
    super('signature-worker', message);
    this.exitCode = exitCode;
  }
}
