// Verification failures: each names the rule it broke and the seq where it broke, as DESIGN §3 asks.
import { DefaustError } from '../errors.ts';

/** The rules a chain must keep; each failure carries one of these as its code. */
export type ChainRule =
  | 'canonical'
  | 'schema'
  | 'identity'
  | 'genesis'
  | 'seq'
  | 'prev'
  | 'author'
  | 'signature'
  | 'timestamp'
  | 'body-cid'
  | 'body-missing'
  | 'body-size'
  | 'checkpoint'
  | 'equivocation';

export class ChainVerificationError extends DefaustError {
  override name = 'ChainVerificationError';
  readonly rule: ChainRule;
  readonly seq: number | null;
  constructor(rule: ChainRule, seq: number | null, message: string) {
    super(`chain/${rule}`, seq === null ? message : `block ${seq}: ${message}`);
    this.rule = rule;
    this.seq = seq;
  }
}

/** Other writers (another process, another window) kept appending first; the change was not written. */
export class ConcurrentWriteError extends DefaustError {
  override name = 'ConcurrentWriteError';
  readonly tries: number;
  constructor(tries: number) {
    super('concurrent-write', `other writers kept changing this chain at the same moment; nothing was written after ${tries} tries — try again`);
    this.tries = tries;
  }
}

/**
 * Another device of this identity wrote blocks the network took, and this device's own unpublished blocks
 * cannot be written after them by rule (both changed the keys of one section, or a block here was signed by
 * a third device). Nothing changed here; nothing was published.
 */
export class ForkConflictError extends DefaustError {
  override name = 'ForkConflictError';
  constructor(message: string) {
    super('chain/fork-conflict', message);
  }
}
