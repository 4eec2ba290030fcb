// Reading a picture or film back, fetching what this home lacks. A home that imported an archive without its
// media (`import --without-media`), or a device that recovered the chain alone, holds the media's references
// but not its blobs: the manifest and then its chunks are fetched from the chain's replicas (any replica may
// serve them; each blob is checked against its CID), stored, and the object decrypted as usual.
import type { CID } from '../../core/chain/codec.ts';
import type { MediaRef } from '../../core/chain/ops.ts';
import type { Did } from '../../core/identity/did.ts';
import { MediaError, openManifest } from '../../core/media/media.ts';
import type { Session } from '../session.ts';

/** Where missing blobs come from: the replicas of `owner`'s chain. Resolves with the CIDs still missing. */
export type BlobSource = (owner: Did, cids: readonly CID[]) => Promise<{ missing: string[] }>;

export class MediaUnavailableError extends MediaError {
  override name = 'MediaUnavailableError';
  readonly cid: string;
  readonly missing: number;
  constructor(cid: string, missing: number, networked: boolean) {
    super(networked
      ? `${missing} part(s) of this file are stored neither here nor on any replica that answered; try again when more peers are online`
      : `${missing} part(s) of this file are not stored here (it came without its media); fetch them from the network: run with the peer network on`);
    this.cid = cid;
    this.missing = missing;
  }
}

/** The bytes of a media object of the open profile, its blobs fetched through `source` when this home lacks them. */
export async function readMedia(session: Session, ref: MediaRef, source?: BlobSource): Promise<Uint8Array> {
  const { profile, home } = session;
  const cid = ref.cid.toString();
  const lacking = (cids: readonly CID[]) => cids.filter((c) => home.store.blob(c.toString()) === undefined);
  const fetch = async (cids: CID[]): Promise<void> => {
    if (cids.length === 0) return;
    if (source === undefined) throw new MediaUnavailableError(cid, cids.length, false);
    const { missing } = await source(profile.id, cids);
    if (missing.length > 0) throw new MediaUnavailableError(cid, missing.length, true);
  };
  await fetch(lacking([ref.cid]));
  const manifest = openManifest(home.crypto, ref, home.store.blob(cid)!);
  await fetch(lacking(manifest.chunks));
  return profile.openMedia(ref);
}
