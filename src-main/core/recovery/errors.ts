// Errors of recovery by friends: each refusal names its rule with a stable code and the fields it is about.
import { DefaustError } from '../errors.ts';

/** Why a share or a release was refused (the bytes are left alone; nothing is written). */
export type ShareProblem =
  | 'undecodable' // not a DeFaust recovery envelope at all
  | 'not-for-me' // sealed to another id
  | 'forged' // does not open with this key, or the owner's signature does not verify
  | 'mixed-sets' // shares of different owners, sets or parameters
  | 'duplicate'; // the same share twice

/** A share or release that is not what it claims to be: altered, sealed to someone else, or mixed with another set. */
export class BadShareError extends DefaustError {
  override name = 'BadShareError';
  readonly problem: ShareProblem;
  constructor(problem: ShareProblem, message: string) {
    super('bad-share', message);
    this.problem = problem;
  }
}

/** Fewer distinct shares than the set's threshold. */
export class NotEnoughSharesError extends DefaustError {
  override name = 'NotEnoughSharesError';
  readonly have: number;
  readonly need: number;
  constructor(have: number, need: number) {
    super('not-enough-shares', `${have} share${have === 1 ? '' : 's'} given; this set needs ${need}`);
    this.have = have;
    this.need = need;
  }
}

/**
 * The shares combined to a key that does not open the sealed phrase (the AEAD tag fails) or opened a phrase
 * of another identity: a share was altered in a way its signature could not catch, or the set is wrong.
 */
export class RebuildFailedError extends DefaustError {
  override name = 'RebuildFailedError';
  readonly owner: string;
  constructor(owner: string) {
    super('rebuild-failed', `the shares did not rebuild ${owner}'s recovery phrase: one of them is wrong or altered`);
    this.owner = owner;
  }
}

/** A split the scheme cannot make: k and n out of range, a custodian twice, the owner as its own custodian. */
export class BadSplitError extends DefaustError {
  override name = 'BadSplitError';
  constructor(message: string) {
    super('bad-split', message);
  }
}

/** No share from this owner is held here (custody release). */
export class NoShareError extends DefaustError {
  override name = 'NoShareError';
  readonly owner: string;
  constructor(owner: string) {
    super('no-share', `no recovery share of ${owner} is held here`);
    this.owner = owner;
  }
}
