// Honor in this window: each did's honor as this wallet computes it (good, flagged, barred, with the
// evidence), loaded once per did and again after a report; and "Report this witness": the review is drafted
// first (the exact fields the confirmation shows), then signed with the same fields.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, HonorView, ReviewView } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type HonorAction = 'draft' | 'report';

export interface ReviewDraft {
  claim: string;
  witness: string;
  reason: string;
}

export interface HonorState {
  /** Honor by did, as loaded. */
  views: Record<string, HonorView>;
  /** The review drafted and shown for confirmation, before it is signed. */
  draft: ReviewView | null;
  /** The last review signed, with its file and how many replicas took it. */
  reported: { review: ReviewView; file: Download; spread: number } | null;
  busy: HonorAction | null;
  error: ApiError | null;
  load(did: string): Promise<HonorView | null>;
  /** Drafts the review (nothing is signed); the confirmation shows `draft`. */
  prepare(input: ReviewDraft): Promise<ReviewView | null>;
  /** Signs the drafted review, exactly as shown. */
  report(): Promise<Download | null>;
  cancel(): void;
  reset(): void;
}

export function createHonorStore(api: ApiClient) {
  return createStore<HonorState>()((set, get) => {
    const failAs = () => (error: ApiError) => set({ error, busy: null });
    return {
      views: {},
      draft: null,
      reported: null,
      busy: null,
      error: null,
      async load(did) {
        const result = await api.call('honor:of', { did });
        if (!result.ok) return null;
        set({ views: { ...get().views, [did]: result.value } });
        return result.value;
      },
      async prepare(input) {
        set({ busy: 'draft', error: null, reported: null });
        const result = await settle(api.call('honor:draftReview', input), failAs());
        if (result === null) return null;
        set({ busy: null, draft: result.review });
        return result.review;
      },
      async report() {
        const draft = get().draft;
        if (draft === null) return null;
        set({ busy: 'report', error: null });
        const result = await settle(api.call('honor:report', { claim: draft.claim, witness: draft.witness, reason: draft.reason, ts: draft.ts }), failAs());
        if (result === null) return null;
        set({ busy: null, draft: null, reported: result });
        await get().load(draft.witness);
        return result.file;
      },
      cancel() {
        set({ draft: null, error: null, busy: null });
      },
      reset() {
        set({ views: {}, draft: null, reported: null, busy: null, error: null });
      },
    };
  });
}
