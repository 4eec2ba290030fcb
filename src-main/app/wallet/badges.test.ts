// The Open Badge verbs through the wallet API on temporary homes: a feat confirmed by a trusted authority is
// previewed (not met before the reply: refused), exported signed, and the exported credential is the preview
// plus its proof — what the SignDialog showed is what was signed; anyone verifies it, locked; a tampered
// badge is a result with the refusal's code, not a failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-preload/api/contract.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function open(dir: string, name: string): Promise<{ service: WalletService; id: string }> {
  const service = new WalletService(new Home(join(dir, name)), { idleLockMs: 0 });
  const created = value(await service.call('session:create', { passphrase: PASS }));
  value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
  return { service, id: created.id };
}

describe('wallet Open Badge verbs', { timeout: 240_000 }, () => {
  let dir: string;
  let holder: { service: WalletService; id: string };
  let trainer: { service: WalletService; id: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-badges-'));
    holder = await open(dir, 'holder');
    trainer = await open(dir, 'trainer');
  }, 120_000);
  afterAll(() => {
    holder?.service.close();
    trainer?.service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('preview → export → verify; the signed credential is the preview plus its proof', async () => {
    const { claim } = value(await holder.service.call('feats:claim', { title: 'Coached squat form', type: 'lifting', criteria: 'depth below parallel', policy: { kind: 'authority' } }));
    value(await holder.service.call('trust:add', { did: trainer.id, featType: 'lifting', authority: true }));
    expect(await holder.service.call('badges:preview', { claim: claim.cid })).toMatchObject({ ok: false, error: { code: 'badge/unmet' } });
    const [request] = value(await holder.service.call('feats:requestWitnesses', { claim: claim.cid, witnesses: [trainer.id] })).requests;
    const signed = value(await trainer.service.call('witness:sign', { bytes: request!.file!.bytes, verdict: 'yes' }));
    value(await holder.service.call('feats:importReply', { bytes: new Uint8Array(Buffer.from(signed.reply.bytes, 'base64')) }));

    const preview = value(await holder.service.call('badges:preview', { claim: claim.cid }));
    expect(preview.endorsers).toEqual([trainer.id]);
    const exported = value(await holder.service.call('badges:export', { claim: claim.cid, validFrom: preview.validFrom }));
    const text = Buffer.from(exported.file.bytes, 'base64').toString('utf8');
    const { proof, ...unsigned } = JSON.parse(text) as Record<string, unknown>;
    expect(unsigned).toEqual(JSON.parse(preview.unsigned));
    expect(proof).toMatchObject({ cryptosuite: 'eddsa-jcs-2022', verificationMethod: `${holder.id}#${holder.id.slice(8)}` });

    value(await holder.service.call('session:lock', {}));
    const check = value(await holder.service.call('badges:verify', { text }));
    expect(check).toMatchObject({ valid: true, badge: { issuer: holder.id, claim: claim.cid, achievement: { name: 'Coached squat form' }, policy: { kind: 'authority' }, meetsPolicyByCount: true }, status: { state: 'not-revoked' } });
    const elsewhere = value(await trainer.service.call('badges:verify', { text }));
    expect(elsewhere).toMatchObject({ valid: true, status: { state: 'unknown' } });
    const tampered = value(await trainer.service.call('badges:verify', { text: text.replace('Coached squat form', 'Coached deadlift form') }));
    expect(tampered).toMatchObject({ valid: false, code: 'badge/signature' });
  });
});
