// "Shared with me": what other people granted this identity, read with its own key from a copy of their chain —
// the copy held here, first brought up to date from their replicas when a network is at hand (the owner need not
// be online), or an archive file they handed over. One verb for the CLI's `read` and the wallet's Shared screen.
import { readGranted, type GrantedView } from '../../core/access/reader.ts';
import { exportArchive, readArchive } from '../../core/archive/archive.ts';
import { DefaustError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Session } from '../session.ts';

/** Reading needs this identity's key, not an open profile. */
export type Reader = Pick<Session, 'home' | 'keys'>;

/** Brings `owner`'s newest chain from its replicas into this home. */
export type ChainPuller = (owner: Did) => Promise<unknown>;

/** There is no copy of the owner's chain here, and none could be fetched. */
export class NoCopyError extends DefaustError {
  override name = 'NoCopyError';
  readonly owner: Did;
  constructor(owner: Did, networked: boolean) {
    super('shared/no-copy', networked
      ? `No copy of ${owner}'s profile is here and none of their replicas answered. Try again when more peers are online, or open an archive file they gave you.`
      : `No copy of ${owner}'s profile is here. Turn the peer network on to fetch it from their replicas, or open an archive file they gave you.`);
    this.owner = owner;
  }
}

/** What a grant opens in an archive file. `section` restricts (and requires) one section. */
export function readSharedArchive(reader: Reader, archiveBytes: Uint8Array, section?: string): GrantedView {
  const { home, keys } = reader;
  return readGranted(home.crypto, readArchive(home.crypto, archiveBytes), keys.identity.ed25519Seed, home.id(), section);
}

/**
 * What `owner`'s grants open for this identity, from the copy held here after `pull` brought it up to date.
 * `fetched` says whether the replicas answered; without them the copy held here is read as it is.
 */
export async function readShared(reader: Reader, owner: Did, options: { section?: string; pull?: ChainPuller } = {}): Promise<GrantedView & { fetched: boolean }> {
  const { home } = reader;
  let fetched = false;
  let pullError: unknown = null;
  if (options.pull !== undefined) {
    try {
      await options.pull(owner);
      fetched = true;
    } catch (error) {
      pullError = error;
    }
  }
  if (home.store.head(owner) === undefined) {
    // A typed failure of the network (no peers, no head record) says more than "no copy": it goes on as it is.
    if (pullError instanceof DefaustError) throw pullError;
    throw new NoCopyError(owner, options.pull !== undefined);
  }
  return { ...readSharedArchive(reader, exportArchive(home.store, owner), options.section), fetched };
}
