// Mailbox deposits and fetch proofs of `/defaust/msg/1.0.0` (DESIGN §5). A deposit wraps an envelope that is
// already sealed to its recipient and adds the sender's outer signature, so a mailbox can refuse forgeries
// and count what it keeps against the sender; a fetch proof shows that whoever collects (and deletes) the mail
// of a did holds that did's key. A mailbox learns sender, recipient, size and times, never the content.
//
//   deposit     { v: 1, to: did, from: did, ts: uint ms, ttl: uint ms, envelope: bytes, sig: bytes(64) }
//               sig = Ed25519 by `from` over "defaust/deposit/v1\n" ‖ dag-cbor(the deposit without sig)
//               id  = CID (dag-cbor, sha-256) of dag-cbor(the deposit without sig)
//   fetch proof sig = Ed25519 by `to` over "defaust/mailbox-fetch/v1\n" ‖ dag-cbor({to, peer, nonce})
//               `peer` is the mailbox's peer id and `nonce` its fresh challenge, so a proof is good for one
//               fetch at one mailbox: a mailbox cannot replay it elsewhere to collect someone's mail.
import { concatBytes, utf8 } from '../bytes.ts';
import { cidOf, decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { InvalidInputError } from '../errors.ts';
import { assertDid, didFromPublicKey, isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { MessageError } from './errors.ts';

export const DEPOSIT_VERSION = 1;
const DEPOSIT_LABEL = utf8('defaust/deposit/v1\n');
const FETCH_LABEL = utf8('defaust/mailbox-fetch/v1\n');
/** The bytes a deposit adds around its envelope (field names, two dids, numbers, the signature): well under this. */
export { DEPOSIT_OVERHEAD_BYTES } from '../../../src-shared/rules/limits.ts';
export const FETCH_NONCE_BYTES = 32;

export interface UnsignedDeposit {
  v: number;
  /** The recipient. */
  to: Did;
  /** The sender, whose identity key signs the deposit. */
  from: Did;
  /** When the sender made it (ms since 1970). */
  ts: number;
  /** How long it may wait in a mailbox (ms from `ts`); a mailbox may keep it for less (its own maximum). */
  ttl: number;
  /** The envelope, sealed to `to` (opaque here). */
  envelope: Uint8Array;
}

export interface Deposit extends UnsignedDeposit {
  sig: Uint8Array;
}

/** A deposit that decoded and verified, with its id and its exact bytes. */
export interface VerifiedDeposit {
  id: string;
  deposit: Deposit;
  bytes: Uint8Array;
}

/** An identity that signs: its did and its Ed25519 identity seed. */
export interface SigningIdentity {
  did: Did;
  ed25519Seed: Uint8Array;
}

const DEPOSIT_KEYS = 'envelope,from,sig,to,ts,ttl,v';
const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

const unsignedOf = (d: UnsignedDeposit): UnsignedDeposit => ({ v: d.v, to: d.to, from: d.from, ts: d.ts, ttl: d.ttl, envelope: d.envelope });
const signedBytes = (d: UnsignedDeposit): Uint8Array => concatBytes(DEPOSIT_LABEL, encode(unsignedOf(d)));

/** The id of a deposit: the CID of its canonical encoding without the signature (a signature cannot change it). */
export function depositId(crypto: Crypto, deposit: UnsignedDeposit): string {
  return cidOf(crypto.sha256, encode(unsignedOf(deposit))).toString();
}

/** Throws InvalidInputError unless `seed` is the key of `did`. */
export function checkSigner(crypto: Crypto, identity: SigningIdentity): void {
  if (didFromPublicKey(crypto.ed25519.publicKey(identity.ed25519Seed)) !== identity.did) {
    throw new InvalidInputError(`the seed given is not the key of ${identity.did}`);
  }
}

/** Signs a deposit of `envelope` for `to` by the sender's identity key; returns it with its id and bytes. */
export function makeDeposit(
  crypto: Crypto,
  from: SigningIdentity,
  fields: { to: Did; ts: number; ttl: number; envelope: Uint8Array },
): VerifiedDeposit {
  assertDid(fields.to);
  if (!isUint(fields.ts) || !isUint(fields.ttl) || fields.ttl === 0) throw new InvalidInputError('ts and ttl are whole milliseconds, ttl above 0');
  checkSigner(crypto, from);
  const unsigned: UnsignedDeposit = { v: DEPOSIT_VERSION, to: fields.to, from: from.did, ts: fields.ts, ttl: fields.ttl, envelope: fields.envelope };
  const deposit: Deposit = { ...unsigned, sig: crypto.ed25519.sign(from.ed25519Seed, signedBytes(unsigned)) };
  return { id: depositId(crypto, unsigned), deposit, bytes: encode(deposit) };
}

/**
 * Decodes and verifies deposit bytes: size (before decoding), canonical encoding, exact shape, and the
 * sender's signature. Each failure is a MessageError: `oversized`, `malformed`, `forged`. Time is not
 * checked here (see Mailbox).
 */
export function verifyDeposit(crypto: Crypto, bytes: Uint8Array, maxBytes = Number.POSITIVE_INFINITY): VerifiedDeposit {
  if (bytes.length > maxBytes) throw new MessageError('oversized', `a deposit of ${bytes.length} bytes exceeds ${maxBytes}`);
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch (error) {
    throw new MessageError('malformed', `a deposit is canonical DAG-CBOR: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) throw new MessageError('malformed', 'a deposit is a map');
  const d = value as Record<string, unknown>;
  if (Object.keys(d).sort().join(',') !== DEPOSIT_KEYS) throw new MessageError('malformed', `a deposit has exactly the fields ${DEPOSIT_KEYS}`);
  if (d.v !== DEPOSIT_VERSION) throw new MessageError('malformed', `unknown deposit version ${String(d.v).slice(0, 20)}`);
  if (!isDid(d.to) || !isDid(d.from)) throw new MessageError('malformed', 'a deposit names its recipient and sender by did:key');
  if (!isUint(d.ts) || !isUint(d.ttl) || d.ttl === 0) throw new MessageError('malformed', 'a deposit has ts and ttl > 0 in whole ms');
  if (!(d.envelope instanceof Uint8Array) || !(d.sig instanceof Uint8Array) || d.sig.length !== 64) throw new MessageError('malformed', 'a deposit has envelope bytes and a 64-byte sig');
  const deposit = d as unknown as Deposit;
  if (!crypto.ed25519.verify(publicKeyFromDid(deposit.from), signedBytes(deposit), deposit.sig)) {
    throw new MessageError('forged', `the deposit is not signed by its sender ${deposit.from}`);
  }
  return { id: depositId(crypto, deposit), deposit, bytes };
}

function fetchProofBytes(to: Did, peer: string, nonce: Uint8Array): Uint8Array {
  return concatBytes(FETCH_LABEL, encode({ to, peer, nonce }));
}

/** The recipient's answer to a mailbox's challenge: it may collect the mail of `me.did` at `peer`, once. */
export function signFetchProof(crypto: Crypto, me: SigningIdentity, peer: string, nonce: Uint8Array): Uint8Array {
  return crypto.ed25519.sign(me.ed25519Seed, fetchProofBytes(me.did, peer, nonce));
}

/** Throws MessageError `not-yours` unless `sig` proves the holder of `to`'s key answered this challenge at this peer. */
export function verifyFetchProof(crypto: Crypto, to: Did, peer: string, nonce: Uint8Array, sig: Uint8Array): void {
  if (!crypto.ed25519.verify(publicKeyFromDid(to), fetchProofBytes(to, peer, nonce), sig)) {
    throw new MessageError('not-yours', `the fetch is not signed by the key of ${to}`);
  }
}
