// Access control: grants open exactly their epochs of one section, expiry needs no message, revocation
// closes everything written afterwards. Property tests over random grant / revoke / write sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { AccessDeniedError } from '../src-main/core/access/grants.ts';
import { DAY_MS } from '../src-main/core/chain/keyring.ts';
import { readGranted } from '../src-main/core/access/reader.ts';
import { exportArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { InvalidInputError } from '../src-main/core/errors.ts';
import { InvalidDidError } from '../src-main/core/identity/errors.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { recipientKey, recipientSecret } from '../src-main/core/identity/recipient.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';

const grantee = ownerKeys();
const granteeId = identityPublic(crypto, grantee.identity).id;

function setup() {
  const store = new MemoryChainStore();
  const clock = new TestClock(Date.UTC(2026, 0, 1, 12));
  const keys = ownerKeys();
  const owner = Profile.create(deps(store, clock), keys);
  const view = (section?: string) => readGranted(crypto, readArchive(crypto, exportArchive(store, owner.id)), grantee.identity.ed25519Seed, granteeId, section);
  return { store, clock, owner, keys, view };
}

describe('sealing to a did:key', () => {
  it("the X25519 key derived from a did matches the holder's secret", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
      const did = identityPublic(crypto, { ed25519Seed: seed, x25519Secret: seed, babyJubjubSecret: seed }).id;
      const sealed = crypto.box.seal(recipientKey(did), new Uint8Array([1, 2, 3]));
      return Buffer.from(crypto.box.publicKey(recipientSecret(seed))).equals(Buffer.from(recipientKey(did))) &&
        crypto.box.open(recipientSecret(seed), sealed)?.length === 3;
    }), { numRuns: 20 });
  });
});

describe('grants', () => {
  it('a grantee reads the granted section from the archive alone, and nothing else', () => {
    const { owner, clock, view } = setup();
    owner.set('contact', 'email', 'ada@example.org');
    owner.set('health', 'blood', 'O+');
    owner.grant(granteeId, 'contact', 'read', clock.now() + 30 * DAY_MS);
    const seen = view();
    expect(seen.sections).toEqual({ contact: 'read' });
    expect(seen.state.contact!.fields).toEqual({ email: 'ada@example.org' });
    expect(seen.state.health).toBeUndefined();
    expect(() => view('health')).toThrow(AccessDeniedError);
    expect(() => view('health')).toThrow(/health/);
  });

  it('after the end of a grant, data written later stays sealed, with no message sent', () => {
    const { owner, clock, view } = setup();
    owner.grant(granteeId, 'contact', 'read', clock.now() + 2 * DAY_MS);
    owner.set('contact', 'email', 'old@example.org');
    clock.advance(5 * DAY_MS);
    owner.set('contact', 'email', 'new@example.org');
    const seen = view('contact');
    expect(seen.state.contact!.fields).toEqual({ email: 'old@example.org' });
    expect(seen.sealedBodies).toBe(1);
  });

  it('after revoke, what is written afterwards is sealed; other grantees are re-granted', () => {
    const { owner, clock, view, store } = setup();
    const other = ownerKeys();
    const otherId = identityPublic(crypto, other.identity).id;
    owner.grant(granteeId, 'contact', 'read', clock.now() + 100 * DAY_MS);
    owner.grant(otherId, 'contact', 'read', clock.now() + 100 * DAY_MS);
    owner.set('contact', 'email', 'before@example.org');
    owner.revoke(granteeId, 'contact');
    owner.set('contact', 'phone', '555');
    expect(view('contact').state.contact!.fields).toEqual({ email: 'before@example.org' });
    const otherView = readGranted(crypto, readArchive(crypto, exportArchive(store, owner.id)), other.identity.ed25519Seed, otherId, 'contact');
    expect(otherView.state.contact!.fields).toEqual({ email: 'before@example.org', phone: '555' });
    expect(owner.grants().map((g) => g.grantee)).toEqual([otherId]);
    expect(verifyStoredChain(crypto, store, owner.id).ok).toBe(true);
  });

  it('refuses bad grants with clear errors and writes nothing', () => {
    const { owner, clock } = setup();
    const length = owner.length;
    expect(() => owner.grant('did:key:nope', 'contact', 'read', clock.now() + DAY_MS)).toThrow(InvalidDidError);
    expect(() => owner.grant(granteeId, 'nosuch', 'read', clock.now() + DAY_MS)).toThrow(/no section nosuch/);
    expect(() => owner.grant(granteeId, 'contact', 'read', clock.now() - DAY_MS)).toThrow(InvalidInputError);
    expect(() => owner.grant(owner.id, 'contact', 'read', clock.now() + DAY_MS)).toThrow(InvalidInputError);
    expect(() => owner.revoke(granteeId, 'contact')).toThrow(AccessDeniedError);
    expect(owner.length).toBe(length);
  });

  it('grants survive reopening (and snapshots)', () => {
    const { owner, store, clock, keys } = setup();
    owner.grant(granteeId, 'contact', 'propose', clock.now() + 10 * DAY_MS);
    expect(Profile.open(deps(store, clock), keys).grants()).toEqual(owner.grants());
    while (owner.length < 300) owner.set('public', 'n', owner.length);
    expect(store.latestSnapshot(owner.id)).toBeDefined();
    expect(Profile.open(deps(store, clock), keys).grants()).toEqual(owner.grants());
  });
});

