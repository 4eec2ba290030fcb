// The inbox of change requests: importing a request file, the pending ones with their exact diff,
// approving (a merge block) or rejecting (a signed reply file for the author), and the history.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, RequestView } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type InboxAction = 'load' | 'import' | 'approve' | 'reject';

export interface InboxState {
  requests: RequestView[] | null;
  busy: InboxAction | null;
  error: ApiError | null;
  failed: InboxAction | null;
  /** The last request imported, approved or rejected, and how. */
  done: { action: InboxAction; request: RequestView; seq?: number } | null;
  load(): Promise<void>;
  importFile(bytes: Uint8Array): Promise<RequestView | null>;
  approve(id: string): Promise<boolean>;
  /** Rejects; returns the signed reply file for the author. */
  reject(id: string, reason: string): Promise<Download | null>;
  reset(): void;
}

export function createInboxStore(api: ApiClient) {
  return createStore<InboxState>()((set, get) => {
    const failAs = (action: InboxAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    const start = (action: InboxAction) => set({ busy: action, error: null, failed: null, done: null });
    return {
      requests: null,
      busy: null,
      error: null,
      failed: null,
      done: null,
      async load() {
        const list = await settle(api.call('inbox:list', {}), failAs('load'));
        if (list !== null) set({ requests: list.requests });
      },
      async importFile(bytes) {
        start('import');
        const result = await settle(api.call('inbox:import', { bytes }), failAs('import'));
        if (result === null) return null;
        await get().load();
        set({ busy: null, done: { action: 'import', request: result.request } });
        return result.request;
      },
      async approve(id) {
        start('approve');
        const result = await settle(api.call('inbox:approve', { id }), failAs('approve'));
        if (result === null) return false;
        await get().load();
        set({ busy: null, done: { action: 'approve', request: result.request, seq: result.block.seq } });
        return true;
      },
      async reject(id, reason) {
        start('reject');
        const result = await settle(api.call('inbox:reject', { id, reason }), failAs('reject'));
        if (result === null) return null;
        await get().load();
        set({ busy: null, done: { action: 'reject', request: result.request } });
        return result.reply;
      },
      reset() {
        set({ requests: null, busy: null, error: null, failed: null, done: null });
      },
    };
  });
}
