// The Challenges screen's state: the challenges this chain records and those waiting in the mail, with the
// wallet's clock at loading (the screen counts down from it with its own timer); the holder's answer to one
// that waits, whose file is handed back when no mailbox took it.
import { createStore } from 'zustand/vanilla';
import type { ApiError, ChallengeViewData, Download, IncomingChallenge, Response, Result, WaitingOutcome } from '../../../src-preload/api/contract.ts';
import type { DuelMailData, DuelViewData } from '../../../src-preload/api/duels.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type ChallengesAction = 'load' | 'answer' | 'send' | 'resolve' | 'take' | 'file' | 'back' | 'propose' | 'accept' | 'judge';

/** What a duel proposal names (the other party, the feat, its time, the panel). */
export interface DuelProposal {
  b: string;
  title: string;
  featType: string;
  criteria: string;
  time: number;
  judgeUntil: number;
  judges: string[];
  k: number;
}

export interface ChallengesState {
  challenges: ChallengeViewData[] | null;
  incoming: IncomingChallenge[] | null;
  /** The wallet's clock when the list was loaded, and the window's clock then (to count down from). */
  clock: { wallet: number; local: number } | null;
  busy: ChallengesAction | null;
  error: ApiError | null;
  failed: ChallengesAction | null;
  /** The last answer given; `file` when it has to be handed over. */
  answered: { id: string; answer: 'accept' | 'decline'; reperformance: string | null; file: Download | null } | null;
  load(): Promise<void>;
  answer(mail: string, answer: 'accept' | 'decline'): Promise<boolean>;
  /** The last challenge sent from the Verify screen; `file` when it has to be handed to the holder. */
  sent: { id: string; holder: string; file: Download | null } | null;
  send(input: { text: string; deadline: number; witnesses: string[]; k: number }): Promise<boolean>;
  /** The last outcome signed here (resolve): the file for the loser when no mailbox took it, the public outcome, the witnesses a refutation names. */
  resolved: Response<'challenges:resolve'> | null;
  /** `answer`: the holder's answer from the mail (its id) or as a file's bytes; none for a timeout or the holder's own win. */
  resolve(id: string, answer?: { mail: string } | { bytes: Uint8Array }): Promise<boolean>;
  /** The last outcome taken in (from the mail, or a file's bytes). */
  taken: WaitingOutcome | null;
  takeOutcome(source: { mail: string } | { bytes: Uint8Array }): Promise<boolean>;
  /** The last document taken in from a file (into the mail, so the lists show it). */
  tookFile: Response<'challenges:takeFile'> | null;
  takeFile(bytes: Uint8Array): Promise<boolean>;
  /** Challenges back on settled challenge `id` with a proof of the other party's feat of the same kind (its text); as `sent`. */
  back(id: string, input: { text: string; deadline: number; witnesses: string[]; k: number }): Promise<boolean>;
  /** The duels this chain records, and the duel documents waiting in the mail (to accept, take in, or judge). */
  duels: DuelViewData[] | null;
  duelMail: DuelMailData[] | null;
  /** The last duel step done (proposed, accepted, judged), with the files no mailbox took. */
  dueled: { id: string; step: 'proposed' | 'accepted' | 'judged'; files: Download[] } | null;
  propose(input: DuelProposal): Promise<boolean>;
  acceptDuel(mail: string): Promise<boolean>;
  judgeDuel(mail: string, verdict: 'a' | 'b' | 'draw'): Promise<boolean>;
  reset(): void;
}

const EMPTY = { challenges: null, incoming: null, clock: null, busy: null, error: null, failed: null, answered: null, sent: null, resolved: null, taken: null, tookFile: null, duels: null, duelMail: null, dueled: null };

/** `now` is the window's clock (injected so tests set it). */
export function createChallengesStore(api: ApiClient, now: () => number = () => Date.now()) {
  return createStore<ChallengesState>()((set, get) => {
    const failAs = (action: ChallengesAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    /** One step that signs or records: busy while it runs, `cleared` emptied first, `done` kept from its result, then the lists again. */
    const step = async <T>(action: ChallengesAction, cleared: Partial<ChallengesState>, call: () => Promise<Result<T>>, done: (result: T) => Partial<ChallengesState>): Promise<boolean> => {
      set({ busy: action, error: null, failed: null, ...cleared });
      const result = await settle(call(), failAs(action));
      if (result === null) return false;
      set({ busy: null, ...done(result) });
      await get().load();
      return true;
    };
    return {
      ...EMPTY,
      async load() {
        const result = await settle(api.call('challenges:list', {}), failAs('load'));
        if (result !== null) set({ challenges: result.challenges, incoming: result.incoming, clock: { wallet: result.now, local: now() } });
        const duels = await settle(api.call('duels:list', {}), failAs('load'));
        if (duels !== null) set({ duels: duels.duels, duelMail: duels.mail });
      },
      answer: (mail, answer) => step('answer', { answered: null }, () => api.call('challenges:answer', { mail, answer }), (result) => ({ answered: result })),
      async send(input) {
        set({ busy: 'send', error: null, failed: null, sent: null });
        const result = await settle(api.call('challenges:send', input), failAs('send'));
        if (result === null) return false;
        set({ busy: null, sent: { id: result.id, holder: result.holder, file: result.file } });
        return true;
      },
      resolve: (id, answer) => step('resolve', { resolved: null }, () => api.call('challenges:resolve', answer === undefined ? { id } : { id, answer }), (result) => ({ resolved: result })),
      takeOutcome: (source) => step('take', { taken: null }, () => api.call('challenges:takeOutcome', source), (result) => ({ taken: result.outcome })),
      takeFile: (bytes) => step('file', { tookFile: null }, () => api.call('challenges:takeFile', { bytes }), (result) => ({ tookFile: result })),
      back: (id, input) => step('back', { sent: null }, () => api.call('challenges:back', { id, ...input }), (result) => ({ sent: { id: result.id, holder: result.holder, file: result.file } })),
      propose: (input) => step('propose', { dueled: null }, () => api.call('duels:propose', input), (result) => ({ dueled: { id: result.id, step: 'proposed', files: result.file === null ? [] : [result.file] } })),
      acceptDuel: (mail) => step('accept', { dueled: null }, () => api.call('duels:accept', { mail }), (result) => ({ dueled: { id: result.id, step: 'accepted', files: result.files } })),
      judgeDuel: (mail, verdict) => step('judge', { dueled: null }, () => api.call('duels:judge', { mail, verdict }), (result) => ({ dueled: { id: result.id, step: 'judged', files: result.files } })),
      reset() {
        set(EMPTY);
      },
    };
  });
}
