// The mail store: a fetch names its job, keeps the stages it is told while the call runs, and ends with the
// plain result; a refusal (the network is off) is kept as the error, not swallowed; one fetch at a time.
import { describe, expect, it } from 'vitest';
import { createMailStore } from '../features/mail/store.ts';
import { fakeApi, ok } from './fake-api.ts';

/** Timers a test runs by hand: `tick()` runs every interval once. */
function manualTimers() {
  const runs = new Map<number, () => void>();
  let next = 0;
  return {
    setInterval: (run: () => void) => (runs.set(++next, run), next),
    clearInterval: (handle: unknown) => void runs.delete(handle as number),
    tick: () => runs.forEach((run) => run()),
    active: () => runs.size,
  };
}

describe('mail store', () => {
  it('follows the job of the fetch, then keeps the result', async () => {
    const timers = manualTimers();
    let finish: () => void = () => undefined;
    const view = { stage: 'fetching' as const, done: 1, total: 3, elapsedMs: 800, finished: false, error: null };
    const api = fakeApi({
      'network:fetchMail': () => new Promise((resolve) => (finish = () => resolve(ok({ routed: [], asked: 4, failures: 1 })))),
      'jobs:status': () => ok({ job: view }),
    });
    const store = createMailStore(api, timers);
    const fetching = store.getState().fetch();
    expect(store.getState().running).toBe(true);
    const job = (api.calls[0]![1] as { job: string }).job;
    expect(job).toMatch(/^job-[0-9a-f]{24}$/u);
    timers.tick();
    await Promise.resolve();
    await Promise.resolve();
    expect(api.calls[1]).toEqual(['jobs:status', { job }]);
    expect(store.getState().view).toEqual(view);
    expect(await store.getState().fetch()).toBe(false); // one at a time
    finish();
    expect(await fetching).toBe(true);
    expect(store.getState()).toMatchObject({ running: false, result: { asked: 4, failures: 1 }, error: null });
    expect(timers.active()).toBe(0);
  });

  it('keeps why it could not fetch', async () => {
    const api = fakeApi({ 'network:fetchMail': () => ({ ok: false, error: { code: 'network-off', message: 'The peer network is not running.' } }) }, 'browser');
    const store = createMailStore(api, manualTimers());
    expect(await store.getState().fetch()).toBe(false);
    expect(store.getState()).toMatchObject({ running: false, result: null, error: { code: 'network-off' } });
  });
});
