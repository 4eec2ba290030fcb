// Verify: a proof file checked with the verification keys alone, against an optional trust root and nonce.
// Works with the wallet locked, or before any identity exists.
import { createStore } from 'zustand/vanilla';
import type { ApiError, VerifiedProof } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export interface VerifyState {
  result: { name: string; proof: VerifiedProof; trustRoot: string | null; nonce: string | null } | null;
  busy: boolean;
  error: ApiError | null;
  verify(input: { name: string; text: string; trustRoot?: string; nonce?: string }): Promise<VerifiedProof | null>;
  reset(): void;
}

export function createVerifyStore(api: ApiClient) {
  return createStore<VerifyState>()((set) => ({
    result: null,
    busy: false,
    error: null,
    async verify({ name, text, trustRoot, nonce }) {
      set({ busy: true, error: null, result: null });
      const request = { text, ...(trustRoot ? { trustRoot } : {}), ...(nonce ? { nonce } : {}) };
      const proof = await settle(api.call('verify:proof', request), (error) => set({ error, busy: false }));
      if (proof === null) return null;
      set({ busy: false, result: { name, proof, trustRoot: trustRoot ?? null, nonce: nonce ?? null } });
      return proof;
    },
    reset() {
      set({ result: null, busy: false, error: null });
    },
  }));
}
