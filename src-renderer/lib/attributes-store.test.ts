// The Profile screen's attributes store over a fake API: loading the credentials, importing one (kept, or a
// newer one held), issuing (the statement signed), and proving with the stages of its own job only, polled in
// the browser and never backwards, failures kept in plain words.
import { describe, expect, it } from 'vitest';
import type { Response, Result } from '../../src-preload/api/contract.ts';
import { createAttributesStore } from '../features/profile/attributes-store.ts';
import { fakeApi, ok } from './fake-api.ts';

const age = { issuer: 'did:key:z6Mkissuer', field: 'age', value: '34', issuedAt: 5 };
const manualTimer = () => {
  const runs: (() => void)[] = [];
  return { runs, every: (_ms: number, run: () => void) => (runs.push(run), () => void runs.splice(runs.indexOf(run), 1)) };
};

describe('attributes store', () => {
  it('loads, imports (kept or not) and issues, saying what was signed', async () => {
    let kept = true;
    const api = fakeApi({
      'attributes:list': () => ok({ credentials: [age] }),
      'attributes:import': () => ok({ ...age, kept }),
      'attributes:issue': () => ok({ file: { name: 'credential-age.json', bytes: 'e30=' }, statement: "did:key:z6Mkholder's age is 34" }),
    });
    const store = createAttributesStore(api, manualTimer());
    await store.getState().load();
    expect(store.getState()).toMatchObject({ credentials: [age], busy: null, failed: null });
    expect(await store.getState().importCredential(new Uint8Array([1]))).toBe(true);
    expect(store.getState().done).toEqual({ action: 'import', text: 'Kept: age = 34, issued by did:key:z6Mkissuer.' });
    kept = false;
    await store.getState().importCredential(new Uint8Array([1]));
    expect(store.getState().done?.text).toMatch(/^Not kept: a newer credential/u);
    expect(await store.getState().issue({ holder: 'did:key:z6Mkholder', field: 'age', value: '34' })).toEqual({ name: 'credential-age.json', bytes: 'e30=' });
    expect(store.getState()).toMatchObject({ busy: null, issued: { statement: "did:key:z6Mkholder's age is 34" }, done: { action: 'issue', text: "Signed: did:key:z6Mkholder's age is 34." } });
  });

  it('proves with the stages of its own job, polled in the browser, never backwards; a refusal is kept', async () => {
    let finish: (r: Result<Response<'attributes:prove'>>) => void = () => undefined;
    const stages = ['witness', 'loading', 'proving'] as const;
    let asked = 0;
    const api = fakeApi({
      'attributes:prove': () => new Promise((resolve) => (finish = resolve)),
      'attributes:proveStatus': () => ok({ stage: stages[asked++] ?? 'proving' }),
    });
    const timer = manualTimer();
    const store = createAttributesStore(api, timer);
    const proving = store.getState().prove({ field: 'age', op: 'gte', bound: '18', nonce: '7' });
    expect(store.getState()).toMatchObject({ busy: 'prove', proving: { field: 'age', stage: null } });
    for (const expected of ['witness', 'witness', 'proving']) {
      timer.runs[0]!();
      await new Promise((r) => setTimeout(r, 0));
      expect(store.getState().proving?.stage).toBe(expected);
    }
    const job = (api.calls.find(([c]) => c === 'attributes:prove')![1] as { job: string }).job;
    api.push('feats:progress', { job: 'someone-else', stage: 'done' });
    expect(store.getState().proving?.stage).toBe('proving');
    api.push('feats:progress', { job, stage: 'done' });
    expect(store.getState().proving?.stage).toBe('done');
    finish(ok({ file: { name: 'attribute-proof.json', bytes: 'e30=' }, issuer: age.issuer, nonce: '7' }));
    expect(await proving).toEqual({ name: 'attribute-proof.json', bytes: 'e30=' });
    expect(store.getState()).toMatchObject({ busy: null, proving: null, proof: { field: 'age', issuer: age.issuer, nonce: '7' } });
    expect([timer.runs.length, api.listening()]).toEqual([0, 0]);

    const refused = createAttributesStore(fakeApi({ 'attributes:prove': () => ({ ok: false, error: { code: 'zk/input', message: 'the value does not satisfy the predicate; no proof can be made' } }) }, 'desktop'), timer);
    expect(await refused.getState().prove({ field: 'age', op: 'lte', bound: '18', nonce: '7' })).toBeNull();
    expect(refused.getState()).toMatchObject({ busy: null, proving: null, failed: 'prove', error: { code: 'zk/input' } });
  });

  it('cancel asks the wallet to stop the running job; the proof then fails as cancelled and nothing is kept', async () => {
    let finish: (r: Result<Response<'attributes:prove'>>) => void = () => undefined;
    const api = fakeApi({
      'attributes:prove': () => new Promise((resolve) => (finish = resolve)),
      'attributes:cancelProof': () => {
        finish({ ok: false, error: { code: 'zk/cancelled', message: 'the proof was cancelled' } });
        return ok({ cancelled: true });
      },
    }, 'desktop');
    const store = createAttributesStore(api, manualTimer());
    await store.getState().cancelProve(); // nothing running: nothing asked
    expect(api.calls.filter(([c]) => c === 'attributes:cancelProof')).toEqual([]);
    const proving = store.getState().prove({ field: 'age', op: 'gte', bound: '18', nonce: '7' });
    const job = (api.calls.find(([c]) => c === 'attributes:prove')![1] as { job: string }).job;
    await store.getState().cancelProve();
    expect(api.calls.filter(([c]) => c === 'attributes:cancelProof').map(([, r]) => r)).toEqual([{ job }]);
    expect(await proving).toBeNull();
    expect(store.getState()).toMatchObject({ busy: null, proving: null, proof: null, failed: 'prove', error: { code: 'zk/cancelled' } });
  });
});
