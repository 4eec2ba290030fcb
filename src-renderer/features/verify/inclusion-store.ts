// "Did you X?": check an inclusion bundle (a block's header, its path to a root its owner signed, and maybe
// its revealed body) on this device, locked or not; and make one from the Timeline ("Prove this block is in
// my history"), which writes no block and asks for no signature dialog: the bundle carries the owner's
// existing checkpoint, or the head record the wallet publishes anyway.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type InclusionCheck = Response<'history:verify'>;
export type MadeInclusion = Response<'history:prove'>;

export interface InclusionState {
  result: { name: string; check: InclusionCheck } | null;
  checking: boolean;
  making: number | null;
  error: ApiError | null;
  check(name: string, text: string): Promise<InclusionCheck | null>;
  /** The bundle of block `seq` of one's own chain (the face saves it). */
  prove(seq: number, reveal: boolean): Promise<MadeInclusion | null>;
  reset(): void;
}

export function createInclusionStore(api: ApiClient) {
  return createStore<InclusionState>()((set) => ({
    result: null,
    checking: false,
    making: null,
    error: null,
    async check(name, text) {
      set({ checking: true, error: null, result: null });
      const check = await settle(api.call('history:verify', { text }), (error) => set({ error, checking: false }));
      if (check !== null) set({ checking: false, result: { name, check } });
      return check;
    },
    async prove(seq, reveal) {
      set({ making: seq, error: null });
      const made = await settle(api.call('history:prove', { seq, reveal }), (error) => set({ error, making: null }));
      if (made !== null) set({ making: null });
      return made;
    },
    reset() {
      set({ result: null, checking: false, error: null });
    },
  }));
}
