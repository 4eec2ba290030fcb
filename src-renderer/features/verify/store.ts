// Verify: ask for a proof (a nonce this device issues and remembers), and a proof file checked with the
// verification keys alone, against an optional trust root or a list whose root the verifier computes itself,
// and either a nonce issued here (taken once) or one the verifier names. Works with the wallet locked, or before
// any identity exists (except against "my trusted witnesses").
import { createStore } from 'zustand/vanilla';
import type { ApiError, VerifiedProof } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';
import { newJobId } from '../../lib/job-id.ts';

/** The list the verifier checks against: its own trusted witnesses, an authority's published list, or these people. */
export type VerifyTrust = { list: 'mine' } | { authority: string } | { members: string[] };

export interface VerifyState {
  /** The last nonce asked for here, and until when (ms) a proof for it is taken. */
  asked: { nonce: string; expires: number } | null;
  asking: boolean;
  ask(ttlMs?: number): Promise<{ nonce: string; expires: number } | null>;
  /** `text`: the proof file, kept so a valid feat proof can be challenged. */
  result: { name: string; text: string; proof: VerifiedProof; trustRoot: string | null; trust: VerifyTrust | null; nonce: string | null } | null;
  busy: boolean;
  /** The check running now (to cancel it), and whether the last one was cancelled. */
  job: string | null;
  cancelled: boolean;
  error: ApiError | null;
  /** Stops the check running now: its proving process is killed and no result is shown. */
  cancel(): Promise<void>;
  /** `archives`: the list's chains as archive files, when the network cannot fetch them. */
  verify(input: { name: string; text: string; trustRoot?: string; trust?: VerifyTrust; nonce?: string; archives?: Uint8Array[] }): Promise<VerifiedProof | null>;
  reset(): void;
}

export function createVerifyStore(api: ApiClient) {
  return createStore<VerifyState>()((set, get) => ({
    asked: null,
    asking: false,
    async ask(ttlMs) {
      set({ asking: true, error: null });
      const asked = await settle(api.call('verify:request', ttlMs === undefined ? {} : { ttlMs }), (error) => set({ error, asking: false }));
      if (asked !== null) set({ asked, asking: false });
      return asked;
    },
    result: null,
    busy: false,
    job: null,
    cancelled: false,
    error: null,
    async cancel() {
      const job = get().job;
      if (job !== null) await api.call('feats:cancelProof', { job });
    },
    async verify({ name, text, trustRoot, trust, nonce, archives }) {
      const job = newJobId();
      set({ busy: true, error: null, result: null, job, cancelled: false });
      const request = { text, job, ...(trustRoot ? { trustRoot } : {}), ...(trust ? { trust } : {}), ...(nonce ? { nonce } : {}), ...(archives && archives.length > 0 ? { archives } : {}) };
      const proof = await settle(api.call('verify:proof', request), (error) => set(error.code === 'zk/cancelled' ? { busy: false, job: null, cancelled: true } : { error, busy: false, job: null }));
      if (proof === null) return null;
      set({ busy: false, job: null, result: { name, text, proof, trustRoot: trustRoot ?? null, trust: trust ?? null, nonce: nonce ?? null } });
      return proof;
    },
    reset() {
      set({ result: null, busy: false, error: null, job: null, cancelled: false });
    },
  }));
}
