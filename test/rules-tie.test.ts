// Core's rules and the contract's schemas are one rule (src-shared/rules): for the DID, section names,
// field paths, feat types and proof nonces, the contract's zod schema and core's check accept and refuse
// the same inputs, over a table of edge cases and many generated strings near each rule's edges.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contract, didSchema, featTypeSchema, pathSchema, sectionSchema } from '../src-preload/api/contract.ts';
import { isDid } from '../src-main/core/identity/did.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { checkPath, checkSection } from '../src-main/core/chain/ops.ts';
import { FIELD_MODULUS } from '../src-main/core/zk/field.ts';
import { FEAT_TYPE } from '../src-shared/rules/feat-type.ts';
import { run } from './cli-helpers.ts';
import { crypto, ownerKeys, tempDir } from './helpers.ts';

const RUNS = { seed: 10, numRuns: 3000 };
const accepts = (check: (value: unknown) => unknown) => (value: string): boolean => {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
};

/** Strings of the rule's own alphabet plus a few of its neighbours, around its length bounds. */
const near = (alphabet: string, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { minLength: 0, maxLength }).map((chars) => chars.join(''));

/**
 * The two sides agree on every sample. `coreChecksMore`: core adds a check the syntax cannot make (a did:key's
 * bytes are a curve point), so the contract may let through what core refuses, never the other way round.
 */
function agree(name: string, schemaOk: (v: string) => boolean, coreOk: (v: string) => boolean, table: string[], generated: fc.Arbitrary<string>, coreChecksMore = false) {
  const same = (value: string, ok: boolean) => {
    if (coreChecksMore && !ok) return;
    expect({ value, contract: schemaOk(value) }).toEqual({ value, contract: ok });
  };
  it(`${name}: the contract and core agree`, () => {
    for (const value of table) same(value, coreOk(value));
    let accepted = 0;
    fc.assert(fc.property(generated, (value) => {
      const ok = coreOk(value);
      if (ok) accepted++;
      same(value, ok);
      if (coreChecksMore && !schemaOk(value)) expect(ok).toBe(false);
    }), RUNS);
    // The generator reaches both sides of the rule.
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 20);
    expect(accepted).toBeLessThan(RUNS.numRuns);
  });
}

const schemaAccepts = (schema: { safeParse(v: unknown): { success: boolean } }) => (value: string) => schema.safeParse(value).success;

describe('one rule on both sides', () => {
  agree('section names', schemaAccepts(sectionSchema), accepts(checkSection),
    ['', 'a', 'fitness', 'health-2027', 'Fitness', '1st', '-a', 'a'.repeat(32), 'a'.repeat(33), 'a_b', 'a.b', 'é'],
    near('abz09-A_.', 36));

  agree('field paths', schemaAccepts(pathSchema), accepts(checkPath),
    ['', 'weight', 'runs.best.marathon', 'a.', '.a', 'a..b', 'A_b-9', 'x'.repeat(64), 'x'.repeat(65), Array(8).fill('a').join('.'), Array(9).fill('a').join('.'), 'a b'],
    fc.oneof(near('aZ9_-.', 24), fc.array(near('ab', 3), { minLength: 1, maxLength: 10 }).map((parts) => parts.join('.'))));

  const did = identityPublic(crypto, ownerKeys().identity).id;
  agree('identities (did:key)', schemaAccepts(didSchema), (v) => isDid(v),
    [did, '', 'did:key:', did.slice(0, -1), `${did}1`, did.replace('did:key', 'did:web'), did.toUpperCase(), `${did.slice(0, -1)}0`],
    fc.oneof(fc.constant(did), fc.integer({ min: 12, max: did.length - 1 }).chain((i) => fc.constantFrom(...'1Az0Ol'.split('')).map((c) => did.slice(0, i) + c + did.slice(i + 1)))), true);

  agree('feat types', schemaAccepts(featTypeSchema), (v) => FEAT_TYPE.test(v),
    ['', 'marathon', 'first-aid-2027', 'Marathon', 'a'.repeat(40), 'a'.repeat(41), 'a_b', '*'],
    near('az09-A_*', 44));

  const nonceSchema = contract['feats:prove'].request.shape.nonce;
  agree('proof nonces (and every accepted one is a field element)', schemaAccepts(nonceSchema), (v) => /^\d+$/u.test(v) && v.length <= 76 && BigInt(v) < FIELD_MODULUS,
    ['', '0', '1', '9'.repeat(76), '9'.repeat(77), '1'.repeat(78), '-1', '1.5', '0x10', ' 1'],
    near('0123456789', 80));
});

describe('the CLI holds nonces to the same rule', () => {
  it('prove feat takes the 76-digit nonces the wallet takes and refuses a 77th digit as usage', () => {
    const h = ['--home', join(tempDir('defaust-nonce-'), 'none')];
    const prove = (nonce: string) => run([...h, 'prove', 'feat', 'bafyreigxtc2x6ddwltyzqs7yh3rrbdrcxczq7fvwfbmmdhaooy3lwrqd3u', '--nonce', nonce, '--out', 'p.json']);
    expect(prove('9'.repeat(77)).code).toBe(2);
    // Past the usage check: it fails later, on the home that holds no identity.
    const taken = prove('9'.repeat(76));
    expect(taken.stderr).not.toMatch(/needs --nonce/u);
    expect(taken.code).toBe(1);
  });
});
