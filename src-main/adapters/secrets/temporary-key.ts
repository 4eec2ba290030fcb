// The temporary key of a recovery by friends: a fresh Ed25519 seed made by `recovery start` in a home with no
// identity yet, sealed in `recovery-key.json` with ChaCha20-Poly1305 under the passphrase (scrypt, as the
// keystore), so custodians can seal their shares to its did. It goes when the identity is recovered.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { utf8 } from '../../core/bytes.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { DefaustError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import { writeFileAtomic } from '../fs/atomic-file.ts';
import { checkPassphrase, DEFAULT_SCRYPT, kdfInBounds, stretch, WrongPassphraseError } from './keystore.ts';

const FORMAT = 'defaust/recovery-key';
const aad = (did: Did) => utf8(`${FORMAT}/v1|${did}`);

interface KeyFile {
  format: string;
  v: number;
  did: Did;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  nonce: string;
  sealed: string;
}

/** No temporary key here, or its file is damaged. */
export class TemporaryKeyError extends DefaustError {
  override name = 'TemporaryKeyError';
  constructor(message: string) {
    super('temporary-key', message);
  }
}

export class TemporaryKey {
  readonly path: string;
  private readonly crypto: Crypto;

  constructor(crypto: Crypto, homeDir: string) {
    this.crypto = crypto;
    this.path = join(homeDir, 'recovery-key.json');
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  /** The temporary did, readable without the passphrase. */
  did(): Did {
    return this.read().did;
  }

  /** Seals `seed` (whose did is `did`) under the passphrase; refuses to replace a key already here. */
  create(passphrase: string, did: Did, seed: Uint8Array): void {
    checkPassphrase(passphrase);
    if (this.exists()) throw new TemporaryKeyError(`a recovery was started here already (temporary id ${this.did()})`);
    const kdf = { name: 'scrypt' as const, ...DEFAULT_SCRYPT, salt: randomBytes(16).toString('base64') };
    const nonce = this.crypto.randomBytes(12);
    const sealed = this.crypto.aead.seal(stretch(passphrase, kdf), nonce, seed, aad(did));
    const file: KeyFile = { format: FORMAT, v: 1, did, kdf, nonce: Buffer.from(nonce).toString('base64'), sealed: Buffer.from(sealed).toString('base64') };
    writeFileAtomic(this.path, JSON.stringify(file, null, 2) + '\n');
  }

  unlock(passphrase: string): Uint8Array {
    const file = this.read();
    const seed = this.crypto.aead.open(stretch(passphrase, file.kdf), Buffer.from(file.nonce, 'base64'), Buffer.from(file.sealed, 'base64'), aad(file.did));
    if (seed === null) throw new WrongPassphraseError();
    return seed;
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }

  private read(): KeyFile {
    let file: KeyFile;
    try {
      if (statSync(this.path).size > 16 * 1024) throw new TemporaryKeyError(`${this.path} is damaged`);
      file = JSON.parse(readFileSync(this.path, 'utf8')) as KeyFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TemporaryKeyError('no recovery started in this home; run defaust recovery start');
      throw new TemporaryKeyError(`${this.path} is damaged; remove it and run defaust recovery start again`);
    }
    const ok = file?.format === FORMAT && file.v === 1 && typeof file.did === 'string' && kdfInBounds(file.kdf) && typeof file.nonce === 'string' && typeof file.sealed === 'string';
    if (!ok) throw new TemporaryKeyError(`${this.path} is damaged; remove it and run defaust recovery start again`);
    return file;
  }
}
