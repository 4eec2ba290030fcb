// The remembered key: `keychain-key.json` in the home holds the keystore's wrapping key (the key scrypt
// stretches from the passphrase) sealed by the OS keychain (the Keychain port), so the desktop app can unlock
// without the passphrase on this device for this OS user. The file names only the ids and the salt of the
// key it holds: a passphrase change gives the keystore a new salt, and an older remembered key is then stale
// and removed. Nothing is written unless the keychain is `ready`. Written atomically, 0600 like the keystore.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Did } from '../../core/identity/did.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import { KeychainError, type Keychain } from '../../core/secrets/keychain.ts';
import { writeFileAtomic } from '../fs/atomic-file.ts';
import { WrongPassphraseError, type Keystore } from './keystore.ts';

const FORMAT = 'defaust/keychain-key';

interface KeyFile {
  format: string;
  v: number;
  id: Did;
  device: Did;
  /** The keystore salt the wrapped key was stretched with. */
  salt: string;
  /** The wrapping key, sealed by the OS keychain (base64). */
  wrapped: string;
}

export class RememberedKey {
  readonly path: string;
  private readonly keystore: Keystore;
  private readonly keychain: Keychain;

  constructor(homeDir: string, keystore: Keystore, keychain: Keychain) {
    this.path = join(homeDir, 'keychain-key.json');
    this.keystore = keystore;
    this.keychain = keychain;
  }

  /** True when a key is remembered for the keystore's current passphrase (a stale one counts as none). */
  remembered(): boolean {
    const file = this.read();
    return file !== null && this.fits(file);
  }

  /** Checks `passphrase`, then keeps its wrapping key sealed by the keychain (KeychainError unless it is `ready`). */
  async remember(passphrase: string): Promise<void> {
    const state = this.keychain.state();
    if (state !== 'ready') throw new KeychainError(state);
    const { key, salt } = this.keystore.wrappingKey(passphrase);
    const wrapped = await this.keychain.wrap(key);
    key.fill(0);
    const { id, device } = this.keystore.ids();
    const file: KeyFile = { format: FORMAT, v: 1, id, device, salt, wrapped: Buffer.from(wrapped).toString('base64') };
    writeFileAtomic(this.path, JSON.stringify(file, null, 2) + '\n');
  }

  /** Unlocks the keystore with the remembered key; a stale or unopenable one is removed and reported as KeychainError. */
  async unlock(): Promise<OwnerKeys> {
    const state = this.keychain.state();
    if (state !== 'ready') throw new KeychainError(state);
    const file = this.read();
    if (file === null) throw new KeychainError('not-remembered');
    if (!this.fits(file)) {
      this.forget();
      throw new KeychainError('stale');
    }
    const key = await this.keychain.unwrap(Buffer.from(file.wrapped, 'base64'));
    try {
      return this.keystore.unlockWithKey(key);
    } catch (error) {
      if (!(error instanceof WrongPassphraseError)) throw error;
      this.forget();
      throw new KeychainError('stale');
    } finally {
      key.fill(0);
    }
  }

  forget(): void {
    rmSync(this.path, { force: true });
  }

  private fits(file: KeyFile): boolean {
    const ids = this.keystore.ids();
    return file.id === ids.id && file.device === ids.device && file.salt === this.keystore.salt();
  }

  /** The file, or null when there is none or it is not one this version wrote (then it is ignored). */
  private read(): KeyFile | null {
    if (!existsSync(this.path)) return null;
    try {
      if (statSync(this.path).size > 16 * 1024) return null;
      const file = JSON.parse(readFileSync(this.path, 'utf8')) as KeyFile;
      const ok = file?.format === FORMAT && file.v === 1 && typeof file.id === 'string' && typeof file.device === 'string' && typeof file.salt === 'string' && typeof file.wrapped === 'string';
      return ok ? file : null;
    } catch {
      return null;
    }
  }
}
