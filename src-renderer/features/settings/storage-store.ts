// Settings → Storage: what each tier holds (history:tiers), the plan of a move to the archive tier for the
// dialog that shows what will be signed (history:previewArchive), and the move itself (history:archive).
import { createStore } from 'zustand/vanilla';
import type { ApiError, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface StorageState {
  tiers: Response<'history:tiers'> | null;
  /** The plan shown in the dialog, with the date it is for. */
  plan: (Response<'history:previewArchive'> & { before: number }) | null;
  moved: Response<'history:archive'> | null;
  busy: boolean;
  error: ApiError | null;
  load(): Promise<void>;
  preview(before: number): Promise<void>;
  move(): Promise<void>;
  cancel(): void;
}

export function createStorageStore(api: ApiClient) {
  return createStore<StorageState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, busy: false });
    return {
      tiers: null,
      plan: null,
      moved: null,
      busy: false,
      error: null,
      async load() {
        const tiers = await settle(api.call('history:tiers', {}), fail);
        if (tiers !== null) set({ tiers });
      },
      async preview(before) {
        set({ busy: true, error: null, moved: null });
        const plan = await settle(api.call('history:previewArchive', { before }), fail);
        set({ busy: false, plan: plan === null ? null : { ...plan, before } });
      },
      async move() {
        const plan = get().plan;
        if (plan === null) return;
        set({ busy: true, error: null });
        const moved = await settle(api.call('history:archive', { before: plan.before }), fail);
        set({ busy: false, plan: null, moved });
        await get().load();
      },
      cancel: () => set({ plan: null }),
    };
  });
}
