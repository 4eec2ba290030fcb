// Media: the gallery of pictures and films attached to events, attaching a new one, and opening one.
import { createStore } from 'zustand/vanilla';
import type { ApiError, MediaItem } from '../../../src-preload/api/contract.ts';
import { fromBase64, type ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface MediaState {
  items: MediaItem[] | null;
  attaching: boolean;
  attached: MediaItem | null;
  error: ApiError | null;
  load(): Promise<void>;
  attach(input: { section: string; event: string; name: string; type: string; bytes: Uint8Array }): Promise<MediaItem | null>;
  /** The decrypted bytes of one item (cached for the session). */
  open(cid: string): Promise<Uint8Array | null>;
  /** Forgets everything shown, decrypted bytes included (on lock). */
  reset(): void;
}

export function createMediaStore(api: ApiClient) {
  const cache = new Map<string, Uint8Array>();
  return createStore<MediaState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, attaching: false });
    return {
      items: null,
      attaching: false,
      attached: null,
      error: null,
      async load() {
        const list = await settle(api.call('media:list', {}), fail);
        if (list !== null) set({ items: list.items });
      },
      async attach(input) {
        set({ attaching: true, error: null, attached: null });
        const result = await settle(api.call('media:attach', input), fail);
        if (result === null) return null;
        cache.set(result.item.cid, input.bytes);
        set({ attaching: false, attached: result.item, items: [...(get().items ?? []), result.item] });
        return result.item;
      },
      reset() {
        cache.clear();
        set({ items: null, attached: null, error: null });
      },
      async open(cid) {
        const hit = cache.get(cid);
        if (hit !== undefined) return hit;
        const got = await settle(api.call('media:get', { cid }), fail);
        if (got === null) return null;
        const bytes = fromBase64(got.bytes);
        cache.set(cid, bytes);
        return bytes;
      },
    };
  });
}
