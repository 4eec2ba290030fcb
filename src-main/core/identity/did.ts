// did:key for Ed25519 public keys (multicodec ed25519-pub 0xed01, base58btc): the identity id format. Decoding
// checks the written form (src-shared/rules/did.ts) and the key itself (key-point.ts); every did that comes
// in from a person or a peer goes through `publicKeyFromDid`, `isDid` or `assertDid`.
import { base58btc } from 'multiformats/bases/base58';
import { looksLikeDid } from '../../../src-shared/rules/did.ts';
import { concatBytes } from '../bytes.ts';
import { InvalidDidError, type DidProblem } from './errors.ts';
import { ed25519KeyProblem } from './key-point.ts';

const ED25519_PUB_PREFIX = new Uint8Array([0xed, 0x01]);
const DID_KEY = 'did:key:';

/** A `did:key:z6Mk…` string. */
export type Did = string;

export function didFromPublicKey(publicKey: Uint8Array): Did {
  if (publicKey.length !== 32) throw new RangeError('an Ed25519 public key has 32 bytes');
  return DID_KEY + base58btc.encode(concatBytes(ED25519_PUB_PREFIX, publicKey));
}

// Ids seen recently, with their key or why they were refused: a verifier checks the same few authors on every
// header, and the point check costs a scalar multiplication (about ten signature checks), so a peer repeating
// a bad id costs it once. Only ids written like one (56 characters) are remembered.
const seen = new Map<string, Uint8Array | DidProblem>();
const SEEN_LIMIT = 1024;

function remember(did: string, outcome: Uint8Array | DidProblem): void {
  if (seen.size >= SEEN_LIMIT) seen.clear();
  seen.set(did, outcome);
}

/** The Ed25519 public key of `did`; throws InvalidDidError (with its `problem`) unless it is a prime-order point. */
export function publicKeyFromDid(did: string): Uint8Array {
  const outcome = check(did);
  if (!(outcome instanceof Uint8Array)) throw new InvalidDidError(typeof did === 'string' ? did : `(a ${typeof did})`, outcome);
  return outcome.slice();
}

/** Null when `value` is a did:key of an acceptable Ed25519 key, else why not (for messages about received data). */
export function didProblem(value: unknown): DidProblem | null {
  const outcome = check(value);
  return outcome instanceof Uint8Array ? null : outcome;
}

function check(did: unknown): Uint8Array | DidProblem {
  if (typeof did !== 'string' || !looksLikeDid(did)) return 'format';
  const known = seen.get(did);
  if (known !== undefined) return known;
  const outcome = decode(did);
  remember(did, outcome);
  return outcome;
}

/** The key of a did written like one (looksLikeDid), or why it is not acceptable. */
function decode(did: string): Uint8Array | DidProblem {
  let decoded: Uint8Array;
  try {
    decoded = base58btc.decode(did.slice(DID_KEY.length));
  } catch {
    return 'format';
  }
  if (decoded.length !== 34 || decoded[0] !== 0xed || decoded[1] !== 0x01) return 'format';
  const key = decoded.slice(2);
  return ed25519KeyProblem(key) ?? key;
}

/** Throws InvalidDidError unless `value` is a did:key of an acceptable Ed25519 key. */
export function assertDid(value: unknown): asserts value is Did {
  publicKeyFromDid(value as string);
}

export function isDid(value: unknown): value is Did {
  return didProblem(value) === null;
}
