// Approving or rejecting one change request opens that request's envelope, not every one in the inbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../src-preload/api/contract.ts';
import { Home } from '../home.ts';
import { proposeToFile } from '../requests/propose.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('inbox:approve and inbox:reject', () => {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-inbox-'));
  const service = new WalletService(new Home(join(dir, 'home')), { version: '9.9.9' });
  const bobHome = new Home(join(dir, 'bob'));
  afterAll(() => {
    service.close();
    bobHome.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('open only the request answered, however many are pending', async () => {
    const created = value(await service.call('session:create', { passphrase: PASS }));
    value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
    const bob = bobHome.init(PASS).id;
    value(await service.call('access:grant', { grantee: bob, section: 'fitness', rights: 'propose', until: Date.now() + 86_400_000 }));
    const owner = service.home.id();
    const base = service.home.store.head(owner)!.seq;
    const ids: string[] = [];
    for (const weight of [57, 58, 59, 60, 61]) {
      const proposal = proposeToFile({ home: bobHome, keys: bobHome.unlock(PASS) }, { owner, section: 'fitness', ops: [{ op: 'set', path: 'weight', value: weight }], base });
      value(await service.call('inbox:import', { bytes: proposal.envelope }));
      ids.push(proposal.id);
    }
    const opens = vi.spyOn(service.home.crypto.box, 'open');

    const rejected = value(await service.call('inbox:reject', { id: ids[0]!, reason: 'not this week' }));
    expect(rejected.request).toMatchObject({ id: ids[0], status: 'rejected' });
    // One to check it is pending and sign the reply, one to show it.
    expect(opens).toHaveBeenCalledTimes(2);

    opens.mockClear();
    const approved = value(await service.call('inbox:approve', { id: ids[1]! }));
    expect(approved.request).toMatchObject({ id: ids[1], status: 'approved', merge: { seq: approved.block.seq, signatureValid: true } });
    expect(opens).toHaveBeenCalledTimes(2);
  });
});
