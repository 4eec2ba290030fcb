// The wallet's honor channels on temporary homes: "Report this witness" drafts the review (the fields the
// confirmation shows), signs exactly that draft, and the file it hands over is taken in by another wallet,
// where the report counts once that wallet trusts the reviewer; a stale draft, a self-review and bad
// evidence files are refused with typed codes, keeping nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-preload/api/contract.ts';
import { TestClock } from '../../../test/helpers.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';
const CLAIM = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function open(dir: string, name: string, clock: TestClock): Promise<{ service: WalletService; id: string }> {
  const service = new WalletService(new Home(join(dir, name), { clock }), { idleLockMs: 0 });
  const created = value(await service.call('session:create', { passphrase: PASS }));
  value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
  return { service, id: created.id };
}

describe('wallet honor channels', { timeout: 120_000 }, () => {
  let dir: string;
  const clock = new TestClock(Date.UTC(2026, 5, 1));
  let reviewer: { service: WalletService; id: string };
  let observer: { service: WalletService; id: string };
  const witness = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-honor-'));
    reviewer = await open(dir, 'reviewer', clock);
    observer = await open(dir, 'observer', clock);
  }, 60_000);
  afterAll(() => {
    reviewer?.service.close();
    observer?.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs exactly the drafted review; another wallet takes the file and counts it once it trusts the reviewer', async () => {
    const { review } = value(await reviewer.service.call('honor:draftReview', { claim: CLAIM, witness, reason: '  was not there  ' }));
    expect(review).toEqual({ reviewer: reviewer.id, witness, claim: CLAIM, reason: 'was not there', ts: clock.now() });
    clock.advance(60_000);
    const reported = value(await reviewer.service.call('honor:report', { claim: review.claim, witness: review.witness, reason: review.reason, ts: review.ts }));
    expect(reported.review).toEqual(review);
    expect(reported.spread).toBe(0);

    const bytes = new Uint8Array(Buffer.from(reported.file.bytes, 'base64'));
    expect(value(await observer.service.call('honor:import', { bytes }))).toMatchObject({ added: true, finding: { kind: 'review', reviewer: reviewer.id, accused: [witness] } });
    expect(value(await observer.service.call('honor:of', { did: witness }))).toMatchObject({ status: 'good', reviews: { counted: 0, needed: 3 }, evidence: [{ kind: 'review' }] });
    value(await observer.service.call('trust:add', { did: reviewer.id, featType: '*' }));
    expect(value(await observer.service.call('honor:of', { did: witness }))).toMatchObject({ reviews: { counted: 1 } });
  });

  it('refuses a stale draft, a self-review and bad evidence with typed codes', async () => {
    const old = clock.now() - 2 * 3600_000;
    expect(await reviewer.service.call('honor:report', { claim: CLAIM, witness, reason: 'x', ts: old })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await reviewer.service.call('honor:draftReview', { claim: CLAIM, witness: reviewer.id, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'honor/self-review' } });
    expect(await observer.service.call('honor:import', { bytes: new Uint8Array([1, 2, 3]) })).toMatchObject({ ok: false, error: { code: 'honor/malformed' } });
    expect(await observer.service.call('honor:of', { did: witness, gather: true })).toMatchObject({ ok: false, error: { code: 'network-off' } });
  });
});
