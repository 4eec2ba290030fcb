// The keychain's schemas (the `keychain:*` channels of contract.ts): whether the OS keychain can keep the
// key that opens this wallet on this device, and whether it keeps it now.
import { z } from 'zod';

/**
 * `ready`: the OS keychain protects what it keeps (macOS Keychain, Windows, a Linux keyring); `basic-text`:
 * Linux without a keyring, so the passphrase is needed every time; `none`: no keychain here (a browser tab on
 * `defaust serve`, the CLI).
 */
export const keychainStateSchema = z.enum(['ready', 'basic-text', 'none']);

export const keychainStatusSchema = z.object({
  state: keychainStateSchema,
  /** True when this device keeps the key for the current passphrase (unlock needs no passphrase). */
  remembered: z.boolean(),
});

export type KeychainStatus = z.output<typeof keychainStatusSchema>;
