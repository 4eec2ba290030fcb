// Every CLI verb that takes someone's did refuses a small-order, off-curve or mistyped key with one clear line
// (InvalidDidError), before it writes, seals or goes on the network.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../src-main/core/bytes.ts';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import { tempDir } from './helpers.ts';
import { expectCleanError, run } from './cli-helpers.ts';

const LOW_ORDER = didFromPublicKey(fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'));
const OFF_CURVE = didFromPublicKey(fromHex('0200000000000000000000000000000000000000000000000000000000000000'));

describe('dids on the command line', { timeout: 150_000 }, () => {
  it('grant, device add, registry add, trust add, attest request, propose and read refuse a bad did', () => {
    const A = ['--home', join(tempDir(), 'alice')];
    expect(run([...A, 'init']).code).toBe(0);
    const length = () => run([...A, 'verify', '--json']).json().length as number;
    const before = length();
    const refusals: [string[], RegExp][] = [
      [['grant', LOW_ORDER, 'contact', '--rights', 'read', '--until', '2099-01-01'], /small-order point/],
      [['device', 'add', LOW_ORDER], /small-order point/],
      [['registry', 'add', OFF_CURVE, '--sections', 'contact'], /not a point on the Ed25519 curve/],
      [['trust', 'add', LOW_ORDER, '--for', 'climbing'], /small-order point/],
      [['attest', 'request', 'bafyreib4pff766vhpbxbhjbqqnsh5emeznvujayjj4z2iu533cwgqqa3ia', '--witness', LOW_ORDER, '--out', tempDir()], /small-order point/],
      [['propose', LOW_ORDER, 'contact', 'email', 'x@example.org', '--out', join(tempDir(), 'r'), '--base', '1'], /small-order point/],
      [['read', LOW_ORDER], /small-order point/],
      [['grant', 'did:key:z6MkTYPO', 'contact', '--rights', 'read', '--until', '2099-01-01'], /not written as an Ed25519 did:key/],
    ];
    for (const [args, pattern] of refusals) {
      const r = run([...A, ...args]);
      expectCleanError(r, pattern);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(run([...A, ...refusals[0]![0], '--json']).json()).toMatchObject({ ok: false, error: { code: 'invalid-did' } });
    expect(length()).toBe(before);
  });
});
