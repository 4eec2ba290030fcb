// Whether the chain on this device is behind the network's head record (another device of yours wrote since,
// or an old archive was imported): checked when the wallet opens and when the node starts. Editing on an older
// chain would fork it, so the shell warns while it is behind. Takes its API client by injection.
import { createStore } from 'zustand/vanilla';
import type { ApiError } from '../../../src-preload/api/contract.ts';
import type { Freshness } from '../../../src-preload/api/importui.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface FreshnessState {
  freshness: Freshness | null;
  checking: boolean;
  error: ApiError | null;
  check(): Promise<Freshness | null>;
  reset(): void;
}

export function createFreshnessStore(api: ApiClient) {
  return createStore<FreshnessState>()((set, get) => ({
    freshness: null,
    checking: false,
    error: null,
    async check() {
      if (get().checking) return get().freshness;
      set({ checking: true, error: null });
      const freshness = await settle(api.call('archive:freshness', {}), (error) => set({ error, checking: false }));
      if (freshness !== null) set({ freshness, checking: false });
      return freshness;
    },
    reset: () => set({ freshness: null, checking: false, error: null }),
  }));
}
