// Open Badges: one's feat previewed as an unsigned OpenBadgeCredential (shown in a SignDialog with the
// endorsers it names), then signed and downloaded; and a badge file checked on this device (the Verify screen).
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type BadgePreview = Response<'badges:preview'> & { claim: string };
export type BadgeCheck = Response<'badges:verify'>;

export interface BadgesState {
  /** The badge about to be signed: its unsigned JSON, the endorsers it names, its date. */
  preview: BadgePreview | null;
  /** The last badge signed, for which claim, to download. */
  exported: { claim: string; file: Download; endorsers: string[] } | null;
  /** The last badge file checked, by name. */
  check: { name: string; result: BadgeCheck } | null;
  busy: 'preview' | 'export' | 'verify' | null;
  /** The last failure, and for which claim (null: the Verify screen's). */
  error: { claim: string | null; error: ApiError } | null;
  previewBadge(claim: string): Promise<BadgePreview | null>;
  /** Signs the badge previewed (same date): what the dialog showed is what is signed. */
  exportBadge(): Promise<Download | null>;
  cancel(): void;
  verify(name: string, text: string): Promise<BadgeCheck | null>;
  reset(): void;
}

export function createBadgesStore(api: ApiClient) {
  return createStore<BadgesState>()((set, get) => ({
    preview: null,
    exported: null,
    check: null,
    busy: null,
    error: null,
    async previewBadge(claim) {
      set({ busy: 'preview', error: null, preview: null });
      const preview = await settle(api.call('badges:preview', { claim }), (error) => set({ busy: null, error: { claim, error } }));
      if (preview === null) return null;
      const shown = { ...preview, claim };
      set({ busy: null, preview: shown });
      return shown;
    },
    async exportBadge() {
      const preview = get().preview;
      if (preview === null) return null;
      set({ busy: 'export', error: null });
      const made = await settle(api.call('badges:export', { claim: preview.claim, validFrom: preview.validFrom }), (error) => set({ busy: null, error: { claim: preview.claim, error } }));
      if (made === null) return null;
      set({ busy: null, preview: null, exported: { claim: preview.claim, file: made.file, endorsers: made.endorsers } });
      return made.file;
    },
    cancel() {
      set({ preview: null });
    },
    async verify(name, text) {
      set({ busy: 'verify', error: null, check: null });
      const result = await settle(api.call('badges:verify', { text }), (error) => set({ busy: null, error: { claim: null, error } }));
      if (result === null) return null;
      set({ busy: null, check: { name, result } });
      return result;
    },
    reset() {
      set({ preview: null, exported: null, check: null, busy: null, error: null });
    },
  }));
}
