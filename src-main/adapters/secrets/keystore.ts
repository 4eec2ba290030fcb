// The keystore file: the identity's private keys, the device key and the local storage key, sealed with
// ChaCha20-Poly1305 under a key stretched from the passphrase by scrypt. Only ids and KDF parameters are in
// the clear. Written atomically (temporary file, fsync, rename), so a crash leaves the old or the new file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes, scryptSync } from 'node:crypto';
import { decodeCanonical, encode } from '../../core/chain/codec.ts';
import { utf8 } from '../../core/bytes.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { DefaustError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';

export const KEYSTORE_FORMAT = 'defaust/keystore';
/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and 100 ms here); stored in the file, so it can grow. */
export const DEFAULT_SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;
export const MIN_PASSPHRASE_LENGTH = 8;

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

function stretch(passphrase: string, kdf: KeystoreFile['kdf']): Uint8Array {
  return scryptSync(passphrase.normalize('NFKC'), Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
}

const aad = (id: Did, device: Did) => utf8(`${KEYSTORE_FORMAT}/v1|${id}|${device}`);

/** Writes `bytes` to `path` so that a crash leaves either the old file or the whole new one. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

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
    const file = this.read();
    const key = stretch(passphrase, file.kdf);
    const plain = this.crypto.aead.open(key, Buffer.from(file.nonce, 'base64'), Buffer.from(file.sealed, 'base64'), aad(file.id, file.device));
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

  private read(): KeystoreFile {
    let file: KeystoreFile;
    try {
      file = JSON.parse(readFileSync(this.path, 'utf8')) as KeystoreFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new KeystoreError(`no identity here (no keystore at ${this.path}); run defaust init or defaust recover`);
      throw new KeystoreError(`the keystore at ${this.path} is damaged`);
    }
    const ok = file?.format === KEYSTORE_FORMAT && file.v === 1 && typeof file.id === 'string' && typeof file.device === 'string' &&
      file.kdf?.name === 'scrypt' && Number.isSafeInteger(file.kdf.N) && file.kdf.N >= 1024 && file.kdf.N <= 1 << 22 &&
      Number.isSafeInteger(file.kdf.r) && file.kdf.r >= 1 && file.kdf.r <= 32 && Number.isSafeInteger(file.kdf.p) && file.kdf.p >= 1 && file.kdf.p <= 16 &&
      typeof file.kdf.salt === 'string' && typeof file.nonce === 'string' && typeof file.sealed === 'string';
    if (!ok) throw new KeystoreError(`the keystore at ${this.path} is damaged`);
    return file;
  }
}
