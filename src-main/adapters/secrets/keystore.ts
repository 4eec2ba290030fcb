// The keystore file: the identity's private keys, the device key and the local storage key, sealed with
// ChaCha20-Poly1305 under a key stretched from the passphrase by scrypt. Only ids and KDF parameters are in
// the clear, and they are checked against fixed bounds before any scrypt runs, so a tampered file cannot ask
// for gigabytes. Written atomically (adapters/fs/atomic-file.ts), so a crash leaves the old or the new file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { randomBytes, scryptSync } from 'node:crypto';
import { decodeCanonical, encode } from '../../core/chain/codec.ts';
import { utf8 } from '../../core/bytes.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { DefaustError } from '../../core/errors.ts';
import { writeFileAtomic } from '../fs/atomic-file.ts';
import type { Did } from '../../core/identity/did.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';

export const KEYSTORE_FORMAT = 'defaust/keystore';
/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and 100 ms here); stored in the file, so it can grow. */
export const DEFAULT_SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;
export const MIN_PASSPHRASE_LENGTH = 8;
/**
 * What a keystore file may ask of scrypt (128·N·r bytes of memory, time ∝ N·r·p): N a power of two in
 * [2^10, 2^20], r ≤ 16, p ≤ 4, memory ≤ 256 MiB (8× the default), N·r·p ≤ 2^21 (8× the default); a salt of
 * 16 to 64 bytes. A file outside them is refused as corrupt before scrypt runs.
 */
export const SCRYPT_BOUNDS = { minN: 1 << 10, maxN: 1 << 20, maxR: 16, maxP: 4, maxMemory: 256 * 1024 * 1024, maxWork: 1 << 21, minSalt: 16, maxSalt: 64 } as const;
/** A keystore is a few hundred bytes; anything much larger is not one. */
const MAX_KEYSTORE_BYTES = 64 * 1024;

export class WrongPassphraseError extends DefaustError {
  override name = 'WrongPassphraseError';
  constructor() {
    super('wrong-passphrase', 'wrong passphrase');
  }
}

export class KeystoreError extends DefaustError {
  override name = 'KeystoreError';
  constructor(message: string) {
    super('keystore', message);
  }
}

/** The keystore file is not one this version wrote: bad JSON, wrong shape, or KDF parameters out of bounds. */
export class KeystoreCorruptError extends DefaustError {
  override name = 'KeystoreCorruptError';
  readonly path: string;
  constructor(path: string) {
    super('keystore-corrupt', `the keystore at ${path} is damaged (restore it from a backup, or run defaust recover in a new home)`);
    this.path = path;
  }
}

interface KeystoreFile {
  format: string;
  v: number;
  id: Did;
  device: Did;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  nonce: string;
  sealed: string;
}

