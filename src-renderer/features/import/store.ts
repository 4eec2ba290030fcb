// Importing an archive file (the unlock screen and Settings): the job's progress while it runs, cancel, the
// plain result, and the older-chain warning ("editing now would fork your chain") with its two ways on:
// fetch the newer chain from the network, or take this older archive anyway. Takes its API client and timers by injection.
import { createStore } from 'zustand/vanilla';
import type { ApiError } from '../../../src-preload/api/contract.ts';
import type { ImportOutcome, JobView, OlderArchive } from '../../../src-preload/api/importui.ts';
import type { ApiClient } from '../../lib/api.ts';
import { newJobId } from '../../lib/job-id.ts';
import { realTimers, watchJob, type Timers } from './job-watch.ts';


export interface ImportState {
  running: 'import' | 'recover' | null;
  job: string | null;
  view: JobView | null;
  outcome: ImportOutcome | null;
  /** After "fetch the newer chain": how many blocks are here now. */
  fetched: number | null;
  /** The archive ends before the newest head known (the network's, or the chain here): nothing was imported. */
  older: OlderArchive | null;
  error: ApiError | null;
  /** Imports `bytes`; locked: `passphrase` opens the keys (and the wallet opens after). */
  importFile(bytes: Uint8Array, passphrase?: string, acceptOlder?: boolean): Promise<boolean>;
  /** Takes the archive the warning was about, older as it is. */
  importAnyway(passphrase?: string): Promise<boolean>;
  /** Fetches the newer chain from the network instead (unlocked: network:recoverChain; locked: session:fetchChain). */
  fetchNewer(passphrase?: string): Promise<boolean>;
  cancel(): Promise<void>;
  reset(): void;
}

export function createImportStore(api: ApiClient, timers: Timers = realTimers) {
  let lastBytes: Uint8Array | null = null;
  return createStore<ImportState>()((set, get) => {
    const track = async <T>(kind: 'import' | 'recover', call: (job: string) => Promise<{ ok: true; value: T } | { ok: false; error: ApiError }>): Promise<T | null> => {
      const job = newJobId();
      set({ running: kind, job, view: null, error: null, outcome: null, fetched: null });
      const stop = watchJob(api, job, (view) => {
        if (get().job === job) set({ view });
      }, timers);
      const result = await call(job);
      stop();
      set({ running: null, job: null });
      if (result.ok) return result.value;
      set({ error: result.error });
      return null;
    };
    return {
      running: null,
      job: null,
      view: null,
      outcome: null,
      fetched: null,
      older: null,
      error: null,
      async importFile(bytes, passphrase, acceptOlder = false) {
        lastBytes = bytes;
        set({ older: null });
        const outcome = await track('import', (job) => api.call('archive:import', { bytes, job, acceptOlder, ...(passphrase === undefined ? {} : { passphrase }) }));
        if (outcome === null) return false;
        if (outcome.older !== null) {
          set({ older: outcome.older });
          return false;
        }
        set({ outcome });
        lastBytes = null;
        return true;
      },
      async importAnyway(passphrase) {
        if (lastBytes === null) return false;
        return get().importFile(lastBytes, passphrase, true);
      },
      async fetchNewer(passphrase) {
        set({ older: null });
        if (passphrase !== undefined) {
          const status = await track('recover', (job) => api.call('session:fetchChain', { passphrase, job }));
          return status !== null && status.chain;
        }
        const outcome = await track('recover', (job) => api.call('network:recoverChain', { job }));
        if (outcome === null) return false;
        set({ fetched: outcome.length });
        return outcome.found;
      },
      async cancel() {
        const job = get().job;
        if (job !== null) await api.call('jobs:cancel', { job });
      },
      reset: () => set({ outcome: null, older: null, error: null, fetched: null, view: null }),
    };
  });
}
