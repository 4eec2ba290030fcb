// The history channels through the wallet service: the Timeline's "Prove this block" bundle verifies on the
// Verify screen's channel (also while locked, as anyone's would), with the revealed value; a changed bundle
// comes back as the reason it proves nothing, never as a thrown failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-preload/api/contract.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('history:prove and history:verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-history-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a block proved from the timeline verifies, revealed, also locked; a changed one is refused with its reason', async () => {
    const service = new WalletService(new Home(join(dir, 'home')), { pickPositions: () => [1, 2, 3], idleLockMs: 0, watchMs: 0 });
    const created = value(await service.call('session:create', { passphrase: PASS }));
    value(await service.call('session:confirmMnemonic', { words: [1, 2, 3].map((position) => ({ position, word: created.words[position - 1]! })) }));
    const { block } = value(await service.call('profile:set', { section: 'contact', path: 'email', value: 'ui@example.org' }));
    const made = value(await service.call('history:prove', { seq: block.seq, reveal: true }));
    expect(made).toMatchObject({ seq: block.seq, by: { kind: 'head-record' }, revealed: true, name: `block-${block.seq}-inclusion.json` });
    value(await service.call('session:lock', {}));
    const checked = value(await service.call('history:verify', { text: made.text }));
    expect(checked).toMatchObject({ valid: true, id: created.id, seq: block.seq, revealed: [{ section: 'contact', ops: [{ op: 'set', path: 'email', value: 'ui@example.org' }] }] });
    const bundle = JSON.parse(made.text) as { path: string[]; header: string };
    const at = bundle.header.length - 11;
    bundle.header = bundle.header.slice(0, at) + (bundle.header[at] === '0' ? '1' : '0') + bundle.header.slice(at + 1);
    const forged = value(await service.call('history:verify', { text: JSON.stringify(bundle) }));
    expect(forged).toMatchObject({ valid: false, code: expect.stringMatching(/^inclusion\/(header|path)$/u) });
    expect(await service.call('history:prove', { seq: 0 })).toMatchObject({ ok: false, error: { code: 'locked' } });
    service.close();
  });
});
