// An unlocked wallet: the home, its open profile and the keys that sign for it. Every use-case verb in app/
// takes one, so the act is written once whichever face asks: the CLI opens a session from the passphrase for
// one command, the wallet service keeps one while the wallet stays unlocked.
import type { OwnerKeys, Profile } from '../core/profile/profile.ts';
import type { Home } from './home.ts';

export interface Session {
  readonly home: Home;
  readonly profile: Profile;
  readonly keys: OwnerKeys;
}

/** Unlocks the keystore once (scrypt) and opens the profile with the keys. */
export function openSession(home: Home, passphrase: string): Session {
  const { keys, profile } = home.openSession(passphrase);
  return { home, profile, keys };
}