describe('properties over random histories', () => {
  type Step =
    | { kind: 'write'; section: 'contact' | 'health' }
    | { kind: 'grant'; section: 'contact' | 'health'; days: number }
    | { kind: 'revoke'; section: 'contact' | 'health' }
    | { kind: 'wait'; days: number };
  const section = fc.constantFrom('contact' as const, 'health' as const);
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), section }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('grant' as const), section, days: fc.integer({ min: 1, max: 6 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), section }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 0, max: 4 }) }) },
  );

  it('a grantee decrypts exactly the writes whose epoch its grants cover: never one outside, none after its revocation', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
      const { owner, clock, view } = setup();
      // An independent model of the key schedule: generation per section (a revocation starts a new one at
      // the current day), epoch = whole days since the generation's start, a grant covers [epoch(now), epoch(until)].
      const day = (t: number) => t - (t % DAY_MS);
      const gens: Record<string, { gen: number; start: number }> = { contact: { gen: 0, start: day(clock.now()) }, health: { gen: 0, start: day(clock.now()) } };
      const epochAt = (section: string, t: number) => Math.floor((t - gens[section]!.start) / DAY_MS);
      const grants: { section: string; gen: number; from: number; to: number }[] = [];
      const writes: { path: string; section: string; gen: number; epoch: number }[] = [];
      let revokedAfter = new Set<string>();
      let n = 0;
      for (const s of steps) {
        if (s.kind === 'wait') clock.advance(s.days * DAY_MS);
        else if (s.kind === 'grant') {
          owner.grant(granteeId, s.section, 'read', clock.now() + s.days * DAY_MS);
          grants.push({ section: s.section, gen: gens[s.section]!.gen, from: epochAt(s.section, clock.now()), to: epochAt(s.section, clock.now() + s.days * DAY_MS) });
        } else if (s.kind === 'revoke') {
          if (owner.grants().some((g) => g.grantee === granteeId && g.section === s.section)) {
            owner.revoke(granteeId, s.section);
            gens[s.section] = { gen: gens[s.section]!.gen + 1, start: day(clock.now()) };
            revokedAfter = new Set([...revokedAfter, s.section]);
          }
        } else {
          const path = `w${n++}`;
          owner.set(s.section, path, 1);
          writes.push({ path, section: s.section, gen: gens[s.section]!.gen, epoch: epochAt(s.section, clock.now()) });
        }
      }
      const seen = view();
      for (const w of writes) {
        const read = seen.state[w.section]?.fields[w.path] !== undefined;
        const covered = grants.some((g) => g.section === w.section && g.gen === w.gen && w.epoch >= g.from && w.epoch <= g.to);
        if (read !== covered) return false;
      }
      return true;
    }), { numRuns: 40 });
  });
});
