// The Keychain adapter of the desktop app: Electron's safeStorage. It is `ready` only when encryption is
// available AND, on Linux, the selected backend is a real keyring (gnome_libsecret, kwallet*): on
// `basic_text` safeStorage "encrypts" with a key written in Chromium's code, which protects nothing, so the
// wallet keeps nothing there and asks for the passphrase (the unlock screen says why). `unknown` (before the
// app is ready) counts as none. Tested with a fake safeStorage in test/keychain.test.ts (no Electron binary here).
import type { SafeStorage } from 'electron';
import { KeychainError, type Keychain, type KeychainState } from '../core/secrets/keychain.ts';

/** What this adapter uses of Electron's safeStorage. */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptStringAsync' | 'decryptStringAsync'>;

/** Backends that are a real keyring on Linux (anything else, `basic_text` and `unknown` included, is not). */
const LINUX_KEYRINGS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function keychainState(safeStorage: SafeStorageLike, platform: NodeJS.Platform): KeychainState {
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text') return 'basic-text';
    if (!LINUX_KEYRINGS.has(backend)) return 'none';
  }
  return safeStorage.isEncryptionAvailable() ? 'ready' : 'none';
}

export function safeStorageKeychain(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): Keychain {
  const state = () => keychainState(safeStorage, platform);
  const ready = () => {
    const now = state();
    if (now !== 'ready') throw new KeychainError(now);
  };
  return {
    state,
    async wrap(secret) {
      ready();
      try {
        return new Uint8Array(await safeStorage.encryptStringAsync(Buffer.from(secret).toString('base64')));
      } catch {
        throw new KeychainError('refused');
      }
    },
    async unwrap(wrapped) {
      ready();
      let text: string;
      try {
        text = (await safeStorage.decryptStringAsync(Buffer.from(wrapped))).result;
      } catch {
        throw new KeychainError('refused');
      }
      const secret = Buffer.from(text, 'base64');
      if (secret.toString('base64') !== text) throw new KeychainError('refused');
      return new Uint8Array(secret);
    },
  };
}
