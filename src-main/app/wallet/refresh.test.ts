// A running wallet (Electron or `defaust serve`) beside another writer on the same home — the CLI, another
// window: the wallet's next call shows what the other wrote, tells its listeners, and its next write lands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../src-preload/api/contract.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('WalletService beside another writer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-refresh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("shows the other writer's block on its next read, tells listeners, and its next write lands after it", async () => {
    const home = join(dir, 'home');
    const service = new WalletService(new Home(home), { pickPositions: () => [1, 2, 3], idleLockMs: 0, watchMs: 0 });
    const created = value(await service.call('session:create', { passphrase: PASS }));
    value(await service.call('session:confirmMnemonic', { words: [1, 2, 3].map((position) => ({ position, word: created.words[position - 1]! })) }));
    value(await service.call('profile:set', { section: 'contact', path: 'email', value: 'ui@example.org' }));
    const appended: number[] = [];
    service.subscribe((event, payload) => {
      if (event === 'chain:appended') appended.push((payload as { seq: number }).seq);
    });

    const cli = new Home(home);
    const written = cli.openProfile(PASS).set('contact', 'phone', '+33 1 00 00 00 00');
    cli.close();

    const profile = value(await service.call('profile:get', {}));
    expect(profile.length).toBe(written.seq + 1);
    expect(profile.sections.find((s) => s.name === 'contact')?.fields).toEqual({ email: 'ui@example.org', phone: '+33 1 00 00 00 00' });
    expect(appended).toEqual([written.seq]);

    const { block } = value(await service.call('profile:set', { section: 'contact', path: 'city', value: 'Lyon' }));
    expect(block.seq).toBe(written.seq + 1);
    expect(value(await service.call('chain:verify', {}))).toMatchObject({ ok: true, length: written.seq + 2 });
    service.close();
  });

  it('while unlocked and idle, it pushes chain:appended when another writer appended (the screens reload on it)', async () => {
    const home = join(dir, 'watched');
    const service = new WalletService(new Home(home), { pickPositions: () => [1, 2, 3], idleLockMs: 0, watchMs: 20 });
    const created = value(await service.call('session:create', { passphrase: PASS }));
    value(await service.call('session:confirmMnemonic', { words: [1, 2, 3].map((position) => ({ position, word: created.words[position - 1]! })) }));
    const appended: number[] = [];
    service.subscribe((event, payload) => {
      if (event === 'chain:appended') appended.push((payload as { seq: number }).seq);
    });
    const cli = new Home(home);
    const written = cli.openProfile(PASS).set('public', 'name', 'Ada');
    cli.close();
    await vi.waitFor(() => expect(appended).toEqual([written.seq]), { timeout: 10_000, interval: 20 });
    service.close();
  });
});
