// The command line with field and section names Object.prototype already uses: each is stored and shown
// exactly, by the owner, from a grantee's request and from a chain written before the fix; a value nested
// too deeply is one clean line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

/**
 * Written by `defaust` at 3870198 (before this fix), whose `show` then failed for good with "function
 * toString() … could not be cloned": `set contact N set-N`, then `append public N one-N` and `two-N`, for
 * N in toString valueOf hasOwnProperty constructor __proto__ prototype, then
 * `set health prototype '{"__proto__":{"x":1},"constructor":"c","toString":[1]}' --type json`.
 */
const OLD_ARCHIVE = new URL('./fixtures/proto-keys-v1.defaust', import.meta.url).pathname;
const OLD_MNEMONIC = 'false canoe dwarf push gas fatal wire aim style nut useful purpose bird raw chuckle essence amused butter gaze lyrics lazy easy scheme long';
const NAMES = ['toString', 'valueOf', 'hasOwnProperty', 'constructor', '__proto__', 'prototype'];

const entries = (value: unknown) => Object.entries(value as object).sort(([a], [b]) => (a < b ? -1 : 1));

describe('defaust with prototype-named fields', { timeout: 180_000 }, () => {
  const dir = tempDir();
  const A = ['--home', join(dir, 'alice')];
  const B = ['--home', join(dir, 'bob')];
  let alice = '';
  let bob = '';

  beforeAll(() => {
    alice = run([...A, 'init', '--json']).json().id as string;
    bob = run([...B, 'init', '--json']).json().id as string;
  }, 120_000);

  it('set __proto__, append to toString and a section named constructor are stored and shown', () => {
    for (const args of [['set', 'contact', '__proto__', 'v1'], ['append', 'contact', 'toString', 'a'], ['append', 'contact', 'toString', 'b'],
      ['set', 'contact', 'card', '{"__proto__":{"admin":true},"constructor":1}', '--type', 'json'], ['set', 'constructor', 'valueOf', 'x']]) {
      const r = run([...A, ...args]);
      expect(r.code, r.stderr).toBe(0);
    }
    const shown = run([...A, 'show', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const profile = shown.json() as Record<string, Record<string, unknown>>;
    expect(entries(profile.contact)).toEqual([['__proto__', 'v1'], ['card', JSON.parse('{"__proto__":{"admin":true},"constructor":1}')], ['toString', ['a', 'b']]]);
    expect(Object.hasOwn(profile.contact!.card as object, '__proto__')).toBe(true);
    expect(entries(profile.constructor)).toEqual([['valueOf', 'x']]);
    const text = run([...A, 'show', 'contact']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ {2}__proto__ = v1$/mu);
    expect(text.stdout).toMatch(/^ {2}toString = \["a","b"\]$/mu);
    expect(run([...A, 'unset', 'contact', 'toString']).code).toBe(0);
    expect(entries(run([...A, 'show', 'contact', '--json']).json().contact)).toEqual([['__proto__', 'v1'], ['card', JSON.parse('{"__proto__":{"admin":true},"constructor":1}')]]);
  });

  it('a grantee reads __proto__ fields; proposing __proto__ shows the owner the real change; a toString from a write grantee is approved and shown', () => {
    for (const [section, rights] of [['contact', 'propose'], ['fitness', 'write']]) {
      expect(run([...A, 'grant', bob, section!, '--rights', rights!, '--until', '2099-12-31']).code).toBe(0);
    }
    const archive = join(dir, 'alice.defaust');
    expect(run([...A, 'export', '--out', archive]).code).toBe(0);
    const read = run([...B, 'read', archive, 'contact', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(entries(read.json().contact)).toEqual([['__proto__', 'v1'], ['card', JSON.parse('{"__proto__":{"admin":true},"constructor":1}')]]);
    const request = (name: string, args: string[]) => {
      const out = join(dir, name);
      const r = run([...B, 'propose', alice, ...args, '--archive', archive, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      return out;
    };
    const proto = request('proto.request', ['contact', '__proto__', 'v2']);
    const written = request('written.request', ['fitness', 'toString', 'run']);
    expect(run([...A, 'requests', 'import', proto]).code).toBe(0);
    const pending = run([...A, 'requests', '--json']).json() as { changes: unknown[] }[];
    expect(pending).toMatchObject([{ changes: [{ path: '__proto__', before: 'v1', after: 'v2' }] }]);
    const approved = run([...A, 'requests', 'import', written, '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    const fitness = run([...A, 'show', 'fitness', '--json']);
    expect(fitness.code, fitness.stderr).toBe(0);
    expect(entries(fitness.json().fitness)).toEqual([['toString', 'run']]);
    expect(run([...A, 'verify']).code).toBe(0);
  });

  it('a chain written before the fix, with every such name, folds and shows exactly', () => {
    const C = ['--home', join(dir, 'carol')];
    expect(run([...C, 'recover'], { input: OLD_MNEMONIC }).code).toBe(0);
    const imported = run([...C, 'import', OLD_ARCHIVE]);
    expect(imported.code, imported.stderr).toBe(0);
    const shown = run([...C, 'show', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const profile = shown.json() as Record<string, Record<string, unknown>>;
    expect(entries(profile.contact)).toEqual(entries(Object.fromEntries(NAMES.map((n) => [n, `set-${n}`]))));
    expect(entries(profile.public)).toEqual(entries(Object.fromEntries(NAMES.map((n) => [n, [`one-${n}`, `two-${n}`]]))));
    // The writer of the time dropped the nested __proto__ when it wrote the block: what the chain holds is shown.
    expect(profile.health).toEqual({ prototype: { constructor: 'c', toString: [1] } });
    expect(run([...C, 'verify']).code).toBe(0);
    expect(readFileSync(OLD_ARCHIVE).length).toBeGreaterThan(0);
  });

  it('a JSON value nested 60,000 levels deep is one clean line', () => {
    const levels = 60_000;
    expectCleanError(run([...A, 'set', 'contact', 'deep', '['.repeat(levels) + ']'.repeat(levels), '--type', 'json']), /nests more than 8 levels deep/u);
  });
});
