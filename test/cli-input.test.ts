// Strict input and safe output on the command line: dates and numbers by the shared rules, length caps on
// labels and texts, and text output that shows control characters as escapes instead of obeying them.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { expectCleanError, runMany } from './cli-helpers.ts';

/** Raw control characters a terminal would obey: C0 but newline, DEL, C1, bidi overrides. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const NOW = { DEFAUST_NOW: '2026-12-01T00:00:00Z' };

describe('strict CLI input and escaped output', { timeout: 300_000 }, () => {
  const dir = tempDir();
  const alice = join(dir, 'alice');
  const bob = join(dir, 'bob');
  const A = ['--home', alice];
  const B = ['--home', bob];
  const archive = join(dir, 'alice.archive');
  const request = join(dir, 'change.request');
  const fake = 'red\u001b[31m\nphone = +1 555 0100';
  const results = new Map<string, ReturnType<typeof runMany>[number]>();

  beforeAll(() => {
    const [a, b] = runMany([{ args: [...A, 'init', '--json'] }, { args: [...B, 'init', '--json'] }], join(dir, 'setup.json'));
    expect(a!.code, a!.stderr).toBe(0);
    const bobId = (b!.json() as { id: string }).id;
    const aliceId = (a!.json() as { id: string }).id;
    const cases: Record<string, { args: string[]; env?: Record<string, string> }> = {
      junkDate: { args: [...A, 'grant', bobId, 'contact', '--until', '2027-01-01 junk'], env: NOW },
      impossibleDate: { args: [...A, 'grant', bobId, 'contact', '--until', '2027-02-30'], env: NOW },
      zonelessDate: { args: [...A, 'grant', bobId, 'contact', '--until', '2027-01-31T12:00'], env: NOW },
      junkFrom: { args: [...A, 'grant', bobId, 'contact', '--until', '2027-03-01', '--from', '2027-01-01x'], env: NOW },
      junkNow: { args: [...A, 'whoami'], env: { DEFAUST_NOW: '2030-01-01 junk' } },
      hex: { args: [...A, 'set', 'fitness', 'weight', '0x10', '--type', 'number'] },
      binary: { args: [...A, 'set', 'fitness', 'weight', '0b101', '--type', 'number'] },
      underflow: { args: [...A, 'set', 'fitness', 'weight', '1e-400', '--type', 'number'] },
      unsafe: { args: [...A, 'set', 'fitness', 'weight', '9007199254740993', '--type', 'number'] },
      jsonUnderflow: { args: [...A, 'set', 'fitness', 'list', '[1, 1e-400]', '--type', 'json'] },
      jsonUnsafe: { args: [...A, 'set', 'fitness', 'list', '{"steps": 9007199254740993}', '--type', 'json'] },
      number: { args: [...A, 'set', 'fitness', 'weight', '61.5', '--type', 'number'] },
      port: { args: [...A, 'serve', '--offline', '--port', '0x10'] },
      base: { args: [...B, 'propose', aliceId, 'contact', 'name', 'x', '--out', join(dir, 'p'), '--base', '0x1'] },
      epoch: { args: [...A, 'section', 'create', 'work', '--epoch', '99999999999999d'] },
      longLabel: { args: ['--home', join(dir, 'carol'), 'init', '--label', 'x'.repeat(81)] },
      carolAfter: { args: ['--home', join(dir, 'carol'), 'whoami'] },
      longDeviceLabel: { args: [...A, 'device', 'add', bobId, '--label', 'x'.repeat(81)] },
      longReason: { args: [...A, 'reject', 'some-id', '--out', join(dir, 'r'), '--reason', 'x'.repeat(1001)] },
      longTitle: { args: [...A, 'feat', 'claim', 'x'.repeat(201), '--type', 'marathon', '--policy', 'authority'] },
      setFake: { args: [...A, 'set', 'contact', 'name', fake] },
      setBidi: { args: [...A, 'set', 'contact', 'bidi', 'abc\u202edef\u2066'] },
      setC1: { args: [...A, 'set', 'contact', 'c1', 'a\u007fb\u0085c\u009bd'] },
      claim: { args: [...A, 'feat', 'claim', 'Ran \u001b[2J it', '--type', 'marathon', '--policy', 'authority'] },
      show: { args: [...A, 'show', 'contact'] },
      showJson: { args: [...A, 'show', 'contact', '--json'] },
      showNoSuch: { args: [...A, 'show', 'no\u001b[2Jsuch'] },
      featList: { args: [...A, 'feat', 'list'] },
      grant: { args: [...A, 'grant', bobId, 'contact', '--rights', 'propose', '--until', '2027-01-31T12:00+02:00'], env: NOW },
      export: { args: [...A, 'export', '--out', archive] },
      read: { args: [...B, 'read', archive, 'contact'], env: NOW },
      readJson: { args: [...B, 'read', archive, 'contact', '--json'], env: NOW },
      propose: { args: [...B, 'propose', aliceId, 'contact', 'bidi', 'x\u001b]0;owned\u0007\u202e', '--out', request, '--archive', archive], env: NOW },
      requestsImport: { args: [...A, 'requests', 'import', request], env: NOW },
      requests: { args: [...A, 'requests'], env: NOW },
    };
    const names = Object.keys(cases);
    runMany(Object.values(cases), join(dir, 'cases.json')).forEach((r, i) => results.set(names[i]!, r));
  }, 280_000);

  const result = (name: string) => results.get(name)!;

  it('refuses dates with junk after them, impossible days and times without a zone', () => {
    for (const name of ['junkDate', 'impossibleDate', 'zonelessDate', 'junkFrom']) expectCleanError(result(name), /^defaust: --(until|from) must be a date such as 2027-01-31/u);
    expectCleanError(result('junkNow'), /^defaust: DEFAUST_NOW must be a date/u);
    expect(result('grant').code, result('grant').stderr).toBe(0);
  });

  it('refuses numbers in other bases, out of the safe range or underflowing to 0, also inside JSON', () => {
    for (const name of ['hex', 'binary', 'underflow', 'unsafe']) expectCleanError(result(name), /^defaust: the value must be a decimal number/u);
    for (const name of ['jsonUnderflow', 'jsonUnsafe']) expectCleanError(result(name), /^defaust: a number in the JSON must be a decimal number/u);
    expect(result('number').code).toBe(0);
    expectCleanError(result('port'), /^defaust: --port must be a whole number/u, 2);
    expectCleanError(result('base'), /^defaust: --base must be a block's sequence number/u, 2);
    expectCleanError(result('epoch'), /^defaust: a duration is a number and a unit/u);
  });

  it('caps labels, reasons and titles before anything is written', () => {
    expectCleanError(result('longLabel'), /^defaust: --label is at most 80 characters, not 81/u, 2);
    expectCleanError(result('carolAfter'), /^defaust: /u);
    expectCleanError(result('longDeviceLabel'), /^defaust: --label is at most 80 characters/u, 2);
    expectCleanError(result('longReason'), /^defaust: --reason is at most 1000 characters/u, 2);
    expectCleanError(result('longTitle'), /^defaust: the title is at most 200 characters/u, 2);
  });

  it('show, read, requests and feat list escape control characters; --json keeps the exact value', () => {
    for (const name of ['setFake', 'setBidi', 'setC1', 'claim', 'export', 'propose', 'requestsImport']) expect(result(name).code, `${name}: ${result(name).stderr}`).toBe(0);
    const show = result('show').stdout;
    expect(show).not.toMatch(RAW_CONTROL);
    expect(show).toContain('  name = red\\u001b[31m\\u000aphone = +1 555 0100\n');
    expect(show).toContain('  bidi = abc\\u202edef\\u2066\n');
    expect(show).toContain('  c1 = a\\u007fb\\u0085c\\u009bd');
    expect(show.split('\n').filter((line) => line.startsWith('  phone'))).toEqual([]);
    expect(result('showJson').json()).toMatchObject({ contact: { name: fake, bidi: 'abc\u202edef\u2066', c1: 'a\u007fb\u0085c\u009bd' } });
    expectCleanError(result('showNoSuch'), /^defaust: there is no section no\\u001b\[2Jsuch/u);
    expect(result('showNoSuch').stderr).not.toMatch(RAW_CONTROL);
    expect(result('featList').stdout).toContain('Ran \\u001b[2J it');
    expect(result('featList').stdout).not.toMatch(RAW_CONTROL);
    const read = result('read');
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).not.toMatch(RAW_CONTROL);
    expect(read.stdout).toContain('  name = red\\u001b[31m\\u000aphone = +1 555 0100\n');
    expect(result('readJson').json()).toMatchObject({ contact: { name: fake } });
    for (const name of ['requestsImport', 'requests']) {
      expect(result(name).stdout, name).not.toMatch(RAW_CONTROL);
      expect(result(name).stdout, name).toContain('\\u001b]0;owned\\u0007\\u202e');
    }
  });
});
