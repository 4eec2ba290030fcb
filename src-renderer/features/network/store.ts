// Network: the node's status as last polled (the browser has no push events, so the screen polls while it
// is shown), publishing the archive now, and saving the editable limits.
import { createStore } from 'zustand/vanilla';
import type { ApiError, NetStatus, PeerView, Request, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type NetworkAction = 'load' | 'publish' | 'limits';
export type PublishReport = Response<'network:publish'>;

export interface NetworkState {
  /** null until the first answer. */
  running: boolean | null;
  /** Why the node is not running, in words (null while it runs). */
  reason: string | null;
  status: NetStatus | null;
  peers: PeerView[];
  /** When the last answer came (the screen says how fresh it is). */
  updatedAt: number | null;
  loading: boolean;
  busy: Exclude<NetworkAction, 'load'> | null;
  /** The last failure and what it belongs to; a failed poll keeps what was shown before. */
  error: ApiError | null;
  failed: NetworkAction | null;
  published: PublishReport | null;
  /** Set when limits were saved (cleared by the next action). */
  limitsSaved: boolean;
  load(): Promise<void>;
  publish(): Promise<PublishReport | null>;
  setLimits(patch: Request<'network:setLimits'>): Promise<boolean>;
  reset(): void;
}

const INITIAL = {
  running: null,
  reason: null,
  status: null,
  peers: [],
  updatedAt: null,
  loading: false,
  busy: null,
  error: null,
  failed: null,
  published: null,
  limitsSaved: false,
} satisfies Partial<NetworkState>;

export function createNetworkStore(api: ApiClient, now: () => number = Date.now) {
  return createStore<NetworkState>()((set, get) => {
    const failAs = (action: NetworkAction) => (error: ApiError) => set({ error, failed: action, ...(action === 'load' ? {} : { busy: null }) });
    const start = (action: Exclude<NetworkAction, 'load'>) => set({ busy: action, error: null, failed: null, published: null, limitsSaved: false });
    return {
      ...INITIAL,
      async load() {
        // A poll never overlaps the previous one: on a slow machine they would pile up.
        if (get().loading) return;
        set({ loading: true });
        const view = await settle(api.call('network:status', {}), failAs('load'));
        if (view === null) {
          set({ loading: false });
          return;
        }
        set({
          loading: false,
          running: view.running,
          reason: view.reason,
          status: view.status,
          peers: view.peers,
          updatedAt: now(),
          ...(get().failed === 'load' ? { error: null, failed: null } : {}),
        });
      },
      async publish() {
        start('publish');
        const report = await settle(api.call('network:publish', {}), failAs('publish'));
        if (report === null) return null;
        set({ busy: null, published: report });
        await get().load();
        return report;
      },
      async setLimits(patch) {
        start('limits');
        const result = await settle(api.call('network:setLimits', patch), failAs('limits'));
        if (result === null) return false;
        const status = get().status;
        set({ busy: null, limitsSaved: true, ...(status === null ? {} : { status: { ...status, limits: result.limits } }) });
        return true;
      },
      reset() {
        set({ ...INITIAL });
      },
    };
  });
}
