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

/**
 * Changes the keystore's passphrase; when this device remembered the old one's key, it remembers the new one's
 * (a change made elsewhere, by the CLI, leaves the remembered key stale: it is removed on the next unlock).
 */
export async function changePassphrase(home: Home, old: string, next: string): Promise<void> {
  const kept = keychainStatus(home).remembered;
  home.keystore.changePassphrase(old, next);
  if (kept) await rememberOnThisDevice(home, next);
}
