// Profile: the sections and fields, and the edit flow — a draft, its exact preview, then the signature.
import { createStore } from 'zustand/vanilla';
import type { ApiError, BlockSummary, EditOp, FieldChange, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface Draft {
  section: string;
  op: Extract<EditOp, { op: 'set' | 'unset' }>;
}

export interface ProfileState {
  profile: Response<'profile:get'> | null;
  section: string;
  loading: boolean;
  draft: Draft | null;
  changes: FieldChange[] | null;
  saving: boolean;
  saved: BlockSummary | null;
  error: ApiError | null;
  load(): Promise<void>;
  selectSection(section: string): void;
  /** Shows exactly what the edit would change; nothing is signed yet. */
  review(draft: Draft): Promise<boolean>;
  /** Signs the reviewed draft into a new block. */
  sign(): Promise<BlockSummary | null>;
  cancel(): void;
  /** Forgets everything shown (on lock). */
  reset(): void;
}

export function createProfileStore(api: ApiClient) {
  return createStore<ProfileState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, loading: false, saving: false });
    return {
      profile: null,
      section: 'public',
      loading: false,
      draft: null,
      changes: null,
      saving: false,
      saved: null,
      error: null,
      async load() {
        set({ loading: true, error: null });
        const profile = await settle(api.call('profile:get', {}), fail);
        if (profile === null) return;
        const names = profile.sections.map((s) => s.name);
        set({ profile, loading: false, section: names.includes(get().section) ? get().section : (names[0] ?? 'public') });
      },
      selectSection: (section) => set({ section, draft: null, changes: null, error: null, saved: null }),
      async review(draft) {
        set({ error: null, saved: null, draft, changes: null });
        const preview = await settle(api.call('profile:preview', { section: draft.section, ops: [draft.op] }), fail);
        if (preview === null) return false;
        set({ changes: preview.changes });
        return true;
      },
      async sign() {
        const { draft } = get();
        if (draft === null) return null;
        set({ saving: true, error: null });
        const result = draft.op.op === 'set'
          ? await settle(api.call('profile:set', { section: draft.section, path: draft.op.path, value: draft.op.value }), fail)
          : await settle(api.call('profile:unset', { section: draft.section, path: draft.op.path }), fail);
        if (result === null) return null;
        set({ saving: false, draft: null, changes: null, saved: result.block });
        await get().load();
        return result.block;
      },
      cancel: () => set({ draft: null, changes: null, error: null }),
      reset: () => set({ profile: null, draft: null, changes: null, saved: null, error: null, section: 'public' }),
    };
  });
}
