// The feats, witness and verify stores over a fake API: what each action calls, the proof's stages as they
// come (events in Electron, polling in the browser, never backwards), and failures kept in plain words.
import { describe, expect, it } from 'vitest';
import type { FeatView, Response, Result } from '../../src-preload/api/contract.ts';
import { createFeatsStore, POLL_MS } from '../features/feats/store.ts';
import { createVerifyStore } from '../features/verify/store.ts';
import { createWitnessStore } from '../features/witness/store.ts';
import { fakeApi, ok, type Answers } from './fake-api.ts';

const feat = (over: Partial<FeatView> = {}): FeatView => ({
  cid: 'bafyclaim', title: 'Marathon', type: 'marathon', criteria: '', ts: 1, policy: { kind: 'k-of-n', k: 3 }, evidence: [],
  status: { met: false, have: 0, need: 3 }, attestations: [], proof: { needs: 3, trusted: 0 }, ...over,
});
const listing = (claims: FeatView[]): Answers => ({
  'feats:list': () => ok({ claims }),
  'trust:list': () => ok({ entries: [] }),
  'media:list': () => ok({ items: [] }),
  'trust:root': () => ok({ root: '42', members: [], missing: [] }),
});

/** A timer the test drives by hand. */
function manualTimer() {
  const runs: (() => void)[] = [];
  return { runs, every: (_ms: number, run: () => void) => (runs.push(run), () => void runs.splice(runs.indexOf(run), 1)) };
}

describe('feats store', () => {
  it('loads claims, trust, media and the trust root of each kind', async () => {
    const store = createFeatsStore(fakeApi(listing([feat()])));
    await store.getState().load();
    expect(store.getState()).toMatchObject({ claims: [{ cid: 'bafyclaim' }], trust: [], media: [], roots: { marathon: { root: '42' } } });
  });

  it('keeps the request files of one claim, and a refused reply in plain words', async () => {
    const api = fakeApi({
      ...listing([feat()]),
      'feats:requestWitnesses': ({ witnesses }) => ok({ requests: witnesses.map((w) => ({ witness: w, delivered: false, file: { name: `${w}.attest-request`, bytes: 'AA==' } })) }),
      'feats:importReply': () => ({ ok: false, error: { code: 'feat/replayed', message: 'This witness’s answer for this feat is already recorded.' } }),
    });
    const store = createFeatsStore(api);
    expect(await store.getState().requestWitnesses('bafyclaim', ['did:key:a', 'did:key:b'])).toHaveLength(2);
    expect(store.getState().sent).toMatchObject({ claim: 'bafyclaim', requests: [{ witness: 'did:key:a' }, { witness: 'did:key:b' }] });
    expect(await store.getState().importReply(new Uint8Array([1]))).toBe(false);
    expect(store.getState()).toMatchObject({ busy: null, failed: 'import', error: { code: 'feat/replayed' } });
  });

  it('in the browser, polls the proof’s stage until it is done, and never moves backwards', async () => {
    let finish: (r: Result<Response<'feats:prove'>>) => void = () => undefined;
    const stages = ['witness', 'loading', 'proving'] as const;
    let asked = 0;
    const api = fakeApi({
      'feats:prove': () => new Promise((resolve) => (finish = resolve)),
      'feats:proveStatus': () => ok({ stage: stages[asked++] ?? 'proving' }),
    });
    const timer = manualTimer();
    const store = createFeatsStore(api, timer);
    const proving = store.getState().prove('bafyclaim', '7');
    expect(store.getState()).toMatchObject({ busy: 'prove', proving: { claim: 'bafyclaim', nonce: '7', stage: null } });
    expect(timer.runs).toHaveLength(1);
    for (const expected of ['witness', 'witness', 'proving']) {
      timer.runs[0]!();
      await new Promise((r) => setTimeout(r, 0));
      expect(store.getState().proving?.stage).toBe(expected);
    }
    const job = (api.calls.find(([c]) => c === 'feats:prove')![1] as { job: string }).job;
    expect(api.calls.filter(([c]) => c === 'feats:proveStatus').every(([, r]) => (r as { job: string }).job === job)).toBe(true);
    finish(ok({ file: { name: 'feat-proof.json', bytes: 'e30=' }, root: '42', nonce: '7' }));
    expect(await proving).toEqual({ name: 'feat-proof.json', bytes: 'e30=' });
    expect(store.getState()).toMatchObject({ busy: null, proving: null, proof: { claim: 'bafyclaim', nonce: '7', root: '42' } });
    expect(timer.runs).toHaveLength(0);
    expect(POLL_MS).toBeLessThanOrEqual(500);
  });

  it('in Electron, follows the pushed events of its own job only, and stops listening after', async () => {
    let finish: (r: Result<Response<'feats:prove'>>) => void = () => undefined;
    const api = fakeApi({ 'feats:prove': () => new Promise((resolve) => (finish = resolve)) }, 'desktop');
    const timer = manualTimer();
    const store = createFeatsStore(api, timer);
    const proving = store.getState().prove('bafyclaim', '7');
    expect(timer.runs).toHaveLength(0);
    const job = (api.calls[0]![1] as { job: string }).job;
    api.push('feats:progress', { job: 'someone-else', stage: 'proving' });
    expect(store.getState().proving?.stage).toBeNull();
    api.push('feats:progress', { job, stage: 'witness' });
    expect(store.getState().proving?.stage).toBe('witness');
    finish({ ok: false, error: { code: 'zk/input', message: 'A proof needs 3 different witnesses you trust; 2 have.' } });
    expect(await proving).toBeNull();
    expect(store.getState()).toMatchObject({ busy: null, proving: null, failed: 'prove', error: { code: 'zk/input' } });
    expect(api.listening()).toBe(0);
  });

  it('Cancel asks the wallet to stop this job; a cancelled proof is no failure and makes nothing', async () => {
    let finish: (r: Result<Response<'feats:prove'>>) => void = () => undefined;
    const api = fakeApi({
      'feats:prove': () => new Promise((resolve) => (finish = resolve)),
      'feats:cancelProof': () => {
        finish({ ok: false, error: { code: 'zk/cancelled', message: 'the proof was cancelled' } });
        return ok({ cancelled: true });
      },
    }, 'desktop');
    const store = createFeatsStore(api, manualTimer());
    const proving = store.getState().prove('bafyclaim', '7');
    const job = (api.calls[0]![1] as { job: string }).job;
    expect(store.getState().proving?.job).toBe(job);
    await store.getState().cancelProve();
    expect(await proving).toBeNull();
    expect(api.calls[1]).toEqual(['feats:cancelProof', { job }]);
    expect(store.getState()).toMatchObject({ busy: null, proving: null, proof: null, failed: null, error: null, done: { action: 'prove', text: 'Cancelled: no proof was made.' } });
  });
});

