// The archive tier (issue 15 item 2) on a real home: a 10,000-block identity moves the bodies of its old blocks
// into segment files after a signed checkpoint; every body reads back the same, the chain still verifies (one
// thread and the batched verifier), the profile folds to the same state after a restart, and a second move
// continues the same prefix. A segment changed, swapped or gone is a typed error, never a wrong body; a rebase
// into archived history is refused. Segments round-trip and any changed byte is caught (property test). At
// store level, blocks of several bodies pack into several segments without splitting a block, and a second
// connection opened before the move (a running wallet beside the CLI) reads the moved bodies.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { Home } from '../src-main/app/home.ts';
import { moveToArchive, storageTiers } from '../src-main/app/history/tiers.ts';
import type { Session } from '../src-main/app/session.ts';
import { verifyStoredChain, verifyStoredChainInBatches } from '../src-main/core/chain/verify.ts';
import { cidOf, cidText } from '../src-main/core/chain/codec.ts';
import { decodeSegment, encodeSegment, SEGMENT_TARGET_BYTES, SegmentError } from '../src-main/core/history/segment.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import type { BlockWrite } from '../src-main/core/ports.ts';
import { crypto, tempDir, TestClock } from './helpers.ts';

const PASS = 'correct-horse-battery';
const BLOCKS = 10_000;
const DAY = 86_400_000;
const homes: Home[] = [];
afterAll(() => homes.forEach((h) => h.close()));

