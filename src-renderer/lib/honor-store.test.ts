// The honor store over a fake API: "Report this witness" signs exactly the draft the confirmation showed
// (same fields, same time), a refusal is kept in plain words with nothing signed, and a report reloads the
// witness's honor.
import { describe, expect, it } from 'vitest';
import { createHonorStore } from '../features/honor/store.ts';
import { fakeApi } from './fake-api.ts';

const review = { reviewer: 'did:key:zMe', witness: 'did:key:zW', claim: 'bafyclaim', reason: 'was not there', ts: 1234 };

describe('honor store', () => {
  it('signs the drafted review with its exact fields and time, then reloads the witness', async () => {
    const api = fakeApi({
      'honor:draftReview': () => ({ ok: true, value: { review } }),
      'honor:report': () => ({ ok: true, value: { review, spread: 2, file: { name: 'r.evidence', bytes: 'AA==' } } }),
      'honor:of': () => ({ ok: true, value: { did: review.witness, status: 'good', until: null, reviews: { counted: 1, needed: 3 }, evidence: [] } }),
    });
    const store = createHonorStore(api);
    expect(await store.getState().prepare({ claim: 'bafyclaim', witness: 'did:key:zW', reason: 'was not there' })).toEqual(review);
    expect(api.calls.map(([c]) => c)).toEqual(['honor:draftReview']);
    expect(await store.getState().report()).toEqual({ name: 'r.evidence', bytes: 'AA==' });
    expect(api.calls[1]).toEqual(['honor:report', { claim: review.claim, witness: review.witness, reason: review.reason, ts: 1234 }]);
    expect(store.getState()).toMatchObject({ draft: null, reported: { spread: 2 }, views: { 'did:key:zW': { status: 'good' } } });
  });

  it('keeps a refusal and signs nothing; cancelling drops the draft', async () => {
    const api = fakeApi({ 'honor:draftReview': () => ({ ok: false, error: { code: 'honor/self-review', message: 'a witness cannot review themselves' } }) });
    const store = createHonorStore(api);
    expect(await store.getState().prepare({ claim: 'c', witness: 'did:key:zMe', reason: 'x' })).toBeNull();
    expect(store.getState()).toMatchObject({ draft: null, busy: null, error: { code: 'honor/self-review' } });
    expect(await store.getState().report()).toBeNull();
    expect(api.calls.map(([c]) => c)).toEqual(['honor:draftReview']);
    store.getState().cancel();
    expect(store.getState().error).toBeNull();
  });
});
