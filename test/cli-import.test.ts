// `defaust import` of archives that would hurt the owner: one older than a head already seen (the next
// write would fork there), one with media stripped, one with foreign blobs added. Each is refused with a
// typed error before anything is stored; the explicit choices (--accept-older, --without-media) take them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { ArchiveMediaError, OlderArchiveError } from '../src-main/core/archive/archive.ts';
import { cidOf, decodeCanonical, encode, RAW, type CID } from '../src-main/core/chain/codec.ts';
import { crypto, tempDir } from './helpers.ts';
import { expectCleanError, PASS, run } from './cli-helpers.ts';

type ArchiveDoc = { blobs: [CID, Uint8Array][] } & Record<string, unknown>;
const rewrite = (bytes: Uint8Array, change: (doc: ArchiveDoc) => void): Uint8Array => {
  const doc = decodeCanonical(bytes) as ArchiveDoc;
  change(doc);
  return encode(doc);
};

describe('defaust import refuses what would fork or corrupt the chain', { timeout: 300_000 }, () => {
  const dir = tempDir();
  const home = join(dir, 'alice');
  const h = ['--home', home];
  let mnemonic = '';
  let old: Uint8Array;
  let current: Uint8Array;

  beforeAll(() => {
    const init = run([...h, 'init', '--json']);
    expect(init.code, init.stderr).toBe(0);
    mnemonic = init.json().mnemonic;
    writeFileSync(join(dir, 'picture.png'), crypto.randomBytes(300 * 1024));
    expect(run([...h, 'attach', join(dir, 'picture.png'), '--section', 'public', '--event', 'portrait']).code).toBe(0);
    expect(run([...h, 'export', '--out', join(dir, 'old.archive')]).code).toBe(0);
    expect(run([...h, 'set', 'contact', 'email', 'a@example.org']).code).toBe(0);
    expect(run([...h, 'export', '--out', join(dir, 'current.archive')]).code).toBe(0);
    old = readFileSync(join(dir, 'old.archive'));
    current = readFileSync(join(dir, 'current.archive'));
  }, 300_000);

  it('an archive older than the chain here: a clean typed refusal, nothing changed', () => {
    const before = run([...h, 'log', '--json']).json() as unknown[];
    const r = run([...h, 'import', join(dir, 'old.archive'), '--json']);
    expectCleanError(r, /fewer than the \d+ already here; nothing imported/);
    expect(run([...h, 'log', '--json']).json()).toEqual(before);
  });

  it("an archive older than the network's head record is not made the writing head without --accept-older", () => {
    const recovered = new Home(join(dir, 'recovered'));
    recovered.recover(mnemonic, PASS);
    const known = { length: (decodeCanonical(current) as { headers: unknown[] }).headers.length, source: 'network' as const };
    let refused: unknown;
    try {
      recovered.importArchive(old, PASS, { known });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(OlderArchiveError);
    expect(refused).toMatchObject({ code: 'archive-older', source: 'network', knownLength: known.length, archiveLength: known.length - 1 });
    expect(recovered.store.head(recovered.id())).toBeUndefined();
    expect(recovered.importArchive(old, PASS, { known, acceptOlder: true }).length).toBe(known.length - 1);
    recovered.close();
  });

  it('an archive with a media blob stripped is refused unless --without-media; one with a foreign blob always', () => {
    // The first chunk of the picture (a full 256 KiB one; the manifest is small).
    const stripped = rewrite(current, (doc) => {
      doc.blobs = doc.blobs.filter(([, bytes]) => bytes.length < 200 * 1024);
    });
    const junk = crypto.randomBytes(64);
    const padded = rewrite(current, (doc) => {
      doc.blobs = [...doc.blobs, [cidOf(crypto.sha256, junk, RAW), junk]];
    });
    writeFileSync(join(dir, 'stripped.archive'), stripped);
    writeFileSync(join(dir, 'padded.archive'), padded);
    const other = ['--home', join(dir, 'other')];
    expect(run([...other, 'recover'], { input: `${mnemonic}\n` }).code).toBe(0);
    expectCleanError(run([...other, 'import', join(dir, 'stripped.archive')]), /1 media blob\(s\) the chain references are missing .*--without-media/);
    expectCleanError(run([...other, 'import', join(dir, 'padded.archive')]), /1 blob\(s\) no media of the chain references/);
    const r = run([...other, 'import', join(dir, 'stripped.archive'), '--without-media']);
    expect(r.code, r.stderr).toBe(0);
    expect(run([...other, 'verify']).code).toBe(0);

    const home2 = new Home(join(dir, 'other'));
    expect(() => home2.importArchive(padded, PASS)).toThrow(ArchiveMediaError);
    home2.close();
  });
});
