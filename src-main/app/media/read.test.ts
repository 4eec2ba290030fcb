// Reading media a home lacks: refused with the count of missing parts when there is no network, fetched
// through the blob source (here: the blobs another home holds) and stored so the next read needs none, and
// refused again when the source could not find them.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crypto, tempDir } from '../../../test/helpers.ts';
import { Home } from '../home.ts';
import { openSession } from '../session.ts';
import { MediaUnavailableError, readMedia, type BlobSource } from './read.ts';

const PASS = 'correct horse battery';

describe('readMedia', () => {
  const dir = tempDir('defaust-media-read-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fetches what the home lacks through the source, stores it, and says how many parts are missing otherwise', async () => {
    const home = new Home(join(dir, 'home'));
    home.init(PASS);
    const bytes = crypto.randomBytes(700_000);
    const session = openSession(home, PASS);
    const { ref } = session.profile.attach('fitness', 'run', bytes, 'run.bin', 'application/octet-stream');
        const held = new Map(home.store.blobCids(session.profile.id).map((c) => [c, home.store.blob(c)!]));
    expect(held.size).toBeGreaterThan(2);
    const db = new Database(join(dir, 'home', 'defaust.db'));
    db.prepare('DELETE FROM blobs').run();
    db.close();

    const offline = await readMedia(session, ref).then(() => null, (e: unknown) => e);
    expect(offline).toBeInstanceOf(MediaUnavailableError);
    expect(offline).toMatchObject({ code: 'media', cid: ref.cid.toString(), missing: 1 });

    const asked: number[] = [];
    const source: BlobSource = async (owner, cids) => {
      expect(owner).toBe(session.profile.id);
      asked.push(cids.length);
      home.store.putBlobs(owner, cids.map((c) => ({ cid: c.toString(), bytes: held.get(c.toString())! })));
      return { missing: [] };
    };
    const read = await readMedia(session, ref, source);
    expect(Buffer.compare(read, bytes)).toBe(0);
    // The manifest first, then every chunk it lists.
    expect(asked).toEqual([1, held.size - 1]);
    expect((await readMedia(session, ref)).length).toBe(bytes.length);

    const db2 = new Database(join(dir, 'home', 'defaust.db'));
    db2.prepare('DELETE FROM blobs').run();
    db2.close();
    const nowhere: BlobSource = async (_owner, cids) => ({ missing: cids.map(String) });
    await expect(readMedia(session, ref, nowhere)).rejects.toThrow(/stored neither here nor on any replica/u);
    home.close();
  });
});
