// The OS keychain on the unlock screen: whether this computer can keep the wallet's key (and does), unlocking
// with it, keeping it after a passphrase unlock, and forgetting it. The session store hears of an unlock.
import { createStore } from 'zustand/vanilla';
import type { ApiError, SessionStatus } from '../../../src-preload/api/contract.ts';
import type { KeychainStatus } from '../../../src-preload/api/keychain.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface KeychainUiState {
  status: KeychainStatus | null;
  busy: boolean;
  error: ApiError | null;
  load(): Promise<void>;
  /** Unlocks with the kept key; false (with the error shown) when the keychain could not give it back. */
  unlock(): Promise<boolean>;
  /** After a passphrase unlock: has the keychain keep the key it opens. */
  remember(passphrase: string): Promise<boolean>;
  forget(): Promise<void>;
}

export function createKeychainStore(api: ApiClient, unlocked: (status: SessionStatus) => void) {
  return createStore<KeychainUiState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, busy: false });
    return {
      status: null,
      busy: false,
      error: null,
      async load() {
        const status = await settle(api.call('keychain:status', {}), fail);
        if (status !== null) set({ status });
      },
      async unlock() {
        set({ busy: true, error: null });
        const status = await settle(api.call('keychain:unlock', {}), (error) => {
          fail(error);
          void get().load(); // a stale key is gone now: show the passphrase alone
        });
        if (status === null) return false;
        set({ busy: false });
        unlocked(status);
        return true;
      },
      async remember(passphrase) {
        const status = await settle(api.call('keychain:remember', { passphrase }), fail);
        if (status !== null) set({ status });
        return status !== null;
      },
      async forget() {
        const status = await settle(api.call('keychain:forget', {}), fail);
        if (status !== null) set({ status, error: null });
      },
    };
  });
}
