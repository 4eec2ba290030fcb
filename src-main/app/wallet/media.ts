// The wallet's `media:*` verbs: the pictures and films attached to the profile, attaching one (a signed block
// with the sealed bytes), and reading one back (refused above the size one answer may carry; what this home
// lacks is fetched from the replicas while the node runs).
import type { MediaItem } from '../../../src-preload/api/contract.ts';
import type { MediaRef } from '../../core/chain/ops.ts';
import { DefaustError } from '../../core/errors.ts';
import { readMedia, type BlobSource } from '../media/read.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { Handlers, HandlerContext } from './handlers.ts';

type MediaChannel = Extract<keyof Handlers, `media:${string}`>;

const MAX_MEDIA_RESPONSE = 64 * 1024 * 1024;

const mediaItem = (section: string, event: string, ref: MediaRef): MediaItem =>
  ({ section, event, cid: ref.cid.toString(), name: ref.name, type: ref.type, size: ref.size });

/** `blobs`: where media this home lacks comes from (the replicas, through the running node). */
export function mediaHandlers(ctx: HandlerContext, blobs?: BlobSource): Pick<Handlers, MediaChannel> {
  return {
    'media:list': () => ({ items: ctx.profile().mediaList().map(({ section, event, ref }) => mediaItem(section, event, ref)) }),
    'media:attach': ({ section, event, name, type, bytes }) => {
      const { ref, block } = ctx.profile().attach(section, event, fromBytes(bytes), name, type);
      ctx.appended(block);
      return { item: mediaItem(section, event, ref), block };
    },
    'media:get': async ({ cid }) => {
      const session = ctx.session();
      const found = session.profile.mediaItem(cid);
      if (found.ref.size > MAX_MEDIA_RESPONSE) throw new DefaustError('too-large', 'This file is too large to show here.');
      const bytes = await readMedia(session, found.ref, blobs);
      return { item: mediaItem(found.section, found.event, found.ref), bytes: toBase64(bytes) };
    },
  };
}
