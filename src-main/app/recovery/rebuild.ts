// Recovery by friends, the verbs of the person who lost everything: on a fresh home, `startRecovery` makes a
// temporary id (a fresh key, sealed under the passphrase) to give to custodians; `recoverWithShares` opens the
// shares they released to it, rebuilds the 24 words and recreates the identity (Home.recover) — the network
// recovery then brings the chain back, as after typing the phrase. Bad shares write nothing.
import type { Did } from '../../core/identity/did.ts';
import { didOfSeed, openShare, rebuildPhrase, RELEASE_FORMAT } from '../../core/recovery/scheme.ts';
import { checkPassphrase } from '../../adapters/secrets/keystore.ts';
import { HomeError, type Home } from '../home.ts';

/** The temporary id of a recovery started in this home, made now unless one is here already. */
export function startRecovery(home: Home, passphrase: string): { temporaryId: Did; fresh: boolean } {
  if (home.hasIdentity()) throw new HomeError(`${home.dir} already holds an identity (${home.id()})`);
  const key = home.temporaryKey();
  if (key.exists()) {
    key.unlock(passphrase);
    return { temporaryId: key.did(), fresh: false };
  }
  checkPassphrase(passphrase);
  home.prepareFolder();
  const seed = home.crypto.randomBytes(32);
  const temporaryId = didOfSeed(home.crypto, seed);
  key.create(passphrase, temporaryId, seed);
  seed.fill(0);
  return { temporaryId, fresh: true };
}

/** Rebuilds the phrase from released shares and recreates the identity with it; the temporary key goes. */
export async function recoverWithShares(home: Home, passphrase: string, releases: readonly Uint8Array[]): Promise<{ id: Did; chain: boolean }> {
  if (home.hasIdentity()) throw new HomeError(`${home.dir} already holds an identity (${home.id()})`);
  const key = home.temporaryKey();
  const seed = key.unlock(passphrase);
  const me = key.did();
  const shares = releases.map((bytes) => openShare(home.crypto, bytes, RELEASE_FORMAT, me, seed));
  seed.fill(0);
  const { mnemonic } = await rebuildPhrase(home.crypto, shares);
  const recovered = home.recover(mnemonic, passphrase);
  key.remove();
  return recovered;
}
