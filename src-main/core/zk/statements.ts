// What a proof states, read from its public signals in the circuits' order (outputs first, then public
// inputs), and the checks a verifier adds to the pairing check: the expected root, claim and nonce.
import { DefaustError } from '../errors.ts';
import { FIELD_MODULUS } from './field.ts';
import { FEAT_CIRCUIT_TAGS, nullifierOf, PREDICATE_OPS, type FeatCircuitKind, type PredicateOp } from './inputs.ts';

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

/**
 * The feat circuits' public signals: [nullifier, circuit, k, root, claimHash, nonce]. `kind` is the policy
 * the circuit proves (from its tag), `k` how many distinct witnesses it shows (1 for an authority).
 */
export interface FeatStatement {
  kind: FeatCircuitKind;
  k: number;
  nullifier: bigint;
  root: bigint;
  claimHash: bigint;
  nonce: bigint;
}

/** The largest k a statement may name: no circuit has more witness slots than a policy allows (claims.ts). */
const MAX_STATED_K = 16n;

export function featStatement(signals: unknown): FeatStatement {
  const [nullifier, tag, k, root, claimHash, nonce] = fields(signals, 6) as [bigint, bigint, bigint, bigint, bigint, bigint];
  const kind = (Object.keys(FEAT_CIRCUIT_TAGS) as FeatCircuitKind[]).find((name) => FEAT_CIRCUIT_TAGS[name] === tag);
  if (kind === undefined) throw new StatementError(`unknown feat circuit ${tag}`);
  if (k < 1n || k > MAX_STATED_K || (kind === 'authority' && k !== 1n)) throw new StatementError(`a ${kind} proof cannot show ${k} witnesses`);
  if (nullifier !== nullifierOf(claimHash, nonce)) throw new StatementError('the nullifier does not bind this claim and nonce');
  return { kind, k: Number(k), nullifier, root, claimHash, nonce };
}

/** AttributeIssued public signals: [issuerAx, issuerAy, holderAx, holderAy, fieldTag, op, bound, ...set, nonce]. */
export interface AttributeStatement {
  issuer: [bigint, bigint];
  holder: [bigint, bigint];
  fieldTag: bigint;
  op: PredicateOp;
  bound: bigint;
  set: bigint[];
  nonce: bigint;
}

export function attributeStatement(signals: unknown, setSize: number): AttributeStatement {
  const values = fields(signals, 8 + setSize);
  const op = (Object.keys(PREDICATE_OPS) as PredicateOp[]).find((name) => BigInt(PREDICATE_OPS[name]) === values[5]);
  if (op === undefined) throw new StatementError('unknown predicate');
  return { issuer: [values[0]!, values[1]!], holder: [values[2]!, values[3]!], fieldTag: values[4]!, op, bound: values[6]!, set: values.slice(7, 7 + setSize), nonce: values[7 + setSize]! };
}
