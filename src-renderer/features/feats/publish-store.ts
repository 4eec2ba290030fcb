// Publishing my trust list (as an authority): the call behind the SignDialog, its elapsed time while the
// node pushes the chain to replicas, and the published list's id to share. Takes its API client by injection.
import { createStore } from 'zustand/vanilla';
import type { ApiError } from '../../../src-preload/api/contract.ts';
import type { PublishedTrustList } from '../../../src-preload/api/importui.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface PublishTrustState {
  busy: boolean;
  /** When the publish began (for the elapsed time shown), null when none runs. */
  startedAt: number | null;
  published: PublishedTrustList | null;
  error: ApiError | null;
  publish(): Promise<boolean>;
  clear(): void;
}

export function createPublishTrustStore(api: ApiClient, now: () => number = Date.now) {
  return createStore<PublishTrustState>()((set) => ({
    busy: false,
    startedAt: null,
    published: null,
    error: null,
    async publish() {
      set({ busy: true, startedAt: now(), error: null, published: null });
      const published = await settle(api.call('trust:publish', {}), (error) => set({ error }));
      set({ busy: false, startedAt: null, ...(published === null ? {} : { published }) });
      return published !== null;
    },
    clear: () => set({ published: null, error: null }),
  }));
}
