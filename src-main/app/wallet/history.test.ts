// The history channels through the wallet service: the Timeline's "Prove this block" bundle verifies on the
// Verify screen's channel (also while locked, as anyone's would), with the revealed value; a changed bundle
// comes back as the reason it proves nothing, never as a thrown failure. Settings → Storage's channels: the
// plan of a move shows the checkpoint it signs (and signs nothing), the move archives old bodies, and an
// archived block still shows its diff, proves and reveals.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-preload/api/contract.ts';
import { TestClock } from '../../../test/helpers.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('history:prove, history:verify and the storage tiers', () => {
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

  it('Settings → Storage: the plan shows the checkpoint it signs, the move archives, and an archived block still proves and reveals', async () => {
    const clock = new TestClock(Date.UTC(2026, 0, 1));
    const service = new WalletService(new Home(join(dir, 'tiers'), { clock }), { pickPositions: () => [1, 2, 3], idleLockMs: 0, watchMs: 0 });
    const created = value(await service.call('session:create', { passphrase: PASS }));
    value(await service.call('session:confirmMnemonic', { words: [1, 2, 3].map((position) => ({ position, word: created.words[position - 1]! })) }));
    const old = [];
    for (const n of [1, 2, 3]) {
      clock.advance(60_000);
      old.push(value(await service.call('profile:set', { section: 'contact', path: `phone${n}`, value: `+4100${n}` })).block);
    }
    clock.advance(30 * 86_400_000);
    const cutoff = clock.now();
    clock.advance(60_000);
    value(await service.call('profile:set', { section: 'contact', path: 'email', value: 'new@example.org' }));
    const before = value(await service.call('history:tiers', {}));
    expect(before.archive).toEqual({ segments: 0, bodies: 0, bytes: 0, through: 0 });

    const plan = value(await service.call('history:previewArchive', { before: cutoff }));
    expect(plan).toMatchObject({ from: 0, through: old.at(-1)!.seq + 1, checkpoint: { size: before.blocks, root: expect.stringMatching(/^[0-9a-f]{64}$/u) } });
    expect(plan.bodies).toBeGreaterThanOrEqual(3);
    expect(value(await service.call('history:tiers', {})).blocks).toBe(before.blocks); // the plan signed nothing

    const moved = value(await service.call('history:archive', { before: cutoff }));
    expect(moved).toMatchObject({ through: plan.through, moved: { bodies: plan.bodies, segments: 1 }, checkpoint: { kind: 'checkpoint', seq: before.blocks } });
    const log = value(await service.call('chain:log', { limit: 50 }));
    expect(log).toMatchObject({ total: before.blocks + 1, archivedThrough: plan.through });
    expect(value(await service.call('history:tiers', {})).archive).toMatchObject({ segments: 1, through: plan.through });
    expect(value(await service.call('chain:verify', {}))).toMatchObject({ ok: true });

    // "Did you X?" about an archived block: its body comes back from the archive for the reveal.
    const made = value(await service.call('history:prove', { seq: old[1]!.seq, reveal: true }));
    expect(made.by).toEqual({ kind: 'checkpoint', seq: before.blocks });
    expect(value(await service.call('history:verify', { text: made.text }))).toMatchObject({ valid: true, revealed: [{ section: 'contact', ops: [{ op: 'set', path: 'phone2', value: '+41002' }] }] });
    expect(value(await service.call('chain:block', { seq: old[0]!.seq })).sections[0]!.changes).toEqual([{ path: 'phone1', after: '+41001' }]);
    // Nothing more before the same date: nothing to sign.
    expect(value(await service.call('history:previewArchive', { before: cutoff }))).toMatchObject({ bodies: 0, checkpoint: null });
    expect(await service.call('history:archive', { before: 12 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    service.close();
  });
});
