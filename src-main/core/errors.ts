// The base of every typed DeFaust error: a stable `code` that survives IPC and the CLI's --json output.

/** A failure a person or a program can act on; `code` is stable, `message` is plain words. */
export class DefaustError extends Error {
  override name = 'DefaustError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Input that does not have the shape it must have (arguments, decoded bytes, files). */
export class InvalidInputError extends DefaustError {
  override name = 'InvalidInputError';
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** Something asked for is not there (an identity, a block, a media object). */
export class NotFoundError extends DefaustError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super('not-found', message);
  }
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new InvalidInputError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
