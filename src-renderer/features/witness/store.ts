// The witness inbox: requests that came through the network and wait, or a request file; what am I asked to
// sign, with its evidence checked; sign yes or decline (the reply goes back through the network, or as a file
// for the holder); and the log of what this identity answered.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, WitnessEntry, WitnessRequest } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type WitnessAction = 'load' | 'open' | 'sign';

/** A request that came through the network and waits for an answer. */
export interface PendingRequest {
  id: string;
  from: string;
  receivedAt: number;
}

export interface WitnessState {
  /** The request being looked at (a file's bytes, or the id of one that came by mail), and what it asks. */
  opened: { source: { bytes: Uint8Array } | { mail: string }; request: WitnessRequest } | null;
  /** Requests that came through the network, waiting for an answer. */
  pending: PendingRequest[] | null;
  history: WitnessEntry[] | null;
  busy: WitnessAction | null;
  error: ApiError | null;
  failed: WitnessAction | null;
  /** The last answer given, with its reply file; `sent` when it went back through the network. */
  answered: { entry: WitnessEntry; reply: Download; sent: boolean } | null;
  load(): Promise<void>;
  open(bytes: Uint8Array): Promise<WitnessRequest | null>;
  openMail(id: string): Promise<WitnessRequest | null>;
  sign(verdict: 'yes' | 'no'): Promise<Download | null>;
  close(): void;
  reset(): void;
}

export function createWitnessStore(api: ApiClient) {
  return createStore<WitnessState>()((set, get) => {
    const failAs = (action: WitnessAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    const start = (action: WitnessAction) => set({ busy: action, error: null, failed: null });
    const openFrom = async (source: { bytes: Uint8Array } | { mail: string }): Promise<WitnessRequest | null> => {
      start('open');
      set({ opened: null, answered: null });
      const result = await settle(api.call('witness:open', source), failAs('open'));
      if (result === null) return null;
      set({ busy: null, opened: { source, request: result.request } });
      return result.request;
    };
    return {
      opened: null,
      pending: null,
      history: null,
      busy: null,
      error: null,
      failed: null,
      answered: null,
      async load() {
        const result = await settle(api.call('witness:history', {}), failAs('load'));
        if (result !== null) set({ history: result.entries });
        const waiting = await settle(api.call('witness:pending', {}), failAs('load'));
        if (waiting !== null) set({ pending: waiting.requests });
      },
      async open(bytes) {
        return openFrom({ bytes });
      },
      async openMail(id) {
        return openFrom({ mail: id });
      },
      async sign(verdict) {
        const opened = get().opened;
        if (opened === null) return null;
        start('sign');
        const result = await settle(api.call('witness:sign', { ...opened.source, verdict }), failAs('sign'));
        if (result === null) return null;
        set({ busy: null, answered: { entry: result.entry, reply: result.reply, sent: result.sent }, opened: { ...opened, request: { ...opened.request, answered: result.entry } } });
        await get().load();
        return result.sent ? null : result.reply;
      },
      close() {
        set({ opened: null, answered: null, error: null, failed: null });
      },
      reset() {
        set({ opened: null, pending: null, history: null, busy: null, error: null, failed: null, answered: null });
      },
    };
  });
}
