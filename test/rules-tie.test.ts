// Core's rules and the contract's schemas are one rule (src-shared/rules): for the DID, section names,
// field paths, feat types and proof nonces, the contract's zod schema and core's check accept and refuse
// the same inputs, over a table of edge cases and many generated strings near each rule's edges; and every
// byte and text cap core enforces is the contract's too: both take exactly the cap and refuse one more.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contract, didSchema, featTypeSchema, pathSchema, sectionSchema } from '../src-preload/api/contract.ts';
import { isDid } from '../src-main/core/identity/did.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { checkPath, checkSection } from '../src-main/core/chain/ops.ts';
import { FIELD_MODULUS } from '../src-main/core/zk/field.ts';
import { FEAT_TYPE } from '../src-shared/rules/feat-type.ts';
import { MAX_ATTEST_REPLY_BYTES, MAX_ATTEST_REQUEST_BYTES, MAX_REQUEST_BYTES } from '../src-shared/rules/limits.ts';
import { MAX_CRITERIA_CHARS, MAX_LABEL_CHARS, MAX_REASON_CHARS, MAX_TITLE_CHARS } from '../src-shared/rules/text.ts';
import { makeClaim } from '../src-main/core/feats/claims.ts';
import { sealProposal } from '../src-main/core/requests/proposal.ts';
import { openAttestReply, openAttestRequest } from '../src-main/core/feats/claims.ts';
import { openProposal } from '../src-main/core/requests/proposal.ts';
import { TooLargeError } from '../src-main/core/errors.ts';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { run } from './cli-helpers.ts';
import { crypto, deps, ownerKeys, tempDir } from './helpers.ts';

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

/** Core's verdict on a size: refused as too large, or let past the cap check (failing later for other reasons). */
const coreTakesSize = (run: () => unknown): boolean => {
  try {
    run();
    return true;
  } catch (error) {
    return !(error instanceof TooLargeError);
  }
};

describe('every cap core enforces is the contract’s cap', () => {
  const keys = ownerKeys();
  const me = identityPublic(crypto, keys.identity).id;
  const seed = keys.identity.ed25519Seed;
  const bytesCaps: { name: string; cap: number; schema: { safeParse(v: unknown): { success: boolean } }; core: (bytes: Uint8Array) => unknown }[] = [
    { name: 'change requests (inbox:import)', cap: MAX_REQUEST_BYTES, schema: contract['inbox:import'].request, core: (b) => openProposal(crypto, b, seed, me) },
    { name: 'attestation replies (feats:importReply)', cap: MAX_ATTEST_REPLY_BYTES, schema: contract['feats:importReply'].request, core: (b) => openAttestReply(crypto, b, me, seed) },
    { name: 'attestation requests (witness:open)', cap: MAX_ATTEST_REQUEST_BYTES, schema: contract['witness:open'].request, core: (b) => openAttestRequest(crypto, b, me, seed) },
  ];
  for (const { name, cap, schema, core } of bytesCaps) {
    it(`${name}: both take ${cap} bytes and refuse ${cap + 1}`, () => {
      for (const size of [cap, cap + 1]) {
        const bytes = new Uint8Array(size);
        expect({ size, contract: schema.safeParse({ bytes }).success, core: coreTakesSize(() => core(bytes)) }).toEqual({ size, contract: size <= cap, core: size <= cap });
      }
    });
  }

  it(`device and client labels: both take ${MAX_LABEL_CHARS} characters and refuse one more`, () => {
    const profile = Profile.create(deps(new MemoryChainStore()), keys);
    const other = identityPublic(crypto, ownerKeys().identity).id;
    for (const length of [MAX_LABEL_CHARS, MAX_LABEL_CHARS + 1]) {
      const label = 'l'.repeat(length);
      const fits = length <= MAX_LABEL_CHARS;
      expect({ length, contract: contract['devices:add'].request.safeParse({ device: other, label }).success, core: coreTakesSize(() => profile.devices.add(other, label)) })
        .toEqual({ length, contract: fits, core: fits });
      expect({ length, contract: contract['registry:add'].request.safeParse({ client: other, sections: ['profile'], label }).success, core: coreTakesSize(() => profile.registry.add(other, ['profile'], { label })) })
        .toEqual({ length, contract: fits, core: fits });
      expect({ length, contract: contract['session:create'].request.safeParse({ passphrase: 'correct horse battery', label }).success })
        .toEqual({ length, contract: fits });
    }
  });

  it(`feat titles (${MAX_TITLE_CHARS}), criteria (${MAX_CRITERIA_CHARS}) and rejection reasons (${MAX_REASON_CHARS}): both take the cap and refuse one more`, () => {
    const claim = (title: string, criteria: string) => () => makeClaim(crypto, { holder: me, ts: 0, title, criteria, featType: 'marathon', policy: { kind: 'k-of-n', k: 1 }, evidence: [] });
    const claimRequest = (title: string, criteria: string) => contract['feats:claim'].request.safeParse({ title, criteria, type: 'marathon', policy: { kind: 'k-of-n', k: 1 }, evidence: [] }).success;
    const grantor = Profile.create(deps(new MemoryChainStore()), keys);
    const proposer = ownerKeys();
    const proposerId = identityPublic(crypto, proposer.identity).id;
    grantor.createSection('notes');
    grantor.grant(proposerId, 'notes', 'propose', Date.parse('2030-01-01'));
    for (const extra of [0, 1]) {
      const fits = extra === 0;
      const title = 't'.repeat(MAX_TITLE_CHARS + extra);
      const criteria = 'c'.repeat(MAX_CRITERIA_CHARS + extra);
      expect({ extra, contract: claimRequest(title, ''), core: coreTakesSize(claim(title, '')) }).toEqual({ extra, contract: fits, core: fits });
      expect({ extra, contract: claimRequest('run', criteria), core: coreTakesSize(claim('run', criteria)) }).toEqual({ extra, contract: fits, core: fits });
      const { envelope } = sealProposal(crypto, proposer.identity.ed25519Seed, proposerId, me, 'notes', [{ op: 'set', path: `p${extra}`, value: 1 }], grantor.length - 1, Date.parse('2026-06-01'));
      const request = grantor.inbox.receive(envelope);
      const reason = 'r'.repeat(MAX_REASON_CHARS + extra);
      expect({ extra, contract: contract['inbox:reject'].request.safeParse({ id: request.id, reason }).success, core: coreTakesSize(() => grantor.inbox.reject(request.id, reason)) })
        .toEqual({ extra, contract: fits, core: fits });
    }
  });
});
