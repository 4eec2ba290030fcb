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
  /** When the running publish began (the screen shows the time since), null when none runs. */
  publishStartedAt: number | null;
  /** The person stopped waiting for the publish: it goes on in the node, its report is no longer shown. */
  stoppedWaiting: boolean;
  /** Set when limits were saved (cleared by the next action). */
  limitsSaved: boolean;
  load(): Promise<void>;
  publish(): Promise<PublishReport | null>;
  /** Stops waiting for the running publish (the node finishes it in the background; the card shows what it reached). */
  stopWaiting(): void;
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
  publishStartedAt: null,
  stoppedWaiting: false,
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
        const started = now();
        set({ publishStartedAt: started, stoppedWaiting: false });
        const result = await api.call('network:publish', {});
        // Stopped waiting, or another publish began since: this answer is not the one shown.
        if (get().publishStartedAt !== started) return result.ok ? result.value : null;
        set({ publishStartedAt: null });
        if (!result.ok) {
          failAs('publish')(result.error);
          return null;
        }
        set({ busy: null, published: result.value });
        await get().load();
        return result.value;
      },
      stopWaiting() {
        if (get().publishStartedAt === null) return;
        set({ publishStartedAt: null, busy: null, stoppedWaiting: true });
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
