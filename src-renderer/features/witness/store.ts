// The witness inbox: open a request file (what am I asked to sign, with its evidence checked), sign yes or
// decline (the signed reply file is for the holder), and the log of what this identity answered.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, WitnessEntry, WitnessRequest } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type WitnessAction = 'load' | 'open' | 'sign';

export interface WitnessState {
  /** The request file being looked at, and what it asks. */
  opened: { bytes: Uint8Array; request: WitnessRequest } | null;
  history: WitnessEntry[] | null;
  busy: WitnessAction | null;
  error: ApiError | null;
  failed: WitnessAction | null;
  /** The last answer given, with its reply file. */
  answered: { entry: WitnessEntry; reply: Download } | null;
  load(): Promise<void>;
  open(bytes: Uint8Array): Promise<WitnessRequest | null>;
  sign(verdict: 'yes' | 'no'): Promise<Download | null>;
  close(): void;
  reset(): void;
}

export function createWitnessStore(api: ApiClient) {
  return createStore<WitnessState>()((set, get) => {
    const failAs = (action: WitnessAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    const start = (action: WitnessAction) => set({ busy: action, error: null, failed: null });
    return {
      opened: null,
      history: null,
      busy: null,
      error: null,
      failed: null,
      answered: null,
      async load() {
        const result = await settle(api.call('witness:history', {}), failAs('load'));
        if (result !== null) set({ history: result.entries });
      },
      async open(bytes) {
        start('open');
        set({ opened: null, answered: null });
        const result = await settle(api.call('witness:open', { bytes }), failAs('open'));
        if (result === null) return null;
        set({ busy: null, opened: { bytes, request: result.request } });
        return result.request;
      },
      async sign(verdict) {
        const opened = get().opened;
        if (opened === null) return null;
        start('sign');
        const result = await settle(api.call('witness:sign', { bytes: opened.bytes, verdict }), failAs('sign'));
        if (result === null) return null;
        set({ busy: null, answered: { entry: result.entry, reply: result.reply }, opened: { ...opened, request: { ...opened.request, answered: result.entry } } });
        await get().load();
        return result.reply;
      },
      close() {
        set({ opened: null, answered: null, error: null, failed: null });
      },
      reset() {
        set({ opened: null, history: null, busy: null, error: null, failed: null, answered: null });
      },
    };
  });
}
