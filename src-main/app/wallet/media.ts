// The wallet's `media:*` verbs: the pictures and films attached to the profile, attaching one (a signed block
// with the sealed bytes), and reading one back (refused above the size one answer may carry).
import type { MediaItem } from '../../../src-preload/api/contract.ts';
import type { MediaRef } from '../../core/chain/ops.ts';
import { DefaustError, NotFoundError } from '../../core/errors.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { Handlers, HandlerContext } from './handlers.ts';

type MediaChannel = Extract<keyof Handlers, `media:${string}`>;

const MAX_MEDIA_RESPONSE = 64 * 1024 * 1024;

const mediaItem = (section: string, event: string, ref: MediaRef): MediaItem =>
  ({ section, event, cid: ref.cid.toString(), name: ref.name, type: ref.type, size: ref.size });

export function mediaHandlers(ctx: HandlerContext): Pick<Handlers, MediaChannel> {
  return {
    'media:list': () => ({ items: ctx.profile().mediaList().map(({ section, event, ref }) => mediaItem(section, event, ref)) }),
    'media:attach': ({ section, event, name, type, bytes }) => {
      const { ref, block } = ctx.profile().attach(section, event, fromBytes(bytes), name, type);
      ctx.appended(block);
      return { item: mediaItem(section, event, ref), block };
    },
    'media:get': ({ cid }) => {
      const profile = ctx.profile();
      const found = profile.mediaList().find((m) => m.ref.cid.toString() === cid);
      if (found === undefined) throw new NotFoundError('This picture or film is not in your profile.');
      if (found.ref.size > MAX_MEDIA_RESPONSE) throw new DefaustError('too-large', 'This file is too large to show here.');
      const { bytes } = profile.readMedia(cid);
      return { item: mediaItem(found.section, found.event, found.ref), bytes: toBase64(bytes) };
    },
  };
}
