// The OS keychain's use cases: whether this device can keep the key that opens the wallet, keeping it
// (after the passphrase is checked), forgetting it, and unlocking with it. The Electron IPC and the HTTP API
// reach them through app/wallet/keychain.ts; under plain Node the keychain is none and they say so.
import type { KeychainStatus } from '../../../src-preload/api/keychain.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import type { Home } from '../home.ts';

export function keychainStatus(home: Home): KeychainStatus {
  const state = home.keychain.state();
  return { state, remembered: state === 'ready' && home.hasIdentity() && home.rememberedKey.remembered() };
}

/** Keeps the key `passphrase` opens in the OS keychain (WrongPassphraseError, or KeychainError unless `ready`). */
export async function rememberOnThisDevice(home: Home, passphrase: string): Promise<KeychainStatus> {
  home.requireIdentity();
  await home.rememberedKey.remember(passphrase);
  return keychainStatus(home);
}

export function forgetOnThisDevice(home: Home): KeychainStatus {
  home.rememberedKey.forget();
  return keychainStatus(home);
}

/** The owner's keys, opened with the key the OS keychain keeps (KeychainError when it cannot). */
export function unlockWithKeychain(home: Home): Promise<OwnerKeys> {
  home.requireIdentity();
  return home.rememberedKey.unlock();
}
