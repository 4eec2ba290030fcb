// Watching a long job while its call is pending: asks `jobs:status` every 400 ms (the browser has no push
// for it) and hands each view to `onView`; never two asks at once; stops when told.
import type { JobView } from '../../../src-preload/api/importui.ts';
import type { ApiClient } from '../../lib/api.ts';

export interface Timers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const realTimers: Timers = {
  setInterval: (run, ms) => globalThis.setInterval(run, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
};

export const WATCH_MS = 400;

/** Starts watching `job`; returns the function that stops. */
export function watchJob(api: ApiClient, job: string, onView: (view: JobView) => void, timers: Timers = realTimers): () => void {
  let asking = false;
  let stopped = false;
  const handle = timers.setInterval(() => {
    if (asking || stopped) return;
    asking = true;
    void api.call('jobs:status', { job }).then((result) => {
      asking = false;
      if (!stopped && result.ok && result.value.job !== null) onView(result.value.job);
    });
  }, WATCH_MS);
  return () => {
    stopped = true;
    timers.clearInterval(handle);
  };
}
