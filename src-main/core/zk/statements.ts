// What a proof states, read from its public signals in the circuits' order (outputs first, then public
// inputs), and the checks a verifier adds to the pairing check: the expected root, claim and nonce.
import { DefaustError } from '../errors.ts';
import { FIELD_MODULUS } from './field.ts';
import { nullifierOf } from './inputs.ts';

export class StatementError extends DefaustError {
  override name = 'StatementError';
  constructor(message: string) {
    super('zk/statement', message);
  }
}

function fields(signals: unknown, count: number): bigint[] {
  if (!Array.isArray(signals) || signals.length !== count) throw new StatementError(`a proof of this kind has ${count} public signals`);
  return signals.map((s) => {
    if (typeof s !== 'string' || !/^\d{1,78}$/u.test(s)) throw new StatementError('public signals are decimal field elements');
    const value = BigInt(s);
    if (value >= FIELD_MODULUS) throw new StatementError('a public signal is at or above the field modulus');
    return value;
  });
}

/** FeatAttested public signals: [nullifier, root, claimHash, nonce]. */
export interface FeatStatement {
  nullifier: bigint;
  root: bigint;
  claimHash: bigint;
  nonce: bigint;
}

export function featStatement(signals: unknown): FeatStatement {
  const [nullifier, root, claimHash, nonce] = fields(signals, 4) as [bigint, bigint, bigint, bigint];
  if (nullifier !== nullifierOf(claimHash, nonce)) throw new StatementError('the nullifier does not bind this claim and nonce');
  return { nullifier, root, claimHash, nonce };
}

/** AttributePredicate public signals: [Ax, Ay, fieldTag, op, bound, ...set]. */
export interface AttributeStatement {
  Ax: bigint;
  Ay: bigint;
  fieldTag: bigint;
  op: 'gte' | 'lte' | 'in';
  bound: bigint;
  set: bigint[];
}

export function attributeStatement(signals: unknown, setSize: number): AttributeStatement {
  const values = fields(signals, 5 + setSize);
  const op = (['gte', 'lte', 'in'] as const)[Number(values[3])];
  if (op === undefined) throw new StatementError('unknown predicate');
  return { Ax: values[0]!, Ay: values[1]!, fieldTag: values[2]!, op, bound: values[4]!, set: values.slice(5) };
}
