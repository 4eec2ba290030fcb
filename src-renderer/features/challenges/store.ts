// The Challenges screen's state: the challenges this chain records and those waiting in the mail, with the
// wallet's clock at loading (the screen counts down from it with its own timer); the holder's answer to one
// that waits, whose file is handed back when no mailbox took it.
import { createStore } from 'zustand/vanilla';
import type { ApiError, ChallengeViewData, Download, IncomingChallenge, Response, WaitingOutcome } from '../../../src-preload/api/contract.ts';
import type { DuelMailData, DuelViewData } from '../../../src-preload/api/duels.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type ChallengesAction = 'load' | 'check' | 'answer' | 'send' | 'resolve' | 'take' | 'file' | 'back' | 'propose' | 'accept' | 'judge';

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
  /** Fetches mail now (new challenges arrive), then lists. */
  check(): Promise<void>;
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
    return {
      ...EMPTY,
      async load() {
        const result = await settle(api.call('challenges:list', {}), failAs('load'));
        if (result !== null) set({ challenges: result.challenges, incoming: result.incoming, clock: { wallet: result.now, local: now() } });
        const duels = await settle(api.call('duels:list', {}), failAs('load'));
        if (duels !== null) set({ duels: duels.duels, duelMail: duels.mail });
      },
      async check() {
        set({ busy: 'check', error: null, failed: null });
        await api.call('network:fetchMail', {});
        set({ busy: null });
        await get().load();
      },
      async answer(mail, answer) {
        set({ busy: 'answer', error: null, failed: null, answered: null });
        const result = await settle(api.call('challenges:answer', { mail, answer }), failAs('answer'));
        if (result === null) return false;
        set({ busy: null, answered: result });
        await get().load();
        return true;
      },
      async send(input) {
        set({ busy: 'send', error: null, failed: null, sent: null });
        const result = await settle(api.call('challenges:send', input), failAs('send'));
        if (result === null) return false;
        set({ busy: null, sent: { id: result.id, holder: result.holder, file: result.file } });
        return true;
      },
      async resolve(id, answer) {
        set({ busy: 'resolve', error: null, failed: null, resolved: null });
        const result = await settle(api.call('challenges:resolve', answer === undefined ? { id } : { id, answer }), failAs('resolve'));
        if (result === null) return false;
        set({ busy: null, resolved: result });
        await get().load();
        return true;
      },
      async takeOutcome(source) {
        set({ busy: 'take', error: null, failed: null, taken: null });
        const result = await settle(api.call('challenges:takeOutcome', source), failAs('take'));
        if (result === null) return false;
        set({ busy: null, taken: result.outcome });
        await get().load();
        return true;
      },
      async takeFile(bytes) {
        set({ busy: 'file', error: null, failed: null, tookFile: null });
        const result = await settle(api.call('challenges:takeFile', { bytes }), failAs('file'));
        if (result === null) return false;
        set({ busy: null, tookFile: result });
        await get().load();
        return true;
      },
      async back(id, input) {
        set({ busy: 'back', error: null, failed: null, sent: null });
        const result = await settle(api.call('challenges:back', { id, ...input }), failAs('back'));
        if (result === null) return false;
        set({ busy: null, sent: { id: result.id, holder: result.holder, file: result.file } });
        await get().load();
        return true;
      },
      async propose(input) {
        set({ busy: 'propose', error: null, failed: null, dueled: null });
        const result = await settle(api.call('duels:propose', input), failAs('propose'));
        if (result === null) return false;
        set({ busy: null, dueled: { id: result.id, step: 'proposed', files: result.file === null ? [] : [result.file] } });
        await get().load();
        return true;
      },
      async acceptDuel(mail) {
        set({ busy: 'accept', error: null, failed: null, dueled: null });
        const result = await settle(api.call('duels:accept', { mail }), failAs('accept'));
        if (result === null) return false;
        set({ busy: null, dueled: { id: result.id, step: 'accepted', files: result.files } });
        await get().load();
        return true;
      },
      async judgeDuel(mail, verdict) {
        set({ busy: 'judge', error: null, failed: null, dueled: null });
        const result = await settle(api.call('duels:judge', { mail, verdict }), failAs('judge'));
        if (result === null) return false;
        set({ busy: null, dueled: { id: result.id, step: 'judged', files: result.files } });
        await get().load();
        return true;
      },
      reset() {
        set(EMPTY);
      },
    };
  });
}
