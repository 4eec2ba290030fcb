// Session: is there an identity, is it unlocked, and the onboarding steps (create → show the words → ask
// three of them back; recover; unlock). The words live here only between creation and confirmation.
import { createStore } from 'zustand/vanilla';
import type { ApiError, SessionStatus } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';
import type { JobView } from '../../../src-preload/api/importui.ts';
import { newJobId } from '../../lib/job-id.ts';
import { realTimers, watchJob, type Timers } from '../import/job-watch.ts';

/** `verify`: checking someone's proof, which needs no identity and no unlocked wallet; `friends`: recovery by friends. */
export type OnboardingView = 'welcome' | 'create' | 'recover' | 'verify' | 'friends';

export interface SessionState {
  status: SessionStatus | null;
  view: OnboardingView;
  /** The 24 words, from creation until they are confirmed (never stored anywhere else). */
  words: string[] | null;
  /** Showing the words, or asking them back. */
  step: 'show' | 'confirm';
  busy: boolean;
  error: ApiError | null;
  /** While Recover brings the chain from the network: how far it is. */
  recovering: JobView | null;
  /** Why the chain did not come from the network after Recover (no peer, nobody holds a copy), for the unlock screen. */
  recoverNote: ApiError | null;
  load(): Promise<void>;
  setView(view: OnboardingView): void;
  setStep(step: 'show' | 'confirm'): void;
  create(passphrase: string, label?: string): Promise<boolean>;
  confirm(answers: { position: number; word: string }[]): Promise<boolean>;
  recover(mnemonic: string, passphrase: string): Promise<boolean>;
  unlock(passphrase: string): Promise<boolean>;
  lock(): Promise<void>;
  clearError(): void;
}

export function createSessionStore(api: ApiClient, timers: Timers = realTimers) {
  return createStore<SessionState>()((set, get) => {
    const fail = (error: ApiError) => set({ error, busy: false });
    const begin = () => set({ busy: true, error: null });
    return {
      status: null,
      view: 'welcome',
      words: null,
      step: 'show',
      busy: false,
      error: null,
      recovering: null,
      recoverNote: null,
      async load() {
        const status = await settle(api.call('session:status', {}), fail);
        if (status !== null) set({ status });
      },
      setView: (view) => set({ view, error: null }),
      setStep: (step) => set({ step, error: null }),
      async create(passphrase, label) {
        begin();
        const created = await settle(api.call('session:create', label ? { passphrase, label } : { passphrase }), fail);
        if (created === null) return false;
        set({ words: created.words, step: 'show', busy: false, status: { state: 'unlocked', id: created.id, confirm: created.confirm, chain: true } });
        return true;
      },
      async confirm(answers) {
        begin();
        const status = await settle(api.call('session:confirmMnemonic', { words: answers }), fail);
        if (status === null) return false;
        set({ status, busy: false, words: status.confirm === null ? null : get().words });
        return status.confirm === null;
      },
      async recover(mnemonic, passphrase) {
        begin();
        const job = newJobId();
        set({ recovering: null, recoverNote: null });
        const stop = watchJob(api, job, (recovering) => set({ recovering }), timers);
        const status = await settle(api.call('session:recover', { mnemonic: mnemonic.trim().split(/\s+/u).join(' ').toLowerCase(), passphrase, job }), fail);
        stop();
        set({ recovering: null });
        if (status === null) return false;
        let recoverNote: ApiError | null = null;
        if (!status.chain) {
          const ended = await api.call('jobs:status', { job });
          const view = ended.ok ? ended.value.job : null;
          recoverNote = view === null
            ? { code: 'network-off', message: 'The peer network is not running here, so your chain was not asked for.' }
            : (view.error ?? { code: 'network/no-copy', message: 'No one on the network holds a copy of your chain yet.' });
        }
        set({ status, busy: false, recoverNote });
        return true;
      },
      async unlock(passphrase) {
        begin();
        const status = await settle(api.call('session:unlock', { passphrase }), fail);
        if (status === null) return false;
        set({ status, busy: false });
        return true;
      },
      async lock() {
        const status = await settle(api.call('session:lock', {}), fail);
        if (status !== null) set({ status, words: null, view: 'welcome' });
      },
      clearError: () => set({ error: null }),
    };
  });
}