export function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new DefaustError('weak-passphrase', `a passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
}

const isPowerOfTwo = (n: number) => Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0;
const isWhole = (n: unknown, min: number, max: number): n is number => Number.isSafeInteger(n) && (n as number) >= min && (n as number) <= max;

/** True when `kdf` is scrypt with parameters inside SCRYPT_BOUNDS and a canonical base64 salt of a bounded length. */
export function kdfInBounds(kdf: unknown): kdf is KeystoreFile['kdf'] {
  const k = kdf as Partial<KeystoreFile['kdf']> | null;
  const b = SCRYPT_BOUNDS;
  if (typeof k !== 'object' || k === null || k.name !== 'scrypt' || typeof k.salt !== 'string') return false;
  if (!isWhole(k.N, b.minN, b.maxN) || !isPowerOfTwo(k.N) || !isWhole(k.r, 1, b.maxR) || !isWhole(k.p, 1, b.maxP)) return false;
  if (128 * k.N * k.r > b.maxMemory || k.N * k.r * k.p > b.maxWork) return false;
  if (k.salt.length > 4 * Math.ceil(b.maxSalt / 3)) return false;
  const salt = Buffer.from(k.salt, 'base64');
  return salt.toString('base64') === k.salt && salt.length >= b.minSalt && salt.length <= b.maxSalt;
}

/** The key scrypt stretches from `passphrase` under `kdf` (checked by kdfInBounds first when it came from a file). */
export function stretch(passphrase: string, kdf: KeystoreFile['kdf']): Uint8Array {
  return scryptSync(passphrase.normalize('NFKC'), Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
}

const aad = (id: Did, device: Did) => utf8(`${KEYSTORE_FORMAT}/v1|${id}|${device}`);

export class Keystore {
  readonly path: string;
  private readonly crypto: Crypto;

  constructor(crypto: Crypto, path: string) {
    this.crypto = crypto;
    this.path = path;
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  /** The identity and device ids, readable without the passphrase. */
  ids(): { id: Did; device: Did } {
    const file = this.read();
    return { id: file.id, device: file.device };
  }

  create(passphrase: string, id: Did, device: Did, keys: OwnerKeys): void {
    checkPassphrase(passphrase);
    if (this.exists()) throw new KeystoreError(`a keystore already exists at ${this.path}`);
    this.write(passphrase, id, device, keys);
  }

  unlock(passphrase: string): OwnerKeys {
    return this.unlockWithKey(this.wrappingKey(passphrase).key);
  }

  /**
   * The key scrypt stretches from `passphrase` (the one the keys are sealed under), checked to open this file,
   * and the salt it was stretched with (a new passphrase gets a new salt). What the OS keychain keeps.
   */
  wrappingKey(passphrase: string): { key: Uint8Array; salt: string } {
    const file = this.read();
    const key = stretch(passphrase, file.kdf);
    const plain = this.open(file, key);
    if (plain === null) throw new WrongPassphraseError();
    plain.fill(0);
    return { key, salt: file.kdf.salt };
  }

  /** The salt of the current passphrase's key (tells whether a remembered key is still this file's). */
  salt(): string {
    return this.read().kdf.salt;
  }

  /** Opens the keys with the wrapping key itself (from the OS keychain); a wrong key is WrongPassphraseError. */
  unlockWithKey(key: Uint8Array): OwnerKeys {
    const plain = this.open(this.read(), key);
    if (plain === null) throw new WrongPassphraseError();
    const v = decodeCanonical(plain) as Record<string, Uint8Array>;
    return {
      identity: { ed25519Seed: v.ed25519Seed!, x25519Secret: v.x25519Secret!, babyJubjubSecret: v.babyJubjubSecret! },
      deviceSeed: v.deviceSeed!,
      localKey: v.localKey!,
    };
  }

  changePassphrase(oldPassphrase: string, newPassphrase: string): void {
    checkPassphrase(newPassphrase);
    const keys = this.unlock(oldPassphrase);
    const { id, device } = this.ids();
    this.write(newPassphrase, id, device, keys);
  }

  private write(passphrase: string, id: Did, device: Did, keys: OwnerKeys): void {
    const kdf = { name: 'scrypt' as const, ...DEFAULT_SCRYPT, salt: randomBytes(16).toString('base64') };
    const nonce = this.crypto.randomBytes(12);
    const plain = encode({ ...keys.identity, deviceSeed: keys.deviceSeed, localKey: keys.localKey });
    const sealed = this.crypto.aead.seal(stretch(passphrase, kdf), nonce, plain, aad(id, device));
    plain.fill(0);
    const file: KeystoreFile = {
      format: KEYSTORE_FORMAT, v: 1, id, device, kdf,
      nonce: Buffer.from(nonce).toString('base64'),
      sealed: Buffer.from(sealed).toString('base64'),
    };
    writeFileAtomic(this.path, JSON.stringify(file, null, 2) + '\n');
  }

  private open(file: KeystoreFile, key: Uint8Array): Uint8Array | null {
    return this.crypto.aead.open(key, Buffer.from(file.nonce, 'base64'), Buffer.from(file.sealed, 'base64'), aad(file.id, file.device));
  }

  private read(): KeystoreFile {
    let file: KeystoreFile;
    try {
      if (statSync(this.path).size > MAX_KEYSTORE_BYTES) throw new KeystoreCorruptError(this.path);
      file = JSON.parse(readFileSync(this.path, 'utf8')) as KeystoreFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new KeystoreError(`no identity here (no keystore at ${this.path}); run defaust init or defaust recover`);
      throw new KeystoreCorruptError(this.path);
    }
    const ok = file?.format === KEYSTORE_FORMAT && file.v === 1 && typeof file.id === 'string' && typeof file.device === 'string' &&
      kdfInBounds(file.kdf) && typeof file.nonce === 'string' && typeof file.sealed === 'string';
    if (!ok) throw new KeystoreCorruptError(this.path);
    return file;
  }
}
