// The Keychain adapter of plain Node (the CLI and `defaust serve`): there is no OS keychain to ask, so the
// passphrase unlocks the wallet every time.
import { KeychainError, type Keychain } from '../../core/secrets/keychain.ts';

export const NO_KEYCHAIN: Keychain = {
  state: () => 'none',
  wrap: () => Promise.reject(new KeychainError('none')),
  unwrap: () => Promise.reject(new KeychainError('none')),
};
