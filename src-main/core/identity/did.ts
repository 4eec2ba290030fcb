// did:key for Ed25519 public keys (multicodec ed25519-pub 0xed01, base58btc): the identity id format.
import { base58btc } from 'multiformats/bases/base58';
import { concatBytes } from '../bytes.ts';
import { InvalidDidError } from './errors.ts';

const ED25519_PUB_PREFIX = new Uint8Array([0xed, 0x01]);
const DID_KEY = 'did:key:';

/** A `did:key:z6Mk…` string. */
export type Did = string;

export function didFromPublicKey(publicKey: Uint8Array): Did {
  if (publicKey.length !== 32) throw new RangeError('an Ed25519 public key has 32 bytes');
  return DID_KEY + base58btc.encode(concatBytes(ED25519_PUB_PREFIX, publicKey));
}

export function publicKeyFromDid(did: string): Uint8Array {
  if (typeof did !== 'string' || !did.startsWith(DID_KEY + 'z')) throw new InvalidDidError(String(did));
  let decoded: Uint8Array;
  try {
    decoded = base58btc.decode(did.slice(DID_KEY.length));
  } catch {
    throw new InvalidDidError(did);
  }
  if (decoded.length !== 34 || decoded[0] !== 0xed || decoded[1] !== 0x01) throw new InvalidDidError(did);
  return decoded.slice(2);
}

// Valid ids seen recently: a verifier checks the same few authors on every header.
const validDids = new Set<string>();
const VALID_DID_CACHE = 1024;

export function isDid(value: unknown): value is Did {
  if (typeof value !== 'string') return false;
  if (validDids.has(value)) return true;
  try {
    publicKeyFromDid(value);
  } catch {
    return false;
  }
  if (validDids.size >= VALID_DID_CACHE) validDids.clear();
  validDids.add(value);
  return true;
}
