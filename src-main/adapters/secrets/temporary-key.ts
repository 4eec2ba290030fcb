// The temporary key of a recovery by friends: a fresh Ed25519 seed made by `recovery start` in a home with no
// identity yet, sealed in `recovery-key.json` with ChaCha20-Poly1305 under the passphrase (scrypt, as the
// keystore), so custodians can seal their shares to its did. Shares released to it by mail are kept beside
// it (`recovery-releases/`, each as it came: sealed to the temporary key) until enough have come. Both go
// when the identity is recovered.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  /** Where released shares that came by mail wait, one file per mail id. */
  private readonly releasesDir: string;
  private readonly crypto: Crypto;

  constructor(crypto: Crypto, homeDir: string) {
    this.crypto = crypto;
    this.path = join(homeDir, 'recovery-key.json');
    this.releasesDir = join(homeDir, 'recovery-releases');
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

  /** Keeps a released share that came by mail (sealed, as it came); a mail id kept already is kept once. */
  keepRelease(mailId: string, envelope: Uint8Array): void {
    if (!/^[a-z0-9]{16,128}$/u.test(mailId)) throw new TemporaryKeyError('a mail id is a CID in base32');
    mkdirSync(this.releasesDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(this.releasesDir, `${mailId}.recovery-release`), envelope);
  }

  /** The released shares kept from the mail, oldest name first. */
  keptReleases(): Uint8Array[] {
    if (!existsSync(this.releasesDir)) return [];
    return readdirSync(this.releasesDir).filter((name) => name.endsWith('.recovery-release')).sort().map((name) => new Uint8Array(readFileSync(join(this.releasesDir, name))));
  }

  remove(): void {
    rmSync(this.path, { force: true });
    rmSync(this.releasesDir, { recursive: true, force: true });
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
