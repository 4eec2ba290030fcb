// Two devices of one identity that wrote at once: the one that lost takes the other's history and writes its
// own unpublished blocks again after it (ChainWriter.rebaseOnto) — one valid chain with both changes, no fork.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { exportArchive, importArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { DAY_MS } from '../src-main/core/chain/keyring.ts';
import { ForkConflictError } from '../src-main/core/chain/errors.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import type { ChainStore } from '../src-main/core/ports.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';

const copyChain = (from: ChainStore, to: ChainStore, id: Did) =>
  importArchive(crypto, to, readArchive(crypto, exportArchive(from, id)));

/** Device A made the chain; device B (the same words, its own device key) holds a copy of it. */
function twoDevices(before: (a: Profile, clock: TestClock) => void = () => undefined, clock = new TestClock()) {
  const keysA = ownerKeys();
  const keysB = { ...ownerKeys(), identity: keysA.identity };
  const storeA = new MemoryChainStore();
  const storeB = new SqliteChainStore(':memory:');
  const a = Profile.create(deps(storeA, clock), keysA);
  a.set('contact', 'email', 'a@example.org');
  before(a, clock);
  copyChain(storeA, storeB, a.id);
  const b = Profile.open(deps(storeB, clock), keysB);
  return { a, b, storeA, storeB, clock, id: a.id };
}

const cids = (store: ChainStore, id: Did) => [...store.headers(id)].map((h) => h.cid);

describe('two devices writing at once converge to one chain', () => {
  it('the device behind takes the other history and writes its own blocks after it: one valid chain, both changes, the other device fast-forwards', () => {
    const { a, b, storeA, storeB, clock, id } = twoDevices();
    const fork = a.length;
    a.set('contact', 'phone', '+41 1');
    clock.advance(1000);
    b.set('public', 'name', 'Ada');
    b.set('contact', 'phone', '+41 2');
    const theirs = cids(storeA, id);
    const report = b.rebaseOnto(storeA);
    expect(report.fork).toBe(fork);
    expect(report.taken).toBe(1);
    // B's device-add (written when B opened the copy) and its two deltas.
    expect(report.replayed).toBe(3);
    expect(cids(storeB, id).slice(0, theirs.length)).toEqual(theirs);
    expect(verifyStoredChain(crypto, storeB, id)).toMatchObject({ ok: true, length: theirs.length + 3 });
    // Later writes win: B's phone was written after A's, by the chain's order.
    expect(b.current().contact?.fields).toEqual({ email: 'a@example.org', phone: '+41 2' });
    expect(b.current().public?.fields).toEqual({ name: 'Ada' });
    // A takes B's chain as a plain continuation: no fork to prove.
    expect(copyChain(storeB, storeA, id).added).toBe(3);
    a.refresh();
    expect(a.current()).toEqual(b.current());
    expect(b.length).toBe(storeB.head(id)!.seq + 1);
  });

  it('does nothing when the other history is a prefix of this one, and fast-forwards when this one is a prefix of it', () => {
    const { a, b, storeA, storeB, id } = twoDevices();
    b.set('public', 'name', 'Ada');
    const before = cids(storeB, id);
    expect(b.rebaseOnto(storeA)).toEqual({ fork: storeA.head(id)!.seq + 1, taken: 0, replayed: 0 });
    expect(cids(storeB, id)).toEqual(before);
    // A wrote nothing since: B's chain continues A's, which A takes as it is (nothing replayed).
    const length = a.length;
    expect(a.rebaseOnto(storeB)).toEqual({ fork: length, taken: before.length - length, replayed: 0 });
    expect(cids(storeA, id)).toEqual(before);
    expect(a.current()).toEqual(b.current());
  });

  it('refuses, changing nothing, when both devices changed the keys of one section', () => {
    const grantee = identityPublic(crypto, ownerKeys().identity).id;
    const { a, b, storeA, storeB, id } = twoDevices((first, clock) => first.grant(grantee, 'health', 'read', clock.now() + 30 * DAY_MS));
    a.revoke(grantee, 'health');
    b.revoke(grantee, 'health');
    const before = cids(storeB, id);
    const state = b.current();
    expect(() => b.rebaseOnto(storeA)).toThrow(ForkConflictError);
    expect(cids(storeB, id)).toEqual(before);
    expect(b.current()).toEqual(state);
    expect(verifyStoredChain(crypto, storeB, id).ok).toBe(true);
    // The profile still writes on its own chain afterwards.
    b.set('public', 'name', 'still here');
    expect(verifyStoredChain(crypto, storeB, id).ok).toBe(true);
  });

  it('property: whatever each device wrote (fields of any section, a grant), the result verifies and holds every write of both, the later device winning a shared field', () => {
    const sections = ['public', 'contact', 'fitness'] as const;
    const write = fc.record({ section: fc.constantFrom(...sections), path: fc.constantFrom('x', 'y', 'z'), value: fc.string({ maxLength: 8 }) });
    fc.assert(fc.property(fc.array(write, { maxLength: 4 }), fc.array(write, { minLength: 1, maxLength: 4 }), fc.boolean(), (ofA, ofB, grantOnB) => {
      const { a, b, storeA, storeB, clock, id } = twoDevices();
      for (const w of ofA) a.set(w.section, w.path, w.value);
      clock.advance(1);
      if (grantOnB) b.grant(identityPublic(crypto, ownerKeys().identity).id, 'fitness', 'read', clock.now() + DAY_MS);
      for (const w of ofB) b.set(w.section, w.path, w.value);
      b.rebaseOnto(storeA);
      expect(verifyStoredChain(crypto, storeB, id).ok).toBe(true);
      const expected: Record<string, Record<string, string>> = { contact: { email: 'a@example.org' } };
      for (const w of [...ofA, ...ofB]) (expected[w.section] ??= {})[w.path] = w.value;
      const state = b.current() as Record<string, { fields: Record<string, unknown> }>;
      for (const [section, fields] of Object.entries(expected)) expect(state[section]?.fields).toMatchObject(fields);
      expect(b.grants().length).toBe(grantOnB ? 1 : 0);
      expect(copyChain(storeB, storeA, id).added).toBeGreaterThan(0);
    }), { numRuns: 25 });
  });
});
