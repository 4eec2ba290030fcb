// The wallet's `keychain:*` verbs over app/keychain: the OS keychain that may keep this wallet's key.
import type { SessionStatus } from '../../../src-preload/api/contract.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import { forgetOnThisDevice, keychainStatus, rememberOnThisDevice, unlockWithKeychain } from '../keychain/keychain.ts';
import type { Home } from '../home.ts';
import type { Handlers } from './handlers.ts';

type KeychainChannel = Extract<keyof Handlers, `keychain:${string}`>;

/** `opened`: the session service opens the profile with the keys and answers the new status. */
export function keychainHandlers({ home, opened }: { home: Home; opened(keys: OwnerKeys): Promise<SessionStatus> }): Pick<Handlers, KeychainChannel> {
  return {
    'keychain:status': () => keychainStatus(home),
    'keychain:remember': ({ passphrase }) => rememberOnThisDevice(home, passphrase),
    'keychain:forget': () => forgetOnThisDevice(home),
    'keychain:unlock': async () => opened(await unlockWithKeychain(home)),
  };
}
