// Settings: theme, the data folder, the passphrase.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, Settings, Theme } from '../../../src-preload/api/contract.ts';
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
  exporting: boolean;
  exportError: ApiError | null;
  exported: string | null;
  /** The archive file (the whole chain, sealed as it is stored): for grantees to read from, and a backup. */
  exportArchive(): Promise<Download | null>;
}

export function createSettingsStore(api: ApiClient) {
  return createStore<SettingsState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, changing: false });
    return {
      settings: null,
      changing: false,
      changed: false,
      error: null,
      exporting: false,
      exportError: null,
      exported: null,
      async exportArchive() {
        set({ exporting: true, exportError: null, exported: null });
        const file = await settle(api.call('archive:export', {}), (exportError) => set({ exportError, exporting: false }));
        if (file === null) return null;
        set({ exporting: false, exported: file.name });
        return file;
      },
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
