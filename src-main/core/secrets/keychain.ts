// The Keychain port: the operating system's store for a user's secrets (macOS Keychain, Windows DPAPI, the
// Linux Secret Service or KWallet), which can keep a small secret for this user on this device. The desktop
// app keeps in it the key that opens the keystore, so the wallet can unlock without the passphrase where a
// real keychain exists. Adapters: src-main/electron/keychain.ts (Electron's safeStorage) and
// src-main/adapters/secrets/no-keychain.ts (plain Node: the CLI and `defaust serve` have none).
import { DefaustError } from '../errors.ts';

/**
 * `ready`: what is wrapped is protected by the OS keychain; `basic-text`: Linux without a keychain, where
 * Electron would wrap with a key written in its own code (no protection), so nothing is kept there; `none`:
 * no keychain in this runtime.
 */
export type KeychainState = 'ready' | 'basic-text' | 'none';

export interface Keychain {
  /** What this keychain can do now (asked again each time: a Linux session may gain or lose its keyring). */
  state(): KeychainState;
  /** Seals `secret` for this OS user on this device. Throws KeychainError unless state() is `ready`. */
  wrap(secret: Uint8Array): Promise<Uint8Array>;
  /** Opens what wrap() sealed here. Throws KeychainError when the keychain cannot (another user, another device, a reset keyring). */
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
}

/** Why the keychain did not keep or give back the key: no keychain, a basic-text one, or it refused. */
export type KeychainProblem = 'none' | 'basic-text' | 'refused' | 'not-remembered' | 'stale';

export class KeychainError extends DefaustError {
  override name = 'KeychainError';
  readonly problem: KeychainProblem;
  constructor(problem: KeychainProblem) {
    super(`keychain/${problem}`, KEYCHAIN_WORDS[problem]);
    this.problem = problem;
  }
}

const KEYCHAIN_WORDS: Record<KeychainProblem, string> = {
  none: 'There is no system keychain here; unlock with your passphrase.',
  'basic-text': 'This computer has no system keychain DeFaust can use, so your passphrase is needed every time.',
  refused: 'The system keychain did not give the key back; unlock with your passphrase.',
  'not-remembered': 'This computer does not remember the key; unlock with your passphrase.',
  stale: 'The passphrase changed since this computer remembered the key; unlock with your passphrase.',
};
