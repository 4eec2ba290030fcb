// Recovery by friends through the wallet API (the WalletService the screens call), on four real homes: the
// owner splits 2-of-3 (no node runs, so shares come back as files), custodians keep and release, a fresh home
// starts a recovery and combines: one release is refused with a stable code, two unlock the same identity.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src-preload/api/contract.ts';
import { Home } from '../src-main/app/home.ts';
import { WalletService } from '../src-main/app/wallet/service.ts';
import { tempDir } from './helpers.ts';

const PASS = 'correct-horse-battery';
const root = tempDir();
const services: WalletService[] = [];

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function wallet(name: string, create = true) {
  const service = new WalletService(new Home(join(root, name)), { idleLockMs: 0, pickPositions: () => [1, 2, 3] });
  services.push(service);
  if (!create) return { service, id: '', words: [] as string[] };
  const created = value(await service.call('session:create', { passphrase: PASS }));
  value(await service.call('session:confirmMnemonic', { words: created.confirm.map((position) => ({ position, word: created.words[position - 1]! })) }));
  return { service, id: created.id, words: created.words };
}

afterAll(() => services.forEach((s) => s.close()));

describe('recovery by friends through the wallet API', () => {
  it('split, keep, release, combine: k − 1 refused, k unlock the same id', async () => {
    const owner = await wallet('owner');
    const custodians = [await wallet('c1'), await wallet('c2'), await wallet('c3')];
    const split = value(await owner.service.call('recovery:split', { mnemonic: owner.words.join(' '), custodians: custodians.map((c) => c.id), k: 2 }));
    expect(split).toMatchObject({ k: 2, n: 3 });
    expect(split.shares.every((s) => !s.deposited && s.file !== null)).toBe(true);
    for (const [i, c] of custodians.entries()) {
      expect(value(await c.service.call('custody:import', { bytes: split.shares[i]!.file!.bytes }))).toMatchObject({ fresh: true, entry: { owner: owner.id, index: i + 1 } });
    }
    expect(await custodians[0]!.service.call('custody:import', { bytes: split.shares[1]!.file!.bytes })).toMatchObject({ ok: false, error: { code: 'bad-share' } });
    expect(value(await custodians[1]!.service.call('custody:list', {})).entries).toEqual([expect.objectContaining({ owner: owner.id, set: split.set })]);

    const fresh = await wallet('fresh', false);
    const { temporaryId } = value(await fresh.service.call('recovery:start', { passphrase: PASS }));
    expect(value(await fresh.service.call('recovery:start', { passphrase: PASS })).temporaryId).toBe(temporaryId);
    const released = await Promise.all(custodians.slice(0, 2).map(async (c) => value(await c.service.call('custody:release', { owner: owner.id, to: temporaryId }))));
    // No node runs here: nothing went to a mailbox, and the temporary id's mailbox cannot be checked.
    expect(released.map((r) => r.deposited)).toEqual([false, false]);
    expect(await fresh.service.call('recovery:fetch', { passphrase: PASS })).toMatchObject({ ok: false, error: { code: 'network-off' } });
    expect(await fresh.service.call('recovery:combine', { passphrase: PASS, releases: [] })).toMatchObject({ ok: false, error: { code: 'not-enough-shares' } });
    const releases = released.map((r) => r.file.bytes);
    expect(await fresh.service.call('recovery:combine', { passphrase: PASS, releases: releases.slice(0, 1) })).toMatchObject({ ok: false, error: { code: 'not-enough-shares' } });
    expect(value(await fresh.service.call('session:status', {})).state).toBe('new');
    const status = value(await fresh.service.call('recovery:combine', { passphrase: PASS, releases }));
    expect(status).toMatchObject({ id: owner.id });
  }, 300_000);
});
