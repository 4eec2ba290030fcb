// Recovery by friends in the window: the owner's split (Settings → Recovery contacts), the custodian's shares
// (the Custody screen: keep, list, release by mail or file) and, before any identity, the temporary id, the
// shares that came to it by mail and the combine step ("Recover with friends" in onboarding). Every call is one wallet channel (recovery:*, custody:*).
import { createStore } from 'zustand/vanilla';
import type { ApiError, CustodyEntry, Response, SessionStatus } from '../../../src-preload/api/contract.ts';
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
  /** The last release made here: sent to their mailboxes (`deposited`), and the file to give them. */
  released: Response<'custody:release'> | null;
  temporaryId: string | null;
  /** The shares released to the temporary id that came by mail (`fetched` on the last check); null before one. */
  mail: Response<'recovery:fetch'> | null;
  makeSplit(mnemonic: string, custodians: string[], k: number): Promise<boolean>;
  loadCustody(): Promise<void>;
  keep(source: { bytes: Uint8Array } | { mail: string }): Promise<boolean>;
  release(owner: string, to: string): Promise<Response<'custody:release'> | null>;
  start(passphrase: string): Promise<boolean>;
  checkMail(passphrase: string): Promise<void>;
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
      mail: null,
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
        set({ busy: false, released });
        return released;
      },
      async start(passphrase) {
        begin();
        const started = await settle(api.call('recovery:start', { passphrase }), fail);
        if (started === null) return false;
        set({ busy: false, temporaryId: started.temporaryId });
        return true;
      },
      async checkMail(passphrase) {
        begin();
        const mail = await settle(api.call('recovery:fetch', { passphrase }), fail);
        if (mail !== null) set({ busy: false, mail });
      },
      async combine(passphrase, releases) {
        begin();
        const status = await settle(api.call('recovery:combine', { passphrase, releases }), fail);
        if (status !== null) set({ busy: false });
        return status;
      },
      reset: () => set({ busy: false, error: null, split: null, entries: [], waiting: [], released: null, mail: null }),
    };
  });
}
