// Recovery by friends in the window: the owner's split (Settings → Recovery contacts), the custodian's shares
// (the Custody screen: keep, list, release) and, before any identity, the temporary id and the combine step
// ("Recover with friends" in onboarding). Every call is one wallet channel (recovery:*, custody:*).
import { createStore } from 'zustand/vanilla';
import type { ApiError, CustodyEntry, Download, Response, SessionStatus } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface RecoveryState {
  busy: boolean;
  error: ApiError | null;
  /** The last split made here, with the share files no mailbox took. */
  split: Response<'recovery:split'> | null;
  entries: CustodyEntry[];
  /** Shares that came by mail and wait to be kept. */
  waiting: Response<'custody:list'>['waiting'];
  /** The last release made here: the file to give to the owner. */
  released: Download | null;
  temporaryId: string | null;
  makeSplit(mnemonic: string, custodians: string[], k: number): Promise<boolean>;
  loadCustody(): Promise<void>;
  keep(source: { bytes: Uint8Array } | { mail: string }): Promise<boolean>;
  release(owner: string, to: string): Promise<Download | null>;
  start(passphrase: string): Promise<boolean>;
  combine(passphrase: string, releases: Uint8Array[]): Promise<SessionStatus | null>;
  reset(): void;
}

export function createRecoveryStore(api: ApiClient) {
  return createStore<RecoveryState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, busy: false });
    const begin = () => set({ busy: true, error: null });
    return {
      busy: false,
      error: null,
      split: null,
      entries: [],
      waiting: [],
      released: null,
      temporaryId: null,
      async makeSplit(mnemonic, custodians, k) {
        begin();
        const split = await settle(api.call('recovery:split', { mnemonic: mnemonic.trim().split(/\s+/u).join(' ').toLowerCase(), custodians, k }), fail);
        if (split === null) return false;
        set({ split, busy: false });
        return true;
      },
      async loadCustody() {
        const listed = await settle(api.call('custody:list', {}), fail);
        if (listed !== null) set({ entries: listed.entries, waiting: listed.waiting });
      },
      async keep(source) {
        begin();
        const kept = await settle(api.call('custody:import', source), fail);
        if (kept === null) return false;
        set({ busy: false });
        await get().loadCustody();
        return true;
      },
      async release(owner, to) {
        begin();
        const released = await settle(api.call('custody:release', { owner, to }), fail);
        set({ busy: false, released: released?.file ?? null });
        return released?.file ?? null;
      },
      async start(passphrase) {
        begin();
        const started = await settle(api.call('recovery:start', { passphrase }), fail);
        if (started === null) return false;
        set({ busy: false, temporaryId: started.temporaryId });
        return true;
      },
      async combine(passphrase, releases) {
        begin();
        const status = await settle(api.call('recovery:combine', { passphrase, releases }), fail);
        if (status !== null) set({ busy: false });
        return status;
      },
      reset: () => set({ busy: false, error: null, split: null, entries: [], waiting: [], released: null }),
    };
  });
}
