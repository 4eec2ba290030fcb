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

/** Something is bigger than its cap (src-shared/rules/limits.ts): `what` names it, `size` and `cap` are in `unit`. */
export class TooLargeError extends DefaustError {
  override name = 'TooLargeError';
  readonly what: string;
  readonly size: number;
  readonly cap: number;
  readonly unit: 'bytes' | 'characters';
  constructor(what: string, size: number, cap: number, unit: 'bytes' | 'characters' = 'bytes') {
    super('too-large', `${what} of ${size} ${unit} exceeds the limit of ${cap} ${unit}`);
    this.what = what;
    this.size = size;
    this.cap = cap;
    this.unit = unit;
  }
}

/** Throws TooLargeError when `size` passes `cap`. */
export function checkSize(what: string, size: number, cap: number, unit: 'bytes' | 'characters' = 'bytes'): void {
  if (size > cap) throw new TooLargeError(what, size, cap, unit);
}

/** A failure as a report names it: a DeFaust error's code (`internal` for any other) and its message. */
export function failureSummary(error: unknown): { code: string; message: string } {
  return { code: error instanceof DefaustError ? error.code : 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new InvalidInputError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
