// Importing an archive file (`defaust import FILE`, and the wallet's Import screen on the unlock screen and in
// Settings), written once: decode the file, compare it with the newest head known on the network, verify
// every block in batches (reporting n of m, giving way between batches, stopping when cancelled), then store
// what it adds in one transaction. Nothing is written before the last stage; an archive that ends before the
// network's head is refused (OlderArchiveError, source 'network') unless the person chose to take it.
import { decodeArchive, OlderArchiveError, verifyArchiveInBatches } from '../../core/archive/archive.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import { HomeError, type Home } from '../home.ts';
import { checkCancelled, giveWay, silentProgress, type Progress } from '../jobs/progress.ts';

/** How the newest head on the network is learned: its length, or null when it could not be asked or has none. */
export type NetworkHead = () => Promise<{ reached: boolean; length: number | null }>;

export interface ImportArchiveOptions {
  /** Asks the network for the chain's signed head record (none: the network is not consulted). */
  networkHead?: NetworkHead;
  /** Take an archive older than the network's head as the writing head anyway. */
  acceptOlder?: boolean;
  /** Import although media blobs the chain references are missing. */
  withoutMedia?: boolean;
}

export interface ImportOutcome {
  added: number;
  length: number;
  /** What the network said: not asked (null), not reached, or the length its head record names (null: none). */
  network: { reached: boolean; length: number | null } | null;
}

/** Verifies and imports `bytes` into `home`'s chain with the owner's `keys`, reporting each stage to `progress`. */
export async function importArchiveFile(home: Home, keys: OwnerKeys, bytes: Uint8Array, options: ImportArchiveOptions = {}, progress: Progress = silentProgress()): Promise<ImportOutcome> {
  progress.report('reading');
  const archive = decodeArchive(bytes);
  const id = home.id();
  if (archive.id !== id) throw new HomeError(`this archive belongs to ${archive.id}, not to this identity (${id})`);
  checkCancelled(progress, 'reading');
  let network: ImportOutcome['network'] = null;
  if (options.networkHead !== undefined) {
    progress.report('network');
    network = await options.networkHead();
    checkCancelled(progress, 'network');
    if (network.length !== null && archive.headers.length < network.length && options.acceptOlder !== true) {
      throw new OlderArchiveError(archive.headers.length, network.length, 'network');
    }
  }
  const total = archive.headers.length;
  progress.report('verifying', 0, total);
  await verifyArchiveInBatches(home.crypto, archive, home.signatures, async (done) => {
    progress.report('verifying', done, total);
    await giveWay();
    checkCancelled(progress, 'verifying');
  });
  checkCancelled(progress, 'verifying');
  progress.report('writing', null, null);
  const known = network?.length == null ? null : { length: network.length, source: 'network' as const };
  const result = home.storeArchive(archive, keys, { known, acceptOlder: options.acceptOlder === true, withoutMedia: options.withoutMedia === true });
  return { ...result, network };
}
