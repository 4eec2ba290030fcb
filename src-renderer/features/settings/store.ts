// Settings: theme, the data folder, the passphrase.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Settings, Theme } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface SettingsState {
  settings: Settings | null;
  changing: boolean;
  changed: boolean;
  error: ApiError | null;
  load(): Promise<void>;
  setTheme(theme: Theme): Promise<void>;
  changePassphrase(old: string, next: string): Promise<boolean>;
}

export function createSettingsStore(api: ApiClient) {
  return createStore<SettingsState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, changing: false });
    return {
      settings: null,
      changing: false,
      changed: false,
      error: null,
      async load() {
        const settings = await settle(api.call('settings:get', {}), fail);
        if (settings !== null) set({ settings });
      },
      async setTheme(theme) {
        const before = get().settings;
        if (before !== null) set({ settings: { ...before, theme } });
        const settings = await settle(api.call('settings:setTheme', { theme }), fail);
        set({ settings: settings ?? before });
      },
      async changePassphrase(old, next) {
        set({ changing: true, changed: false, error: null });
        const done = await settle(api.call('settings:changePassphrase', { old, new: next }), fail);
        if (done === null) return false;
        set({ changing: false, changed: true });
        return true;
      },
    };
  });
}
