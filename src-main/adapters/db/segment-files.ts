// The archive segment files of a database (core/history/segment.ts): `segments/<name>.segment` beside it,
// written whole and synced before any row points at them, read back checked, the last few kept decoded so a
// verifier or a sync reading old blocks in order opens each file once.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Did } from '../../core/identity/did.ts';
import { decodeSegment, encodeSegment, SegmentError, type SegmentBody } from '../../core/history/segment.ts';
import { writeFileAtomic } from '../fs/atomic-file.ts';

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();
/** Decoded segments kept: a run read in order needs one, a read that straddles two needs both. */
const KEPT = 2;

export class SegmentFiles {
  readonly dir: string;
  private readonly kept = new Map<string, Map<string, Uint8Array>>();

  constructor(databasePath: string) {
    this.dir = join(dirname(databasePath), 'segments');
  }

  /** Writes a segment of `chain`'s `bodies` and returns its name (the same bodies give the same name). */
  write(chain: Did, bodies: readonly SegmentBody[]): string {
    const { name, bytes } = encodeSegment(sha256, chain, bodies);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(this.path(name), bytes);
    return name;
  }

  /** The bodies of segment `name` of `chain` by CID; SegmentError when the file is gone or not what it is named. */
  read(name: string, chain: Did): Map<string, Uint8Array> {
    const hit = this.kept.get(name);
    if (hit !== undefined) return hit;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(this.path(name));
    } catch (error) {
      throw new SegmentError('missing', `archive segment ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): the bodies of old blocks it holds are unreadable until it is back in ${this.dir}`);
    }
    const bodies = new Map(decodeSegment(sha256, name, chain, bytes).map((b) => [b.cid, b.bytes]));
    this.kept.set(name, bodies);
    if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    return bodies;
  }

  private path(name: string): string {
    // A name is a base32 CID; anything else (a database changed by hand) never becomes a path.
    if (!/^b[a-z2-7]{20,100}$/u.test(name)) throw new SegmentError('damaged', `${name.slice(0, 80)} is not the name of an archive segment`);
    return join(this.dir, `${name}.segment`);
  }
}
