// The profile: writes, the deterministic fold, snapshots, key generations, media, archives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { DAY_MS, DEFAULT_CHAIN_LENGTH } from '../src-main/core/chain/keyring.ts';
import { ArchiveError, exportArchive, importArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { decodeCanonical, encode } from '../src-main/core/chain/codec.ts';
import { checkEquivocation, EquivocationError } from '../src-main/core/chain/equivocation.ts';
import { ChainVerificationError } from '../src-main/core/chain/errors.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { InvalidInputError, NotFoundError } from '../src-main/core/errors.ts';
import { CHUNK_SIZE, MediaError } from '../src-main/core/media/media.ts';
import type { ChainStore } from '../src-main/core/ports.ts';
import { Profile, SNAPSHOT_EVERY } from '../src-main/core/profile/profile.ts';
import type { ChainWriter } from '../src-main/core/chain/writer.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';

function fresh(store: ChainStore = new MemoryChainStore(), clock = new TestClock()) {
  const keys = ownerKeys();
  return { keys, store, clock, profile: Profile.create(deps(store, clock), keys) };
}

describe('writing and folding', () => {
  it('set, unset and append give the expected state, and each write is one block', () => {
    const { profile } = fresh();
    expect(profile.length).toBe(3);
    profile.set('contact', 'email', 'ada@example.org');
    profile.set('public', 'name', 'Ada');
    profile.append('fitness', 'runs', 5);
    profile.append('fitness', 'runs', 10);
    profile.unset('contact', 'email');
    profile.set('public', 'address.city', 'London');
    expect(profile.length).toBe(9);
    const state = profile.current();
    expect(state.contact!.fields).toEqual({});
    expect(state.public!.fields).toEqual({ name: 'Ada', 'address.city': 'London' });
    expect(state.fitness!.fields).toEqual({ runs: [5, 10] });
  });

  it('a new section gets its keys in the same atomic write', () => {
    const { profile, store } = fresh();
    profile.set('travel', 'passport', 'X123');
    expect(profile.length).toBe(5);
    expect(store.head(profile.id)?.kind).toBe('delta');
    expect(store.header(profile.id, 3)?.kind).toBe('section-keys');
    expect(profile.sections()).toContain('travel');
  });

  it('previews the exact change before signing, and writes nothing for it', () => {
    const { profile } = fresh();
    profile.set('public', 'name', 'Ada');
    const before = profile.length;
    expect(profile.preview('public', [{ op: 'set', path: 'name', value: 'Ada Lovelace' }, { op: 'set', path: 'born', value: 1815 }])).toEqual([
      { path: 'born', before: undefined, after: 1815 },
      { path: 'name', before: 'Ada', after: 'Ada Lovelace' },
    ]);
    expect(profile.length).toBe(before);
  });

  it('refuses bad sections, paths and values with typed errors and writes nothing', () => {
    const { profile } = fresh();
    const length = profile.length;
    expect(() => profile.set('Bad Section', 'x', 1)).toThrow(InvalidInputError);
    expect(() => profile.set('public', 'a..b', 1)).toThrow(InvalidInputError);
    expect(() => profile.set('public', 'x', Number.NaN)).toThrow(InvalidInputError);
    expect(() => profile.set('public', 'x', 'y'.repeat(70_000))).toThrow(InvalidInputError);
    expect(() => profile.write('public', [])).toThrow(InvalidInputError);
    expect(() => profile.write('public', [{ op: 'drop-table', path: 'x' }])).toThrow(InvalidInputError);
    expect(profile.length).toBe(length);
  });

  it('reopening folds to the same state (property: random op sequences)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), section: fc.constantFrom('public', 'contact', 'notes'), path: fc.constantFrom('a', 'b', 'c.d'), value: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()) }),
      fc.record({ kind: fc.constant('unset' as const), section: fc.constantFrom('public', 'contact', 'notes'), path: fc.constantFrom('a', 'b', 'c.d') }),
      fc.record({ kind: fc.constant('append' as const), section: fc.constantFrom('public', 'notes'), path: fc.constantFrom('list'), value: fc.integer() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
      const { profile, store, keys, clock } = fresh();
      for (const o of ops) {
        clock.advance(500);
        if (o.kind === 'set') profile.set(o.section, o.path, o.value);
        else if (o.kind === 'unset') profile.unset(o.section, o.path);
        else profile.append(o.section, o.path, o.value);
      }
      const reopened = Profile.open(deps(store, clock), keys);
      expect(reopened.current()).toEqual(profile.current());
      expect(reopened.headCid).toBe(profile.headCid);
    }), { numRuns: 30 });
  });
});