describe('the archive tier', () => {
  const dir = tempDir('defaust-tiers-');
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  const home = new Home(join(dir, 'home'), { clock });
  homes.push(home);
  let session: Session;
  let before: Map<string, Uint8Array>;

  it('moves the bodies of old blocks into segments after a checkpoint; each reads back the same and the chain verifies', async () => {
    const made = home.init(PASS);
    session = { home, profile: made.profile, keys: made.keys };
    // One block an hour: 10,000 blocks over 416 days.
    for (let i = 0; session.profile.length < BLOCKS; i++) {
      clock.advance(3_600_000);
      session.profile.set(i % 3 === 0 ? 'health' : 'fitness', `field${i % 50}`, `value ${i}`);
    }
    const id = session.profile.id;
    const length = session.profile.length;
    before = home.store.bodiesOf(id, 0, length);
    const state = session.profile.current();
    expect(storageTiers(session)).toMatchObject({ blocks: length, archive: { segments: 0, bodies: 0, through: 0 } });

    const cutoff = home.store.header(id, 8_000)!.ts;
    const move = moveToArchive(session, cutoff);
    expect(move.checkpoint).toMatchObject({ kind: 'checkpoint', seq: length });
    expect(move.through).toBe(8_000);
    expect(move.moved.bodies).toBeGreaterThan(7_900);
    const tiers = storageTiers(session);
    expect(tiers).toMatchObject({ blocks: length + 1, archive: { segments: move.moved.segments, bodies: move.moved.bodies, bytes: move.moved.bytes, through: 8_000 } });
    expect(tiers.oldestHotTs).toBe(cutoff);
    expect(tiers.hot.bodies).toBeLessThan(2_100);
    expect(readdirSync(join(home.dir, 'segments')).filter((f) => f.endsWith('.segment'))).toHaveLength(move.moved.segments);

    expect(home.store.bodiesOf(id, 0, length)).toEqual(before);
    const [someCid, someBytes] = [...before][1234]!;
    expect(home.store.body(someCid)).toEqual(someBytes);
    expect(verifyStoredChain(crypto, home.store, id)).toMatchObject({ ok: true, length: length + 1 });
    expect(await verifyStoredChainInBatches(crypto, home.store, id, home.signatures)).toMatchObject({ ok: true, length: length + 1 });
    expect(session.profile.current()).toEqual(state);

    // A second move before the same date moves and signs nothing; a later date continues the prefix.
    expect(moveToArchive(session, cutoff)).toEqual({ through: 8_000, moved: { segments: 0, bodies: 0, bytes: 0 }, checkpoint: null });
    const next = moveToArchive(session, home.store.header(id, 9_000)!.ts + DAY);
    expect(next.through).toBeGreaterThan(9_000);
    expect(home.store.bodiesOf(id, 0, length)).toEqual(before);
  }, 240_000);

  it('after a restart the profile folds from the archive; a rebase into archived history is refused', () => {
    home.close();
    const again = new Home(home.dir, { clock });
    homes.push(again);
    const reopened = again.openSession(PASS);
    expect(reopened.profile.current()).toEqual(session.profile.current());
    expect(verifyStoredChain(crypto, again.store, reopened.profile.id)).toMatchObject({ ok: true });
    expect(() => again.store.truncate(reopened.profile.id, 10)).toThrow(/cannot be taken back, their bodies are archived/u);
    again.close();
  });

  it('a segment changed, swapped or gone is a typed error, never a wrong body', () => {
    const segments = join(home.dir, 'segments');
    const files = readdirSync(segments).filter((f) => f.endsWith('.segment')).sort();
    const id = session.profile.id;
    const fresh = () => new SqliteChainStore(join(home.dir, 'defaust.db'));
    const read = (store: SqliteChainStore) => () => store.bodiesOf(id, 0, BLOCKS);

    const first = join(segments, files[0]!);
    const original = readFileSync(first);
    const changed = Buffer.from(original);
    changed[changed.length >> 1]! ^= 1;
    writeFileSync(first, changed);
    let store = fresh();
    expect(read(store)).toThrow(expect.objectContaining({ code: 'segment-damaged' }));
    // A local file fault, not a forged chain: verify stops with the same typed error (as for a database fault).
    expect(() => verifyStoredChain(crypto, store, id)).toThrow(expect.objectContaining({ code: 'segment-damaged' }));
    store.close();

    // Another segment's bytes under this one's name.
    writeFileSync(first, readFileSync(join(segments, files[1]!)));
    store = fresh();
    expect(read(store)).toThrow(expect.objectContaining({ code: 'segment-damaged' }));
    store.close();

    writeFileSync(first, original);
    renameSync(first, `${first}.away`);
    store = fresh();
    expect(read(store)).toThrow(expect.objectContaining({ code: 'segment-missing', message: expect.stringContaining('bodies of old blocks') }));
    store.close();
    renameSync(`${first}.away`, first);
    store = fresh();
    expect(store.bodiesOf(id, 0, BLOCKS)).toEqual(before);
    store.close();
  });

  it('segments round-trip, and any changed byte is caught', () => {
    const sha256 = (data: Uint8Array) => crypto.sha256(data);
    const chain = session.profile.id;
    const bodies = [...before].slice(0, 40).map(([cid, bytes], i) => ({ seq: i, cid, bytes }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (count, at, flip) => {
        const { name, bytes } = encodeSegment(sha256, chain, bodies.slice(0, count));
        expect(decodeSegment(sha256, name, chain, bytes)).toEqual(bodies.slice(0, count));
        const changed = new Uint8Array(bytes);
        changed[at % changed.length]! ^= flip;
        expect(() => decodeSegment(sha256, name, chain, changed)).toThrow(SegmentError);
        expect(() => decodeSegment(sha256, name, 'did:key:z6Mkother' as typeof chain, bytes)).toThrow(SegmentError);
      }),
      { numRuns: 100, seed: 17 },
    );
  });

  it('packs many bodies per block into several segments, splitting no block, whatever the page and run boundaries', () => {
    // Store level, with blocks of 3 bodies of 3 KiB (the header bytes are not read by the tier): 1,200 blocks
    // are about 10.5 MiB, so 3 segments, and pages of 2,048 bodies end inside a block.
    const store = new SqliteChainStore(join(dir, 'many.db'));
    const chain = 'did:key:z6MkmanyBodiesPerBlock' as Did;
    const blocks: BlockWrite[] = [];
    for (let seq = 0; seq < 1_200; seq++) {
      const bodies = [0, 1, 2].map((i) => {
        const bytes = crypto.randomBytes(3 * 1024);
        bytes[0] = i;
        return { cid: cidText(cidOf((d) => crypto.sha256(d), bytes)), bytes };
      });
      blocks.push({ header: { seq, cid: `header-${seq}`, kind: 'delta', ts: seq, author: chain, bytes: new Uint8Array([seq & 255]) }, bodies });
    }
    store.append(chain, blocks);
    const all = store.bodiesOf(chain, 0, 1_200);
    // A second connection, open before the move (a wallet running while the CLI moves), reads what moved.
    const other = new SqliteChainStore(join(dir, 'many.db'));
    expect(other.bodiesOf(chain, 0, 1_200)).toEqual(all);
    expect(store.hotBodiesIn(chain, 0, 1_100)).toBe(3_300);
    const moved = store.archiveBodies(chain, 1_100, 1);
    expect(moved.bodies).toBe(3_300);
    expect(moved.segments).toBe(Math.ceil((3_300 * 3 * 1024) / SEGMENT_TARGET_BYTES));
    expect(store.archivedThrough(chain)).toBe(1_100);
    expect(store.hotBodiesIn(chain, 0, 1_200)).toBe(300);
    expect(store.bodiesOf(chain, 0, 1_200)).toEqual(all);
    // Each block's three bodies come from one segment: a read of one block opens one file.
    const db = store.database;
    const split = db.prepare('SELECT seq FROM archived_bodies WHERE chain = ? GROUP BY seq HAVING count(DISTINCT segment) > 1').all(chain);
    expect(split).toEqual([]);
    const ranges = db.prepare('SELECT from_seq, to_seq FROM segments WHERE chain = ? ORDER BY from_seq').all(chain) as { from_seq: number; to_seq: number }[];
    expect(ranges[0]!.from_seq).toBe(0);
    expect(ranges.at(-1)!.to_seq).toBe(1_100);
    ranges.slice(1).forEach((r, i) => expect(r.from_seq).toBe(ranges[i]!.to_seq));
    expect(other.bodiesOf(chain, 0, 1_200)).toEqual(all);
    expect(other.body(all.keys().next().value!)).toEqual(all.values().next().value);
    other.close();
    store.close();
  });
});
