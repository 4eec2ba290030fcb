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
