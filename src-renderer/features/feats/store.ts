// Feats: the holder's claims with their progress toward the policy, claiming a new one with evidence,
// request files for witnesses, taking their replies in, the trust list and its root, and making a proof
// with its stages shown as they come (pushed by Electron, polled by the browser).
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, FeatView, MediaItem, ProveStage, Request, SentRequest, TrustEntry } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';
import { newJobId } from '../../lib/job-id.ts';

export type FeatsAction = 'load' | 'claim' | 'request' | 'import' | 'prove' | 'trust' | 'untrust' | 'sync';

export const STAGES: readonly ProveStage[] = ['loading', 'witness', 'proving', 'done'];

/** How often the browser asks for the proof's stage (it has no push channel). */
export const POLL_MS = 400;

export interface TrustRoot {
  root: string;
  members: string[];
  missing: string[];
}

export interface FeatsState {
  claims: FeatView[] | null;
  trust: TrustEntry[] | null;
  /** Attached media, to pick evidence from. */
  media: MediaItem[];
  /** Trust roots by feat type, as a verifier needs them. */
  roots: Record<string, TrustRoot>;
  busy: FeatsAction | null;
  error: ApiError | null;
  failed: FeatsAction | null;
  /** What the last successful action did, in words, and for which claim. */
  done: { action: FeatsAction; text: string; claim?: string } | null;
  /** The request files made for one claim, to download one by one. */
  sent: { claim: string; requests: SentRequest[] } | null;
  /** A proof being made: the stage it reached, and its job (to cancel it). */
  proving: { claim: string; nonce: string; stage: ProveStage | null; job: string } | null;
  /** The last proof made. */
  proof: { claim: string; nonce: string; root: string; file: Download } | null;
  load(): Promise<void>;
  claim(input: Request<'feats:claim'>): Promise<FeatView | null>;
  requestWitnesses(claim: string, witnesses: string[]): Promise<SentRequest[] | null>;
  importReply(bytes: Uint8Array): Promise<boolean>;
  prove(claim: string, nonce: string): Promise<Download | null>;
  /** Stops the proof being made (its proving process is killed; nothing is made). */
  cancelProve(): Promise<void>;
  /** Trusts `did` for `featType`; `listed` puts the entry on the public list (else it is sealed). */
  trustAdd(did: string, featType: string, authority?: boolean, listed?: boolean): Promise<boolean>;
  trustRemove(did: string, featType: string): Promise<boolean>;
  /** Fetches the lists the trusted authorities published (community lists). */
  trustSync(): Promise<boolean>;
  loadRoot(featType: string): Promise<void>;
  clear(): void;
  reset(): void;
}


const initial = {
  claims: null, trust: null, media: [], roots: {}, busy: null, error: null, failed: null, done: null, sent: null, proving: null, proof: null,
} satisfies Partial<FeatsState>;

