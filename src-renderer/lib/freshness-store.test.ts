// The freshness store: behind when the network's head is longer than the chain here, not when the network
// was not reached or agrees; one check at a time however often the shell asks; a failure kept, not thrown.
import { describe, expect, it } from 'vitest';
import { createFreshnessStore } from '../features/import/freshness-store.ts';
import { fakeApi, ok } from './fake-api.ts';

describe('freshness store', () => {
  it('is behind only when the network knows a longer chain', async () => {
    const answers = [
      { local: 4, network: { reached: false, length: null }, older: false },
      { local: 4, network: { reached: true, length: 4 }, older: false },
      { local: 4, network: { reached: true, length: 6 }, older: true },
    ];
    let next = 0;
    const store = createFreshnessStore(fakeApi({ 'archive:freshness': () => ok(answers[next++]!) }));
    for (const answer of answers) {
      expect(await store.getState().check()).toEqual(answer);
      expect(store.getState()).toMatchObject({ freshness: answer, checking: false, error: null });
    }
  });

  it('asks once while a check runs, and keeps a failure as its error', async () => {
    let release: () => void = () => undefined;
    const api = fakeApi({ 'archive:freshness': () => new Promise((resolve) => (release = () => resolve({ ok: false, error: { code: 'locked', message: 'Unlock first.' } }))) });
    const store = createFreshnessStore(api);
    const first = store.getState().check();
    await store.getState().check();
    expect(api.calls).toHaveLength(1);
    release();
    expect(await first).toBeNull();
    expect(store.getState()).toMatchObject({ freshness: null, checking: false, error: { code: 'locked' } });
  });
});
