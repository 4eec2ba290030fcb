// The attribute verbs through the wallet API, on temporary homes: an issuer wallet signs a holder's age (the
// holder's chain held in its store), the holder imports it (a foreign one refused), lists it, proves it for a
// verifier's nonce with progress, and the verifier's wallet takes it against the issuer — once — and refuses
// it without a trusted issuer or against its own trust list when that does not name the issuer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProveStage, Result } from '../../../src-preload/api/contract.ts';
import { importArchive, readArchive } from '../../core/archive/archive.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function open(dir: string, name: string): Promise<{ service: WalletService; home: Home; id: string }> {
  const home = new Home(join(dir, name));
  const service = new WalletService(home, { idleLockMs: 0 });
  const created = value(await service.call('session:create', { passphrase: PASS }));
  value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
  return { service, home, id: created.id };
}

const text = (file: { bytes: string }) => Buffer.from(file.bytes, 'base64').toString('utf8');

describe('wallet attribute verbs', { timeout: 300_000 }, () => {
  let dir: string;
  let issuer: Awaited<ReturnType<typeof open>>;
  let holder: Awaited<ReturnType<typeof open>>;
  let verifier: Awaited<ReturnType<typeof open>>;
  const hold = (into: Home, from: Home) => importArchive(into.crypto, into.openStore(), readArchive(into.crypto, from.exportArchive()));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-attributes-'));
    [issuer, holder, verifier] = [await open(dir, 'issuer'), await open(dir, 'holder'), await open(dir, 'verifier')];
  }, 120_000);
  afterAll(() => {
    for (const w of [issuer, holder, verifier]) w?.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issues, imports, lists, proves with stages, and verifies against the trusted issuer once', async () => {
    expect(await issuer.service.call('attributes:issue', { holder: holder.id, field: 'age', value: '34' })).toMatchObject({ ok: false, error: { code: 'attribute/holder' } });
    hold(issuer.home, holder.home);
    const issued = value(await issuer.service.call('attributes:issue', { holder: holder.id, field: 'age', value: '34' }));
    expect(issued.statement).toBe(`${holder.id}'s age is 34`);
    expect(await issuer.service.call('attributes:issue', { holder: holder.id, field: 'Age', value: '34' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    expect(await verifier.service.call('attributes:import', { bytes: issued.file.bytes })).toMatchObject({ ok: false, error: { code: 'attribute/holder' } });
    expect(value(await holder.service.call('attributes:import', { bytes: issued.file.bytes }))).toMatchObject({ issuer: issuer.id, field: 'age', value: '34', kept: true });
    expect(value(await holder.service.call('attributes:list', {})).credentials).toEqual([expect.objectContaining({ issuer: issuer.id, field: 'age', value: '34' })]);

    const { nonce } = value(await verifier.service.call('verify:request', {}));
    const stages: ProveStage[] = [];
    const stop = holder.service.subscribe((event, payload) => {
      const p = payload as { job?: string; stage: ProveStage };
      if (event === 'feats:progress' && p.job === 'job-attr-1') stages.push(p.stage);
    });
    expect(await holder.service.call('attributes:prove', { field: 'age', op: 'lte', bound: '18', nonce, job: 'job-attr-0' })).toMatchObject({ ok: false, error: { code: 'zk/input' } });
    const proved = value(await holder.service.call('attributes:prove', { field: 'age', op: 'gte', bound: '18', nonce, job: 'job-attr-1' }));
    stop();
    expect(stages).toEqual(['loading', 'witness', 'proving', 'done']);
    expect(value(await holder.service.call('attributes:proveStatus', { job: 'job-attr-1' })).stage).toBe('done');
    expect(proved).toMatchObject({ issuer: issuer.id, nonce });
    const proof = text(proved.file);
    expect(proof).not.toContain('"34"');

    expect(value(await verifier.service.call('verify:proof', { text: proof }))).toMatchObject({ valid: false, kind: 'attribute', reason: expect.stringMatching(/needs the issuers you trust/u) });
    // The verifier's own trust list for "age" is empty: not trusted; the issuer named (its chain held here): valid, once.
    expect(value(await verifier.service.call('verify:proof', { text: proof, trust: { list: 'mine' } }))).toMatchObject({ valid: false, issuer: null, members: 0 });
    hold(verifier.home, issuer.home);
    const taken = value(await verifier.service.call('verify:proof', { text: proof, trust: { members: [issuer.id] } }));
    expect(taken).toMatchObject({ valid: true, kind: 'attribute', holder: holder.id, issuer: issuer.id, field: 'age', op: 'gte', bound: '18', nonce, checkedAgainst: 'the 1 member named', reason: null });
    expect(value(await verifier.service.call('verify:proof', { text: proof, trust: { members: [issuer.id] } }))).toMatchObject({ valid: false, refused: 'already-used' });
    value(await verifier.service.call('trust:add', { did: issuer.id, featType: 'age' }));
    expect(value(await verifier.service.call('verify:proof', { text: proof, nonce, trust: { list: 'mine' } }))).toMatchObject({ valid: true, issuer: issuer.id, members: 1 });

    // Cancel: only the running job's id cancels; the proof then fails with zk/cancelled, and the next one is made.
    expect(value(await holder.service.call('attributes:cancelProof', { job: 'job-attr-2' }))).toEqual({ cancelled: false });
    const cancelled = holder.service.call('attributes:prove', { field: 'age', op: 'gte', bound: '18', nonce, job: 'job-attr-2' });
    expect(value(await holder.service.call('attributes:cancelProof', { job: 'job-attr-1' }))).toEqual({ cancelled: false });
    expect(value(await holder.service.call('attributes:cancelProof', { job: 'job-attr-2' }))).toEqual({ cancelled: true });
    expect(await cancelled).toMatchObject({ ok: false, error: { code: 'zk/cancelled' } });
    expect(value(await holder.service.call('attributes:prove', { field: 'age', op: 'gte', bound: '18', nonce, job: 'job-attr-3' }))).toMatchObject({ issuer: issuer.id, nonce });
  });
});
