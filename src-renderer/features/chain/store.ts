// Chain: the timeline, newest first, fetched page by page as it scrolls; one block's diff; verification.
import { createStore } from 'zustand/vanilla';
import type { ApiError, BlockSummary, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export const PAGE = 200;

export interface ChainState {
  total: number | null;
  /** The bodies of blocks below this seq are in the archive tier. */
  archivedThrough: number;
  /** Blocks by their row index (0 = head); rows not fetched yet are missing. */
  rows: Record<number, BlockSummary>;
  /** Pages being fetched or fetched, by page number. */
  pages: Record<number, 'loading' | 'done'>;
  selected: number | null;
  detail: Response<'chain:block'> | null;
  detailLoading: boolean;
  report: Response<'chain:verify'> | null;
  verifying: boolean;
  error: ApiError | null;
  refresh(): Promise<void>;
  /** Makes sure the rows [from, to) are fetched. */
  ensure(from: number, to: number): Promise<void>;
  select(seq: number | null): Promise<void>;
  verify(): Promise<void>;
  /** Forgets everything shown (on lock). */
  reset(): void;
}

export function createChainStore(api: ApiClient) {
  return createStore<ChainState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, detailLoading: false, verifying: false });
    const fetchPage = async (page: number) => {
      if (get().pages[page] !== undefined) return;
      set({ pages: { ...get().pages, [page]: 'loading' } });
      const log = await settle(api.call('chain:log', { offset: page * PAGE, limit: PAGE, order: 'desc' }), fail);
      if (log === null) {
        const pages = { ...get().pages };
        delete pages[page];
        set({ pages });
        return;
      }
      const rows = { ...get().rows };
      log.items.forEach((item, i) => {
        rows[page * PAGE + i] = item;
      });
      set({ rows, total: log.total, archivedThrough: log.archivedThrough, pages: { ...get().pages, [page]: 'done' } });
    };
    return {
      total: null,
      archivedThrough: 0,
      rows: {},
      pages: {},
      selected: null,
      detail: null,
      detailLoading: false,
      report: null,
      verifying: false,
      error: null,
      async refresh() {
        set({ rows: {}, pages: {}, error: null });
        await fetchPage(0);
      },
      async ensure(from, to) {
        const first = Math.floor(Math.max(0, from) / PAGE);
        const last = Math.floor(Math.max(0, to - 1) / PAGE);
        const work: Promise<void>[] = [];
        for (let page = first; page <= last; page++) work.push(fetchPage(page));
        await Promise.all(work);
      },
      async select(seq) {
        if (seq === null) return set({ selected: null, detail: null });
        set({ selected: seq, detail: null, detailLoading: true, error: null });
        const detail = await settle(api.call('chain:block', { seq }), fail);
        if (detail !== null && get().selected === seq) set({ detail, detailLoading: false });
      },
      reset: () => set({ total: null, archivedThrough: 0, rows: {}, pages: {}, selected: null, detail: null, report: null, error: null }),
      async verify() {
        set({ verifying: true, error: null });
        const report = await settle(api.call('chain:verify', {}), fail);
        if (report !== null) set({ report, verifying: false });
      },
    };
  });
}