export function createFeatsStore(api: ApiClient, timers: { every(ms: number, run: () => void): () => void } = {
  every: (ms, run) => {
    const id = setInterval(run, ms);
    return () => clearInterval(id);
  },
}) {
  return createStore<FeatsState>()((set, get) => {
    const failAs = (action: FeatsAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    const start = (action: FeatsAction) => set({ busy: action, error: null, failed: null, done: null });
    const reach = (claim: string, stage: ProveStage) => {
      const current = get().proving;
      if (current === null || current.claim !== claim) return;
      if (current.stage !== null && STAGES.indexOf(stage) <= STAGES.indexOf(current.stage)) return;
      set({ proving: { ...current, stage } });
    };
    const refresh = async () => {
      const [list, trust, media] = await Promise.all([api.call('feats:list', {}), api.call('trust:list', {}), api.call('media:list', {})]);
      if (!list.ok) return failAs('load')(list.error);
      if (!trust.ok) return failAs('load')(trust.error);
      set({ claims: list.value.claims, trust: trust.value.entries, media: media.ok ? media.value.items : [] });
      const types = [...new Set(list.value.claims.map((c) => c.type))];
      await Promise.all(types.map((t) => get().loadRoot(t)));
    };
    return {
      ...initial,
      load: refresh,
      async claim(input) {
        start('claim');
        const result = await settle(api.call('feats:claim', input), failAs('claim'));
        if (result === null) return null;
        await refresh();
        set({ busy: null, done: { action: 'claim', text: `Claimed “${result.claim.title}” in block #${result.block.seq}.`, claim: result.claim.cid } });
        return result.claim;
      },
      async requestWitnesses(claim, witnesses) {
        start('request');
        set({ sent: null });
        const result = await settle(api.call('feats:requestWitnesses', { claim, witnesses }), failAs('request'));
        if (result === null) return null;
        set({ busy: null, sent: { claim, requests: result.requests } });
        return result.requests;
      },
      async importReply(bytes) {
        start('import');
        const result = await settle(api.call('feats:importReply', { bytes }), failAs('import'));
        if (result === null) return false;
        await refresh();
        const s = result.claim.status;
        const progress = s.met ? 'The policy is met.' : `${s.have} of ${s.need} so far.`;
        set({ busy: null, done: { action: 'import', claim: result.claim.cid, text: `Recorded: ${result.witness} ${result.verdict === 'yes' ? 'signed yes' : 'declined'} for “${result.claim.title}”. ${progress}` } });
        return true;
      },
      async prove(claim, nonce) {
        start('prove');
        const job = newJobId();
        set({ proving: { claim, nonce, stage: null, job }, proof: null });
        const unsubscribe = api.subscribe('feats:progress', (p) => {
          if (p.job === job) reach(claim, p.stage);
        });
        const stopPolling = api.kind === 'browser'
          ? timers.every(POLL_MS, () => {
            void api.call('feats:proveStatus', { job }).then((r) => {
              if (r.ok && r.value.stage !== null) reach(claim, r.value.stage);
            });
          })
          : () => undefined;
        try {
          const result = await settle(api.call('feats:prove', { claim, nonce, job }), (error) => (error.code === 'zk/cancelled'
            ? set({ busy: null, done: { action: 'prove', claim, text: 'Cancelled: no proof was made.' } })
            : failAs('prove')(error)));
          if (result === null) {
            set({ proving: null });
            return null;
          }
          set({ busy: null, proving: null, proof: { claim, nonce: result.nonce, root: result.root, file: result.file }, done: { action: 'prove', claim, text: 'The proof is ready.' } });
          return result.file;
        } finally {
          unsubscribe();
          stopPolling();
        }
      },
      async cancelProve() {
        const job = get().proving?.job;
        if (job !== undefined) await api.call('feats:cancelProof', { job });
      },
      async trustAdd(did, featType, authority = false, listed = false) {
        start('trust');
        const result = await settle(api.call('trust:add', { did, featType, authority, listed }), failAs('trust'));
        if (result === null) return false;
        await refresh();
        set({ busy: null, done: { action: 'trust', text: `You now trust ${did} for ${featType === '*' ? 'every kind of feat' : featType}.` } });
        return true;
      },
      async trustRemove(did, featType) {
        start('untrust');
        const result = await settle(api.call('trust:remove', { did, featType }), failAs('untrust'));
        if (result === null) return false;
        await refresh();
        set({ busy: null, done: { action: 'untrust', text: `You no longer trust ${did} for ${featType === '*' ? 'every kind of feat' : featType}.` } });
        return true;
      },
      async trustSync() {
        start('sync');
        const result = await settle(api.call('trust:sync', {}), failAs('sync'));
        if (result === null) return false;
        await refresh();
        const lines = result.authorities.map((a) => (a.fetched ? `${a.witnesses} witness${a.witnesses === 1 ? '' : 'es'} listed by ${a.authority}` : `${a.authority}: ${a.problem ?? 'not found'}`));
        set({ busy: null, done: { action: 'sync', text: result.authorities.length === 0 ? 'You trust no authority yet: mark one as an authority to adopt its list.' : `Fetched: ${lines.join('; ')}.` } });
        return true;
      },
      async loadRoot(featType) {
        const result = await api.call('trust:root', { featType });
        if (result.ok) set({ roots: { ...get().roots, [featType]: result.value } });
      },
      clear() {
        set({ error: null, failed: null, done: null });
      },
      reset() {
        set({ ...initial });
      },
    };
  });
}
