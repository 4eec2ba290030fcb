// Recovery by friends, the scheme: a fresh key K seals the recovery entropy (ChaCha20-Poly1305, so a wrong
// reconstruction is detected, not silently wrong); K is split k-of-n with Shamir secret sharing (the audited
// `shamir-secret-sharing` package); each share travels with the sealed entropy, signed by the owner's identity
// key and sealed to one custodian's did. A custodian releases its share by re-sealing the owner's signed bytes
// to a temporary id; k releases rebuild K, open the entropy and give back the 24 words.
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { combine, split } from 'shamir-secret-sharing';
import { concatBytes, toHex, utf8 } from '../bytes.ts';
import { decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { didFromPublicKey, isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { openEnvelope, sealEnvelope } from '../identity/envelope.ts';
import { deriveIdentitySecrets, identityPublic, normaliseMnemonic } from '../identity/keys.ts';
import { BadShareError, BadSplitError, NotEnoughSharesError, RebuildFailedError } from './errors.ts';

/** The envelope format of a share on its way from the owner to a custodian. */
export const SHARE_FORMAT = 'defaust/recovery-share';
/** The envelope format of a share released by a custodian to a temporary id. */
export const RELEASE_FORMAT = 'defaust/recovery-release';
/** At most this many custodians in one set (the package allows 255; a person names a handful). */
export const MAX_CUSTODIANS = 16;
/** A share file or mail is far smaller than this; anything larger is refused before decoding. */
export const MAX_SHARE_BYTES = 16 * 1024;

const SIGN_DOMAIN = utf8('defaust/recovery-share/v1\0');

/** One custodian's part, as the owner signed it. */
export interface Share {
  owner: Did;
  /** Names one split; re-sharing makes a new set (and does not revoke the old one). */
  set: string;
  k: number;
  n: number;
  /** 1..n: which of the n parts this is. */
  index: number;
  custodian: Did;
  /** Unix ms when the owner made the set. */
  ts: number;
  /** The Shamir share of K. */
  part: Uint8Array;
  /** The recovery entropy sealed with K (the same in every share of a set). */
  nonce: Uint8Array;
  sealed: Uint8Array;
  /** The owner-signed bytes, kept whole so a custodian can pass them on unchanged. */
  signed: { payload: Uint8Array; sig: Uint8Array };
}

export interface SplitInput {
  owner: Did;
  /** The owner's identity Ed25519 seed: it signs every share. */
  ownerSeed: Uint8Array;
  /** The 24 words; they must be the owner's (checked). */
  mnemonic: string;
  custodians: readonly Did[];
  k: number;
  ts: number;
}

export interface SplitSet {
  set: string;
  k: number;
  n: number;
  /** One envelope a custodian, sealed to its did, in the order the custodians were given. */
  shares: { custodian: Did; index: number; envelope: Uint8Array }[];
}

/** What the sealed entropy is bound to: opening it under another owner, set or threshold fails. */
const entropyAad = (owner: Did, set: string, k: number, n: number) => utf8(`defaust/recovery-entropy/v1|${owner}|${set}|${k}|${n}`);

/** The did of an Ed25519 seed: the temporary id of a recovery, or an identity. */
export function didOfSeed(crypto: Crypto, seed: Uint8Array): Did {
  return didFromPublicKey(crypto.ed25519.publicKey(seed));
}

/** Checks the custodians and threshold a split is asked for; throws BadSplitError. */
export function checkSplit(owner: Did, custodians: readonly Did[], k: number): void {
  const n = custodians.length;
  if (n < 2 || n > MAX_CUSTODIANS) throw new BadSplitError(`name between 2 and ${MAX_CUSTODIANS} custodians, not ${n}`);
  if (!Number.isInteger(k) || k < 2 || k > n) throw new BadSplitError(`k must be a whole number from 2 to ${n} (the number of custodians), not ${k}`);
  for (const c of custodians) if (!isDid(c)) throw new BadSplitError(`${String(c).slice(0, 80)} is not a did:key`);
  if (new Set(custodians).size !== n) throw new BadSplitError('a custodian is named twice');
  if (custodians.includes(owner)) throw new BadSplitError('you cannot be your own custodian');
}

/** Splits a fresh key over the custodians and seals each share to its custodian (see the module header). */
export async function splitPhrase(crypto: Crypto, input: SplitInput): Promise<SplitSet> {
  const { owner, custodians, k, ts } = input;
  checkSplit(owner, custodians, k);
  const mnemonic = normaliseMnemonic(input.mnemonic);
  if (identityPublic(crypto, deriveIdentitySecrets(crypto, mnemonic)).id !== owner) throw new BadSplitError('this recovery phrase is not the phrase of this identity');
  const n = custodians.length;
  const set = toHex(crypto.randomBytes(16));
  const key = crypto.randomBytes(32);
  const nonce = crypto.randomBytes(12);
  const sealed = crypto.aead.seal(key, nonce, mnemonicToEntropy(mnemonic, wordlist), entropyAad(owner, set, k, n));
  const parts = await split(key, n, k);
  key.fill(0);
  const shares = custodians.map((custodian, i) => {
    const payload = encode({ format: SHARE_FORMAT, v: 1, owner, set, k, n, index: i + 1, custodian, ts, part: parts[i]!, nonce, sealed });
    const sig = crypto.ed25519.sign(input.ownerSeed, concatBytes(SIGN_DOMAIN, payload));
    return { custodian, index: i + 1, envelope: sealEnvelope(crypto, SHARE_FORMAT, custodian, { payload, sig }) };
  });
  return { set, k, n, shares };
}

const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

/** Reads owner-signed share bytes: the shape, then the owner's signature over them. Throws BadShareError. */
export function readSigned(crypto: Crypto, inner: unknown): Share {
  const signed = inner as { payload?: unknown; sig?: unknown } | null;
  if (!(signed?.payload instanceof Uint8Array) || !(signed.sig instanceof Uint8Array)) throw new BadShareError('undecodable', 'this is not a recovery share');
  let p: Record<string, unknown>;
  try {
    p = decodeCanonical(signed.payload) as Record<string, unknown>;
  } catch {
    throw new BadShareError('undecodable', 'this is not a recovery share');
  }
  const ok = p?.format === SHARE_FORMAT && p.v === 1 && isDid(p.owner) && isDid(p.custodian) && typeof p.set === 'string' && /^[0-9a-f]{32}$/u.test(p.set) &&
    isCount(p.n, MAX_CUSTODIANS) && isCount(p.k, p.n) && p.k >= 2 && isCount(p.index, p.n) && typeof p.ts === 'number' &&
    p.part instanceof Uint8Array && p.part.length === 33 && p.nonce instanceof Uint8Array && p.nonce.length === 12 && p.sealed instanceof Uint8Array && p.sealed.length === 48;
  if (!ok) throw new BadShareError('undecodable', 'this is not a recovery share');
  const owner = p.owner as Did;
  if (!crypto.ed25519.verify(publicKeyFromDid(owner), concatBytes(SIGN_DOMAIN, signed.payload), signed.sig)) {
    throw new BadShareError('forged', `this share does not carry ${owner}'s signature: it was altered or forged`);
  }
  return {
    owner, set: p.set as string, k: p.k as number, n: p.n as number, index: p.index as number, custodian: p.custodian as Did, ts: p.ts as number,
    part: p.part as Uint8Array, nonce: p.nonce as Uint8Array, sealed: p.sealed as Uint8Array, signed: { payload: signed.payload, sig: signed.sig },
  };
}

/** Opens a share envelope (`SHARE_FORMAT` to a custodian, `RELEASE_FORMAT` to a temporary id) with the recipient's seed. */
export function openShare(crypto: Crypto, bytes: Uint8Array, format: typeof SHARE_FORMAT | typeof RELEASE_FORMAT, me: Did, mySeed: Uint8Array): Share {
  if (bytes.length > MAX_SHARE_BYTES) throw new BadShareError('undecodable', `a recovery share is at most ${MAX_SHARE_BYTES} bytes, not ${bytes.length}`);
  const opened = openEnvelope(crypto, bytes, format, me, mySeed);
  if (!opened.ok) {
    if (opened.reason === 'not-for-me') throw new BadShareError('not-for-me', `this share is sealed to ${String(opened.to).slice(0, 80)}, not to ${me}`);
    if (opened.reason === 'forged') throw new BadShareError('forged', 'this share does not open with this key: it was altered or sealed to another key');
    throw new BadShareError('undecodable', format === SHARE_FORMAT ? 'this is not a recovery share' : 'this is not a released recovery share');
  }
  let inner: unknown;
  try {
    inner = decodeCanonical(opened.opened);
  } catch {
    throw new BadShareError('undecodable', 'this is not a recovery share');
  }
  const share = readSigned(crypto, inner);
  if (format === SHARE_FORMAT && share.custodian !== me) throw new BadShareError('not-for-me', `this share was made for ${share.custodian}, not for ${me}`);
  return share;
}

/** A custodian's release: the owner's signed bytes unchanged, sealed to the temporary id `to`. */
export function releaseTo(crypto: Crypto, share: Share, to: Did): Uint8Array {
  if (!isDid(to)) throw new BadShareError('undecodable', `${String(to).slice(0, 80)} is not a did:key`);
  return sealEnvelope(crypto, RELEASE_FORMAT, to, share.signed);
}

/**
 * Combines Shamir parts and opens the sealed entropy with the key they give: the entropy, or null when the
 * AEAD tag does not verify (too few parts, or a wrong one). Checks nothing else: `rebuildPhrase` does.
 */
export async function openWithParts(crypto: Crypto, parts: Uint8Array[], of: Pick<Share, 'owner' | 'set' | 'k' | 'n' | 'nonce' | 'sealed'>): Promise<Uint8Array | null> {
  let key: Uint8Array;
  try {
    key = await combine(parts);
  } catch {
    return null;
  }
  const entropy = key.length === 32 ? crypto.aead.open(key, of.nonce, of.sealed, entropyAad(of.owner, of.set, of.k, of.n)) : null;
  key.fill(0);
  return entropy;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Rebuilds the owner's 24 words from released shares: all of one set, distinct, at least k; the rebuilt
 * phrase must derive the owner's id. Throws BadShareError, NotEnoughSharesError or RebuildFailedError.
 */
export async function rebuildPhrase(crypto: Crypto, shares: readonly Share[]): Promise<{ owner: Did; mnemonic: string }> {
  const first = shares[0];
  if (first === undefined) throw new NotEnoughSharesError(0, 2);
  for (const s of shares) {
    if (s.owner !== first.owner || s.set !== first.set || s.k !== first.k || s.n !== first.n || !sameBytes(s.nonce, first.nonce) || !sameBytes(s.sealed, first.sealed)) {
      throw new BadShareError('mixed-sets', 'these shares belong to different owners or different sets; give shares of one set');
    }
  }
  const indices = new Set(shares.map((s) => s.index));
  if (indices.size !== shares.length) throw new BadShareError('duplicate', 'the same share is given twice');
  if (shares.length < first.k) throw new NotEnoughSharesError(shares.length, first.k);
  const entropy = await openWithParts(crypto, shares.map((s) => s.part), first);
  if (entropy === null) throw new RebuildFailedError(first.owner);
  const mnemonic = entropyToMnemonic(entropy, wordlist);
  entropy.fill(0);
  if (identityPublic(crypto, deriveIdentitySecrets(crypto, mnemonic)).id !== first.owner) throw new RebuildFailedError(first.owner);
  return { owner: first.owner, mnemonic };
}
