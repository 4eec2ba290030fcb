// What the UI calls, for a chain with fields named after Object.prototype keys: the profile, previews,
// block diffs and edits come back exactly through the contract (and through JSON, as over HTTP).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-preload/api/contract.ts';
import { Home } from '../home.ts';
import { WalletService } from './service.ts';

const PASS = 'correct-horse-battery';
/** A chain written before the fix (see test/cli-prototype-keys.test.ts for how). */
const OLD_ARCHIVE = new URL('../../../test/fixtures/proto-keys-v1.defaust', import.meta.url).pathname;
const OLD_MNEMONIC = 'false canoe dwarf push gas fatal wire aim style nut useful purpose bird raw chuckle essence amused butter gaze lyrics lazy easy scheme long';
const NAMES = ['toString', 'valueOf', 'hasOwnProperty', 'constructor', '__proto__', 'prototype'];

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

const sorted = (fields: unknown) => Object.entries(fields as object).sort(([a], [b]) => (a < b ? -1 : 1));

describe('the wallet API with prototype-named fields', () => {
  let dir: string;
  let service: WalletService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-proto-'));
    const home = new Home(join(dir, 'home'));
    service = new WalletService(home, { idleLockMs: 0, log: () => undefined });
    expect(value(await service.call('session:recover', { mnemonic: OLD_MNEMONIC, passphrase: PASS }))).toMatchObject({ chain: false });
    home.importArchive(readFileSync(OLD_ARCHIVE), PASS);
    value(await service.call('session:unlock', { passphrase: PASS }));
  });
  afterAll(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function fields(section: string) {
    const profile = value(await service.call('profile:get', {}));
    // Over HTTP the answer is JSON; over IPC a structured clone: both keep own keys, __proto__ too.
    const viaHttp = JSON.parse(JSON.stringify(profile)) as typeof profile;
    expect(sorted(structuredClone(profile).sections.find((s) => s.name === section)?.fields)).toEqual(sorted(viaHttp.sections.find((s) => s.name === section)?.fields));
    return viaHttp.sections.find((s) => s.name === section)?.fields;
  }

  it('returns the profile of a chain written before the fix', async () => {
    expect(sorted(await fields('contact'))).toEqual(sorted(Object.fromEntries(NAMES.map((n) => [n, `set-${n}`]))));
    expect(sorted(await fields('public'))).toEqual(sorted(Object.fromEntries(NAMES.map((n) => [n, [`one-${n}`, `two-${n}`]]))));
  });

  it('previews, writes and diffs a __proto__ field and value as the real change', async () => {
    const card = JSON.parse('{"__proto__":{"admin":true},"toString":"t"}') as Record<string, unknown>;
    const preview = value(await service.call('profile:preview', { section: 'fitness', ops: [{ op: 'set', path: '__proto__', value: card as never }] }));
    expect(preview.changes).toHaveLength(1);
    expect(preview.changes[0]!.path).toBe('__proto__');
    expect(sorted(preview.changes[0]!.after)).toEqual(sorted(card));
    const { block } = value(await service.call('profile:set', { section: 'fitness', path: '__proto__', value: card as never }));
    const shown = (await fields('fitness')) as Record<string, unknown>;
    expect(Object.keys(shown)).toEqual(['__proto__']);
    expect(sorted(shown.__proto__)).toEqual(sorted(card));
    const diff = value(await service.call('chain:block', { seq: block.seq }));
    expect(diff.sections[0]!.changes.map((c) => [c.path, c.before])).toEqual([['__proto__', undefined]]);
    expect(Object.hasOwn(diff.sections[0]!.changes[0]!.after as object, '__proto__')).toBe(true);
  });

  it('edits a section named constructor and removes a field named toString', async () => {
    value(await service.call('profile:set', { section: 'constructor', path: 'valueOf', value: 1 }));
    expect(sorted(await fields('constructor'))).toEqual([['valueOf', 1]]);
    value(await service.call('profile:unset', { section: 'contact', path: 'toString' }));
    expect((await fields('contact'))!.toString).toBe(Object.prototype.toString);
    expect(sorted(await fields('contact'))).not.toContainEqual(['toString', 'set-toString']);
    expect(await service.call('profile:unset', { section: 'health', path: 'hasOwnProperty' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuses a value nested 100,000 levels deep as invalid input, not an internal error', async () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as never;
    expect(await service.call('profile:set', { section: 'contact', path: 'deep', value: deep })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/nests more than 8 levels/u) } });
    expect(await service.call('profile:preview', { section: 'contact', ops: [{ op: 'append', path: 'deep', value: deep }] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