describe('snapshots', () => {
  it('a snapshot every N blocks gives the same state as a full fold, and a damaged one is ignored', () => {
    const store = new MemoryChainStore();
    const { profile, keys, clock } = fresh(store);
    for (let i = 0; profile.length < SNAPSHOT_EVERY + 10; i++) profile.set('public', `f${i % 7}`, i);
    const snapshot = store.latestSnapshot(profile.id)!;
    // The write that reached SNAPSHOT_EVERY blocks ended with the automatic checkpoint; the snapshot is at it.
    expect(snapshot.seq).toBe(SNAPSHOT_EVERY);
    expect(store.header(profile.id, SNAPSHOT_EVERY)!.kind).toBe('checkpoint');
    const viaSnapshot = Profile.open(deps(store, clock), keys).current();
    expect(viaSnapshot).toEqual(profile.current());
    const damaged = snapshot.sealed.slice();
    damaged[20]! ^= 1;
    store.putSnapshot(profile.id, { ...snapshot, sealed: damaged });
    expect(Profile.open(deps(store, clock), keys).current()).toEqual(profile.current());
  });

  it('snapshots are sealed: no field value appears in them', () => {
    const store = new MemoryChainStore();
    const { profile } = fresh(store);
    for (let i = 0; profile.length < SNAPSHOT_EVERY; i++) profile.set('health', 'condition', `secret-condition-${i}`);
    const sealed = Buffer.from(store.latestSnapshot(profile.id)!.sealed).toString('latin1');
    expect(sealed.includes('secret-condition')).toBe(false);
  });
});

describe('key generations over time', () => {
  it('writing after the hash chains run out starts a new generation, and everything still reads', () => {
    const { profile, store, keys, clock } = fresh();
    profile.set('contact', 'phone', '1');
    clock.advance(DEFAULT_CHAIN_LENGTH * DAY_MS + DAY_MS);
    profile.set('contact', 'phone', '2');
    const kinds = [...store.headers(profile.id)].map((h) => h.kind);
    expect(kinds.slice(-2)).toEqual(['section-keys', 'delta']);
    expect(Profile.open(deps(store, clock), keys).current().contact!.fields).toEqual({ phone: '2' });
    expect(verifyStoredChain(crypto, store, profile.id).ok).toBe(true);
  });

  it('bodies in different epochs are sealed with different keys', () => {
    const { profile, store, clock } = fresh();
    profile.set('contact', 'phone', '1');
    clock.advance(3 * DAY_MS);
    profile.set('contact', 'phone', '2');
    const refs = [...store.headers(profile.id)].slice(-2).map((h) => (decodeCanonical(h.bytes) as { bodies: { epoch: number }[] }).bodies[0]!.epoch);
    expect(refs[1]! - refs[0]!).toBe(3);
  });
});

describe('media', () => {
  it.each([
    ['empty', 0],
    ['small', 1000],
    ['exactly one chunk', CHUNK_SIZE],
    ['several chunks', CHUNK_SIZE * 2 + 17],
  ])('round-trips a %s file byte for byte', (_, size) => {
    const { profile, keys, store, clock } = fresh();
    const bytes = crypto.randomBytes(size as number);
    const { ref } = profile.attach('feats', 'marathon 2026', bytes, 'finish.jpg', 'image/jpeg');
    expect(ref.chunks).toBe(Math.max(1, Math.ceil((size as number) / CHUNK_SIZE)));
    const reopened = Profile.open(deps(store, clock), keys);
    expect(reopened.openMedia(reopened.mediaItem(ref.cid.toString()).ref)).toEqual(bytes);
    expect(reopened.mediaList()).toMatchObject([{ section: 'feats', event: 'marathon 2026', ref: { name: 'finish.jpg', type: 'image/jpeg', size } }]);
  });

  it('a damaged or missing chunk is refused, never returned', () => {
    const store = new MemoryChainStore();
    const { profile } = fresh(store);
    const { ref } = profile.attach('feats', 'race', crypto.randomBytes(CHUNK_SIZE + 5), 'a.bin', 'application/octet-stream');
    const chunkCid = store.blobCids(profile.id).find((c) => c !== ref.cid.toString())!;
    expect(() => profile.mediaItem('bafkreinotthere')).toThrow(NotFoundError);
    const original = store.blob.bind(store);
    store.blob = (cid: string) => {
      const b = original(cid);
      if (cid !== chunkCid || b === undefined) return b;
      const copy = b.slice();
      copy[0]! ^= 1;
      return copy;
    };
    expect(() => profile.openMedia(ref)).toThrow(/damaged/);
    store.blob = (cid: string) => (cid === chunkCid ? undefined : original(cid));
    expect(() => profile.openMedia(ref)).toThrow(MediaError);
    expect(() => profile.openMedia(ref)).toThrow(/missing/);
  });
});

