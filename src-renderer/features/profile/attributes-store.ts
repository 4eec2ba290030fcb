// Attributes on the Profile screen: the credentials issuers gave this holder, importing one, proving a
// field's issued value against a verifier's nonce (stages pushed by Electron, polled by the browser), and,
// for issuers, signing a holder's field value into a credential file.
import { createStore } from 'zustand/vanilla';
import type { ApiError, Download, ProveStage, Request, Response } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';
import { POLL_MS, STAGES } from '../feats/store.ts';
import { newJobId } from '../../lib/job-id.ts';

export type AttributesAction = 'load' | 'import' | 'prove' | 'issue';
export type Credential = Response<'attributes:list'>['credentials'][number];
export type ProveRequest = Omit<Request<'attributes:prove'>, 'job'>;

export interface AttributesState {
  credentials: Credential[] | null;
  busy: AttributesAction | null;
  error: ApiError | null;
  failed: AttributesAction | null;
  done: { action: AttributesAction; text: string } | null;
  /** The proof being made, and the stage it reached. */
  proving: { field: string; job: string; stage: ProveStage | null } | null;
  /** The last proof made, to download. */
  proof: { field: string; issuer: string; nonce: string; file: Download } | null;
  /** The last credential issued, to download and hand to the holder. */
  issued: { statement: string; file: Download } | null;
  load(): Promise<void>;
  importCredential(bytes: Uint8Array): Promise<boolean>;
  prove(request: ProveRequest): Promise<Download | null>;
  /** Cancels the proof being made: prove then fails with `zk/cancelled`, and nothing is kept. */
  cancelProve(): Promise<void>;
  issue(request: Request<'attributes:issue'>): Promise<Download | null>;
}

export function createAttributesStore(api: ApiClient, timers: { every(ms: number, run: () => void): () => void } = {
  every: (ms, run) => {
    const id = setInterval(run, ms);
    return () => clearInterval(id);
  },
}) {
  return createStore<AttributesState>()((set, get) => {
    const failAs = (action: AttributesAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    const start = (action: AttributesAction) => set({ busy: action, error: null, failed: null, done: null });
    const reach = (stage: ProveStage) => {
      const current = get().proving;
      if (current === null || (current.stage !== null && STAGES.indexOf(stage) <= STAGES.indexOf(current.stage))) return;
      set({ proving: { ...current, stage } });
    };
    const refresh = async () => {
      const listed = await settle(api.call('attributes:list', {}), failAs('load'));
      if (listed !== null) set({ credentials: listed.credentials });
    };
    return {
      credentials: null, busy: null, error: null, failed: null, done: null, proving: null, proof: null, issued: null,
      async load() {
        start('load');
        await refresh();
        if (get().failed === null) set({ busy: null });
      },
      async importCredential(bytes) {
        start('import');
        const result = await settle(api.call('attributes:import', { bytes }), failAs('import'));
        if (result === null) return false;
        await refresh();
        set({ busy: null, done: { action: 'import', text: result.kept ? `Kept: ${result.field} = ${result.value}, issued by ${result.issuer}.` : `Not kept: a newer credential from ${result.issuer} for ${result.field} is held already.` } });
        return true;
      },
      async prove(request) {
        start('prove');
        const job = newJobId();
        set({ proving: { field: request.field, job, stage: null }, proof: null });
        const unsubscribe = api.subscribe('feats:progress', (p) => {
          if (p.job === job) reach(p.stage);
        });
        const stopPolling = api.kind === 'browser'
          ? timers.every(POLL_MS, () => {
            void api.call('attributes:proveStatus', { job }).then((r) => {
              if (r.ok && r.value.stage !== null) reach(r.value.stage);
            });
          })
          : () => undefined;
        try {
          const result = await settle(api.call('attributes:prove', { ...request, job }), failAs('prove'));
          if (result === null) {
            set({ proving: null });
            return null;
          }
          set({ busy: null, proving: null, proof: { field: request.field, issuer: result.issuer, nonce: result.nonce, file: result.file }, done: { action: 'prove', text: 'The proof is ready.' } });
          return result.file;
        } finally {
          unsubscribe();
          stopPolling();
        }
      },
      async cancelProve() {
        const job = get().proving?.job;
        if (job !== undefined) await api.call('attributes:cancelProof', { job });
      },
      async issue(request) {
        start('issue');
        set({ issued: null });
        const result = await settle(api.call('attributes:issue', request), failAs('issue'));
        if (result === null) return null;
        set({ busy: null, issued: result, done: { action: 'issue', text: `Signed: ${result.statement}.` } });
        return result.file;
      },
    };
  });
}
