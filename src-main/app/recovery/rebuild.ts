// Recovery by friends, the verbs of the person who lost everything: on a fresh home, `startRecovery` makes a
// temporary id (a fresh key, sealed under the passphrase) to give to custodians; `fetchReleases` takes the
// shares they released to it by mail and keeps them here; `recoverWithShares` opens those and the ones given
// as files, rebuilds the 24 words and recreates the identity (Home.recover) — the network recovery then
// brings the chain back, as after typing the phrase. Bad shares write nothing.
import type { Did } from '../../core/identity/did.ts';
import { envelopeFormat } from '../../core/identity/envelope.ts';
import { didOfSeed, openShare, rebuildPhrase, RELEASE_FORMAT, type Share } from '../../core/recovery/scheme.ts';
import { checkPassphrase } from '../../adapters/secrets/keystore.ts';
import { HomeError, type Home } from '../home.ts';

/** A recovery by friends starts, fetches and combines only in a home with no identity. */
function refuseIdentity(home: Home): void {
  if (home.hasIdentity()) throw new HomeError(`${home.dir} already holds an identity (${home.id()})`);
}

/** The temporary id of a recovery started in this home, made now unless one is here already. */
export function startRecovery(home: Home, passphrase: string): { temporaryId: Did; fresh: boolean } {
  refuseIdentity(home);
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

/**
 * The temporary id's mail, fetched with its key (a network verb, given by the caller): `take` keeps each
 * message before the mailboxes drop it.
 */
export type TemporaryMail = (me: { did: Did; ed25519Seed: Uint8Array }, take: (mail: { id: string; envelope: Uint8Array }[]) => void) => Promise<unknown>;

/**
 * Fetches the shares released to the temporary id by mail and keeps those that open (sealed to it, signed by
 * their owner), so a rebuild that still lacks some loses none: `fetched` kept now, `refused` released shares
 * that did not open (altered, or sealed to another key), `kept` here in all. Other mail is left out.
 */
export async function fetchReleases(home: Home, passphrase: string, mail: TemporaryMail): Promise<{ fetched: number; refused: number; kept: number }> {
  refuseIdentity(home);
  const key = home.temporaryKey();
  const seed = key.unlock(passphrase);
  const me = key.did();
  let fetched = 0;
  let refused = 0;
  try {
    await mail({ did: me, ed25519Seed: seed }, (messages) => {
      for (const { id, envelope } of messages) {
        if (envelopeFormat(envelope) !== RELEASE_FORMAT) continue;
        try {
          openShare(home.crypto, envelope, RELEASE_FORMAT, me, seed);
        } catch {
          refused++;
          continue;
        }
        key.keepRelease(id, envelope);
        fetched++;
      }
    });
  } finally {
    seed.fill(0);
  }
  return { fetched, refused, kept: key.keptReleases().length };
}

/**
 * Rebuilds the phrase from released shares — `releases` given as files and those kept from the mail, each
 * custodian's share counted once — and recreates the identity with it; the temporary key goes.
 */
export async function recoverWithShares(home: Home, passphrase: string, releases: readonly Uint8Array[]): Promise<{ id: Did; chain: boolean }> {
  refuseIdentity(home);
  const key = home.temporaryKey();
  const seed = key.unlock(passphrase);
  const me = key.did();
  let shares: Share[];
  try {
    const opened = [...releases, ...key.keptReleases()].map((bytes) => openShare(home.crypto, bytes, RELEASE_FORMAT, me, seed));
    // A custodian who released twice (by mail and as a file) gave one share.
    shares = opened.filter((share, i) => opened.findIndex((other) => other.index === share.index && other.set === share.set) === i);
  } finally {
    seed.fill(0);
  }
  const { mnemonic } = await rebuildPhrase(home.crypto, shares);
  const recovered = home.recover(mnemonic, passphrase);
  key.remove();
  return recovered;
}
