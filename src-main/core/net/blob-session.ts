// `/defaust/blob/1.0.0`: media chunks by CID, without the chain around them (a viewer that wants one picture,
// a witness that looks at evidence). It speaks the sync protocol's frames and messages:
//   requester: want{cids} →   server: offer{the ones it holds} → blob* (in that order)
// Chunks are sealed and content-addressed, so any peer may serve them and the requester checks every byte
// against its CID; the server never learns what a chunk is.
import { parseCid, type CID } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { blobMatches } from '../media/media.ts';
import type { ChainStore } from '../ports.ts';
import { SyncError } from './errors.ts';
import { expectMessage, reportingErrors, type SyncChannel } from './sync-session.ts';

export const BLOB_PROTOCOL = '/defaust/blob/1.0.0';
/** CIDs one request may name. */
export const MAX_BLOBS_PER_REQUEST = 256;

/** Requester: the chunks of `cids` the peer holds, each checked against its CID (absent ones are left out). */
export async function fetchBlobs(channel: SyncChannel, crypto: Crypto, cids: readonly CID[]): Promise<Map<string, Uint8Array>> {
  if (cids.length === 0 || cids.length > MAX_BLOBS_PER_REQUEST) throw new SyncError('protocol', `ask for 1 to ${MAX_BLOBS_PER_REQUEST} blobs at a time`);
  return reportingErrors(channel, async () => {
    await channel.send({ t: 'want', cids: [...cids] });
    const asked = new Set(cids.map((cid) => cid.toString()));
    const offer = await expectMessage(channel, 'offer');
    const got = new Map<string, Uint8Array>();
    for (const cid of offer.cids) {
      const key = cid.toString();
      if (!asked.has(key) || got.has(key)) throw new SyncError('protocol', `blob ${key} was not asked for`);
      const blob = await expectMessage(channel, 'blob');
      if (!blob.cid.equals(cid)) throw new SyncError('protocol', `blob ${blob.cid.toString()} came in place of ${key}`);
      if (!blobMatches(crypto, cid, blob.bytes)) throw new SyncError('bad-blob', `blob bytes do not hash to ${key}`);
      got.set(key, blob.bytes);
    }
    return got;
  });
}

/** Server: offers the asked chunks it holds, then sends them. */
export async function serveBlobs(channel: SyncChannel, store: ChainStore): Promise<number> {
  return reportingErrors(channel, async () => {
    const want = await expectMessage(channel, 'want');
    if (want.cids.length === 0 || want.cids.length > MAX_BLOBS_PER_REQUEST) throw new SyncError('protocol', `ask for 1 to ${MAX_BLOBS_PER_REQUEST} blobs at a time`);
    const held = [...new Set(want.cids.map((cid) => cid.toString()))].flatMap((key) => {
      const bytes = store.blob(key);
      return bytes === undefined ? [] : [{ cid: parseCid(key), bytes }];
    });
    await channel.send({ t: 'offer', cids: held.map((b) => b.cid) });
    let sent = 0;
    for (const { cid, bytes } of held) {
      await channel.send({ t: 'blob', cid, bytes });
      sent += bytes.length;
    }
    return sent;
  });
}