describe('archives', () => {
  it('export then import into an empty store gives the same chain, state and media', () => {
    const { profile, store, keys, clock } = fresh(new SqliteChainStore(':memory:'));
    profile.set('contact', 'email', 'ada@example.org');
    const { ref } = profile.attach('feats', 'race', crypto.randomBytes(1234), 'r.png', 'image/png');
    const bytes = exportArchive(store, profile.id);
    const target = new SqliteChainStore(':memory:');
    const result = importArchive(crypto, target, readArchive(crypto, bytes));
    expect(result).toEqual({ added: profile.length, length: profile.length });
    const copy = Profile.open(deps(target, clock), keys);
    expect(copy.current()).toEqual(profile.current());
    expect(copy.openMedia(copy.mediaItem(ref.cid.toString()).ref)).toEqual(profile.openMedia(ref));
    expect(verifyStoredChain(crypto, target, profile.id)).toMatchObject({ ok: true, head: profile.headCid });
  });

  it('importing again or an older archive adds nothing; a newer one fast-forwards', () => {
    const { profile, store } = fresh();
    const old = exportArchive(store, profile.id);
    profile.set('public', 'name', 'Ada');
    const newer = exportArchive(store, profile.id);
    const target = new MemoryChainStore();
    importArchive(crypto, target, readArchive(crypto, old));
    expect(importArchive(crypto, target, readArchive(crypto, newer)).added).toBe(1);
    expect(importArchive(crypto, target, readArchive(crypto, newer)).added).toBe(0);
    expect(() => importArchive(crypto, target, readArchive(crypto, old))).toThrow(ArchiveError);
    expect(target.head(profile.id)?.cid).toBe(profile.headCid);
  });

  it('a damaged, truncated or forged archive is refused and the store is unchanged', () => {
    const { profile, store } = fresh();
    profile.set('health', 'blood', 'O+');
    const bytes = exportArchive(store, profile.id);
    const target = new MemoryChainStore();
    const refuse = (b: Uint8Array) => {
      expect(() => importArchive(crypto, target, readArchive(crypto, b))).toThrow();
      expect(target.chains()).toEqual([]);
    };
    refuse(bytes.slice(0, bytes.length - 10));
    refuse(new Uint8Array([1, 2, 3]));
    fc.assert(fc.property(fc.nat(), fc.nat({ max: 7 }), (at, bit) => {
      const b = bytes.slice();
      b[at % b.length]! ^= 1 << bit;
      try {
        readArchive(crypto, b);
        // A flip that still decodes and verifies must not change what is stored: only possible in unused bytes.
        return false;
      } catch (error) {
        return error instanceof ArchiveError || error instanceof ChainVerificationError;
      }
    }), { numRuns: 200 });
    const value = decodeCanonical(bytes) as { bodies: [unknown, Uint8Array][] };
    value.bodies[0]![1] = crypto.randomBytes(40);
    refuse(encode(value));
  });

  it('an archive that diverges from the chain held here is an equivocation, with its proof', () => {
    const keys = ownerKeys();
    const clock = new TestClock();
    const a = new MemoryChainStore();
    const b = new MemoryChainStore();
    const pa = Profile.create(deps(a, clock), keys);
    importArchive(crypto, b, readArchive(crypto, exportArchive(a, pa.id)));
    const pb = Profile.open(deps(b, clock), { ...keys, deviceSeed: keys.deviceSeed });
    pa.set('public', 'name', 'A');
    clock.advance(1);
    pb.set('public', 'name', 'B');
    let error: unknown;
    try {
      importArchive(crypto, b, readArchive(crypto, exportArchive(a, pa.id)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EquivocationError);
    expect((error as EquivocationError).seq).toBe(3);
    // The proof it carries holds up on its own: a device signed both blocks, and the prefix certifies it.
    expect(checkEquivocation(crypto, (error as EquivocationError).proof)).toMatchObject({ id: pa.id, seq: 3 });
  });
});

describe('numbers an older writer signed', () => {
  it('a stored number past 2^53 still folds, reopens and reads back, while a new one is refused', () => {
    const { keys, store, clock, profile } = fresh();
    // What the writer before the strict number rule let through: its blocks are signed and cannot change.
    const writer = (profile as unknown as { writer: ChainWriter }).writer;
    writer.commit(() => writer.stageSealed('delta', 'contact', [{ op: 'set', path: 'big', value: 2 ** 53 + 2 }]));
    const reopened = Profile.open(deps(store, clock), keys);
    expect(reopened.current().contact?.fields.big).toBe(2 ** 53 + 2);
    expect(verifyStoredChain(crypto, store, profile.id).ok).toBe(true);
    expect(() => reopened.set('contact', 'bigger', 2 ** 53 + 4)).toThrow(InvalidInputError);
  });
});