describe('witness store', () => {
  it('opens a request, signs it with the same bytes, and reloads the history', async () => {
    const request = {
      claim: { cid: 'bafyclaim', title: 'Climb', type: 'climb', criteria: '', holder: 'did:key:h', ts: 1, policy: { kind: 'k-of-n' as const, k: 1 } },
      evidence: [], answered: null,
    };
    const entry = { claim: 'bafyclaim', holder: 'did:key:h', title: 'Climb', featType: 'climb', verdict: 'yes' as const, ts: 2 };
    const api = fakeApi({
      'witness:open': () => ok({ request }),
      'witness:sign': () => ok({ reply: { name: 'r.attest-reply', bytes: 'AA==' }, entry, sent: false }),
      'witness:history': () => ok({ entries: [entry] }),
    });
    const store = createWitnessStore(api);
    const bytes = new Uint8Array([1, 2, 3]);
    expect(await store.getState().open(bytes)).toEqual(request);
    expect(await store.getState().sign('yes')).toEqual({ name: 'r.attest-reply', bytes: 'AA==' });
    expect(api.calls.find(([c]) => c === 'witness:sign')?.[1]).toEqual({ bytes, verdict: 'yes' });
    expect(store.getState()).toMatchObject({ answered: { entry }, history: [entry], opened: { request: { answered: entry } } });
  });
});

describe('verify store', () => {
  it('sends only the expectations given, and keeps the outcome', async () => {
    const api = fakeApi({ 'verify:proof': () => ok({ valid: false, kind: 'feat' as const, reason: 'the proof does not verify' }) });
    const store = createVerifyStore(api);
    await store.getState().verify({ name: 'p.json', text: '{}', nonce: '5' });
    expect(api.calls[0]).toEqual(['verify:proof', { text: '{}', nonce: '5', job: expect.stringMatching(/^job-[0-9a-f]{24}$/u) }]);
    expect(store.getState().result).toMatchObject({ name: 'p.json', trustRoot: null, nonce: '5', proof: { valid: false } });
  });

  it('asks for a proof: keeps the nonce issued and its expiry', async () => {
    const api = fakeApi({ 'verify:request': () => ok({ nonce: '123', expires: 1_000 }) });
    const store = createVerifyStore(api);
    expect(await store.getState().ask()).toEqual({ nonce: '123', expires: 1_000 });
    await store.getState().ask(60_000);
    expect(api.calls).toEqual([['verify:request', {}], ['verify:request', { ttlMs: 60_000 }]]);
    expect(store.getState()).toMatchObject({ asked: { nonce: '123', expires: 1_000 }, asking: false });
  });

  it('sends the list the verifier chose, and keeps it with the outcome', async () => {
    const api = fakeApi({ 'verify:proof': () => ok({ valid: true, kind: 'feat' as const, reason: null, checkedAgainst: 'the 2 members named', members: 2 }) });
    const store = createVerifyStore(api);
    const trust = { members: ['did:key:z6MkA', 'did:key:z6MkB'] };
    await store.getState().verify({ name: 'p.json', text: '{}', trust });
    expect(api.calls[0]).toEqual(['verify:proof', { text: '{}', trust, job: expect.stringMatching(/^job-[0-9a-f]{24}$/u) }]);
    expect(store.getState().result).toMatchObject({ trust, trustRoot: null, proof: { valid: true, checkedAgainst: 'the 2 members named' } });
  });

  it('Cancel stops the running check by its job; a cancelled check shows no error and no result', async () => {
    let finish: (r: Result<Response<'verify:proof'>>) => void = () => undefined;
    const api = fakeApi({
      'verify:proof': () => new Promise((resolve) => (finish = resolve)),
      'feats:cancelProof': () => {
        finish({ ok: false, error: { code: 'zk/cancelled', message: 'the proof was cancelled' } });
        return ok({ cancelled: true });
      },
    });
    const store = createVerifyStore(api);
    const checking = store.getState().verify({ name: 'p.json', text: '{}' });
    const job = store.getState().job;
    expect(store.getState()).toMatchObject({ busy: true, cancelled: false });
    await store.getState().cancel();
    expect(await checking).toBeNull();
    expect(api.calls[1]).toEqual(['feats:cancelProof', { job }]);
    expect(store.getState()).toMatchObject({ busy: false, job: null, cancelled: true, error: null, result: null });
  });
});
