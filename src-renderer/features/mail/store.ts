// Fetching this identity's mail now ("Check for new requests", "Check for new challenges"): the job's stages
// while it runs (finding the mailboxes, asking n of m), then a plain result — how many mailboxes were asked,
// what came, how many did not answer — or why it could not run. Takes its API client and timers by injection.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Response } from '../../../src-preload/api/contract.ts';
import type { JobView } from '../../../src-preload/api/importui.ts';
import type { ApiClient } from '../../lib/api.ts';
import { newJobId } from '../../lib/job-id.ts';
import { settle } from '../../lib/store-kit.ts';
import { realTimers, watchJob, type Timers } from '../import/job-watch.ts';

export interface MailState {
  running: boolean;
  view: JobView | null;
  result: Response<'network:fetchMail'> | null;
  error: ApiError | null;
  fetch(): Promise<boolean>;
  reset(): void;
}

export function createMailStore(api: ApiClient, timers: Timers = realTimers) {
  return createStore<MailState>()((set, get) => ({
    running: false,
    view: null,
    result: null,
    error: null,
    async fetch() {
      if (get().running) return false;
      const job = newJobId();
      set({ running: true, view: null, result: null, error: null });
      const stop = watchJob(api, job, (view) => set({ view }), timers);
      const result = await settle(api.call('network:fetchMail', { job }), (error) => set({ error }));
      stop();
      set({ running: false, ...(result === null ? {} : { result }) });
      return result !== null;
    },
    reset: () => set({ running: false, view: null, result: null, error: null }),
  }));
}
