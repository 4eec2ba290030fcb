// The Challenges store over a fake API: the list with the wallet's clock (to count down from), an answer
// that reloads the list and hands back the file no mailbox took, a challenge sent from the Verify screen,
// and failures kept per action; the deadline countdown in words.
import { describe, expect, it } from 'vitest';
import { createChallengesStore } from '../features/challenges/store.ts';
import { timeLeft } from '../features/challenges/time-left.ts';
import { fakeApi, ok } from './fake-api.ts';

const incoming = { mail: 'm1', id: 'bafych', from: 'did:key:z6Mkstranger', claim: 'bafyclaim', title: 'Marathon', deadline: 10_000 };

describe('the challenges store', () => {
  it('loads with the wallet clock, answers, reloads, keeps the file to hand over', async () => {
    let waiting = [incoming];
    const api = fakeApi({
      'challenges:list': () => ok({ challenges: [], incoming: waiting, now: 5_000 }),
      'duels:list': () => ok({ duels: [], mail: [], now: 5_000 }),
      'challenges:answer': () => {
        waiting = [];
        return ok({ id: 'bafych', answer: 'decline' as const, reperformance: null, file: { name: 'challenge-answer-for-x', bytes: 'AA==' } });
      },
    });
    const store = createChallengesStore(api, () => 42);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ incoming: [incoming], clock: { wallet: 5_000, local: 42 } });
    expect(await store.getState().answer('m1', 'decline')).toBe(true);
    expect(api.calls.map(([c]) => c)).toEqual(['challenges:list', 'duels:list', 'challenges:answer', 'challenges:list', 'duels:list']);
    expect(api.calls[2]![1]).toEqual({ mail: 'm1', answer: 'decline' });
    expect(store.getState()).toMatchObject({ incoming: [], answered: { answer: 'decline', file: { name: 'challenge-answer-for-x' } }, busy: null });
  });

  it('keeps a refusal with the action that failed; send reports the file', async () => {
    const api = fakeApi({
      'challenges:answer': () => ({ ok: false, error: { code: 'social/deadline', message: 'the deadline of this challenge has passed' } }),
      'challenges:send': () => ok({ id: 'bafych2', holder: 'did:key:z6Mkholder', claim: 'bafyclaim', file: null }),
    });
    const store = createChallengesStore(api);
    expect(await store.getState().answer('m1', 'accept')).toBe(false);
    expect(store.getState()).toMatchObject({ failed: 'answer', error: { code: 'social/deadline' }, busy: null });
    expect(await store.getState().send({ text: '{}', deadline: 1, witnesses: ['did:key:z6Mkw'], k: 1 })).toBe(true);
    expect(store.getState()).toMatchObject({ failed: null, sent: { id: 'bafych2', file: null } });
  });

  it('lists duels and their mail; accepts and judges from the mail, keeping the files no mailbox took', async () => {
    const duelMail = {
      mail: 'd1', id: 'bafyduel', from: 'did:key:z6Mkb', waits: 'judge' as const, a: 'did:key:z6Mka', b: 'did:key:z6Mkb', title: 'Chess', featType: 'chess', criteria: '',
      time: 1_000, judgeUntil: 9_000, judges: ['did:key:z6Mkme'], k: 1,
    };
    let mail = [duelMail];
    const api = fakeApi({
      'challenges:list': () => ok({ challenges: [], incoming: [], now: 5_000 }),
      'duels:list': () => ok({ duels: [], mail, now: 5_000 }),
      'duels:judge': () => {
        mail = [];
        return ok({ id: 'bafyduel', files: [{ name: 'duel-verdict-for-a', bytes: 'AA==' }] });
      },
      'duels:propose': () => ({ ok: false, error: { code: 'social/deadline', message: 'a duel is proposed before its time, and judged after it' } }),
    });
    const store = createChallengesStore(api);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ duels: [], duelMail: [duelMail] });
    expect(await store.getState().judgeDuel('d1', 'a')).toBe(true);
    expect(api.calls.find(([c]) => c === 'duels:judge')![1]).toEqual({ mail: 'd1', verdict: 'a' });
    expect(store.getState()).toMatchObject({ duelMail: [], dueled: { id: 'bafyduel', step: 'judged', files: [{ name: 'duel-verdict-for-a' }] }, busy: null });
    expect(await store.getState().propose({ b: 'did:key:z6Mkb', title: 'Chess', featType: 'chess', criteria: '', time: 2, judgeUntil: 1, judges: ['did:key:z6Mkw'], k: 1 })).toBe(false);
    expect(store.getState()).toMatchObject({ failed: 'propose', error: { code: 'social/deadline' }, dueled: null });
  });

  it('counts down in words', () => {
    expect(timeLeft(10_000, 20_000)).toBe('the deadline has passed');
    expect(timeLeft(3 * 86_400_000 + 2 * 3_600_000 + 5 * 60_000, 0)).toBe('3 d 2 h 5 min left');
    expect(timeLeft(59 * 60_000, 0)).toBe('59 min left');
  });
});
