// ChainStore on better-sqlite3: WAL journal, synchronous FULL (an acknowledged append survives a crash or a
// power cut), every append one transaction. Statements are prepared once; every value is a bound parameter.
// It also keeps the archive tier (ArchiveTiers): old bodies moved into segment files beside the database,
// read back through `body` and `bodiesOf` as if they were hot, so no reader needs to know where a body is.
import Database from 'better-sqlite3';
import type { Did } from '../../core/identity/did.ts';
import {
  StoreConflictError, type ArchiveTiers, type BlockWrite, type ChainStore, type StoredBlob, type StoredHeader, type StoredSnapshot, type TierSizes,
} from '../../core/ports.ts';
import { makeDatabaseFilesPrivate } from './database-file.ts';
import { SEGMENT_TARGET_BYTES, type SegmentBody } from '../../core/history/segment.ts';
import { SegmentFiles } from './segment-files.ts';
import { migrate } from './migrations/index.ts';
import { databaseError, withDatabaseErrors } from './sqlite-errors.ts';

interface HeaderRow {
  seq: number;
  cid: string;
  kind: string;
  ts: number;
  author: string;
  bytes: Buffer;
}

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
/** Hot bodies read at once while packing segments. */
const ARCHIVE_PAGE = 2048;

const toHeader = (row: HeaderRow): StoredHeader => ({ seq: row.seq, cid: row.cid, kind: row.kind, ts: row.ts, author: row.author, bytes: asBytes(row.bytes) });

/** How long a statement waits for another connection's lock: at open, and before a write calls it a conflict. */
const BUSY_TIMEOUT_MS = 5000;

/** Opens `path` (files 0600) in WAL mode and migrates it; a locked or foreign file is a typed error. */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') makeDatabaseFilesPrivate(path);
  let db: Database.Database | undefined;
  try {
    // The busy timeout is set at open, so that switching to WAL and migrating wait for another process's lock.
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw databaseError(error, path);
  }
}

function prepareStatements(db: Database.Database) {
  return {
    chains: db.prepare('SELECT DISTINCT chain FROM headers ORDER BY chain').pluck(),
    head: db.prepare('SELECT seq, cid, kind, ts, author, bytes FROM headers WHERE chain = ? ORDER BY seq DESC LIMIT 1'),
    header: db.prepare('SELECT seq, cid, kind, ts, author, bytes FROM headers WHERE chain = ? AND seq = ?'),
    range: db.prepare('SELECT seq, cid, kind, ts, author, bytes FROM headers WHERE chain = ? AND seq >= ? AND seq < ? ORDER BY seq'),
    insertHeader: db.prepare('INSERT INTO headers (chain, seq, cid, kind, ts, author, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertBody: db.prepare('INSERT OR IGNORE INTO bodies (cid, chain, seq, bytes) VALUES (?, ?, ?, ?)'),
    bodiesOf: db.prepare('SELECT cid, bytes FROM bodies WHERE chain = ? AND seq >= ? AND seq < ?'),
    body: db.prepare('SELECT bytes FROM bodies WHERE cid = ?').pluck(),
    insertBlob: db.prepare('INSERT OR IGNORE INTO blobs (cid, chain, bytes) VALUES (?, ?, ?)'),
    blob: db.prepare('SELECT bytes FROM blobs WHERE cid = ?').pluck(),
    blobCids: db.prepare('SELECT cid FROM blobs WHERE chain = ? ORDER BY cid').pluck(),
    storedBytes: db.prepare('SELECT bytes FROM chain_bytes WHERE chain = ?').pluck(),
    addBytes: db.prepare('INSERT INTO chain_bytes (chain, bytes) VALUES (?, ?) ON CONFLICT (chain) DO UPDATE SET bytes = bytes + excluded.bytes'),
    snapshot: db.prepare('SELECT seq, cid, sealed FROM snapshots WHERE chain = ? ORDER BY seq DESC LIMIT 1'),
    putSnapshot: db.prepare('INSERT OR REPLACE INTO snapshots (chain, seq, cid, sealed) VALUES (?, ?, ?, ?)'),
    tailBytes: db.prepare('SELECT (SELECT coalesce(sum(length(bytes)), 0) FROM headers WHERE chain = ? AND seq >= ?) + (SELECT coalesce(sum(length(bytes)), 0) FROM bodies WHERE chain = ? AND seq >= ?)').pluck(),
    dropHeaders: db.prepare('DELETE FROM headers WHERE chain = ? AND seq >= ?'),
    dropBodies: db.prepare('DELETE FROM bodies WHERE chain = ? AND seq >= ?'),
    dropSnapshots: db.prepare('DELETE FROM snapshots WHERE chain = ? AND seq >= ?'),
    subtractBytes: db.prepare('UPDATE chain_bytes SET bytes = max(0, bytes - ?) WHERE chain = ?'),
  };
}

/** The archive tier's statements (migration 017), prepared on first use. */
function prepareTierStatements(db: Database.Database) {
  return {
    hotBodiesPage: db.prepare('SELECT seq, cid, bytes FROM bodies WHERE chain = ? AND seq >= ? AND seq < ? ORDER BY seq, cid LIMIT ?'),
    hotBodiesOfBlock: db.prepare('SELECT seq, cid, bytes FROM bodies WHERE chain = ? AND seq = ? ORDER BY cid'),
    hotBodiesCount: db.prepare('SELECT count(*) FROM bodies WHERE chain = ? AND seq >= ? AND seq < ?').pluck(),
    dropBody: db.prepare('DELETE FROM bodies WHERE cid = ?'),
    insertSegment: db.prepare('INSERT OR IGNORE INTO segments (name, chain, from_seq, to_seq, bodies, bytes, at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertArchived: db.prepare('INSERT INTO archived_bodies (cid, chain, seq, segment) VALUES (?, ?, ?, ?)'),
    archivedBody: db.prepare('SELECT chain, segment FROM archived_bodies WHERE cid = ?'),
    archivedIn: db.prepare('SELECT cid, segment FROM archived_bodies WHERE chain = ? AND seq >= ? AND seq < ?'),
    archivedThrough: db.prepare('SELECT coalesce(max(to_seq), 0) FROM segments WHERE chain = ?').pluck(),
    archiveSizes: db.prepare('SELECT count(*) AS segments, coalesce(sum(bodies), 0) AS bodies, coalesce(sum(bytes), 0) AS bytes FROM segments WHERE chain = ?'),
    hotSizes: db.prepare('SELECT count(*) AS bodies, coalesce(sum(length(bytes)), 0) AS bytes FROM bodies WHERE chain = ?'),
    headerSizes: db.prepare('SELECT count(*) AS blocks, coalesce(sum(length(bytes)), 0) AS bytes FROM headers WHERE chain = ?'),
    seqsBefore: db.prepare('SELECT count(*) FROM headers WHERE chain = ? AND ts < ?').pluck(),
  };
}

export class SqliteChainStore implements ChainStore, ArchiveTiers {
  private readonly db: Database.Database;
  private readonly q: ReturnType<typeof prepareStatements>;
  /** The segment files beside the database (none for a database in memory). */
  private readonly segments: SegmentFiles | null;
  private tierStatements: ReturnType<typeof prepareTierStatements> | null = null;

  /** Opens (creating and migrating) the database at `path` (':memory:' for a private one), or uses an open one. */
  constructor(pathOrDb: string | Database.Database) {
    this.db = typeof pathOrDb === 'string' ? openDatabase(pathOrDb) : pathOrDb;
    const db = this.db;
    this.q = prepareStatements(db);
    this.segments = db.memory ? null : new SegmentFiles(db.name);
    this.appendTx = db.transaction((chain: Did, blocks: readonly BlockWrite[], blobs: readonly StoredBlob[]) => {
      const head = this.q.head.get(chain) as HeaderRow | undefined;
      let next = head === undefined ? 0 : head.seq + 1;
      let added = 0;
      for (const block of blocks) {
        if (block.header.seq !== next) throw new StoreConflictError(`chain ${chain}: expected seq ${next}, got ${block.header.seq}`);
        const h = block.header;
        this.q.insertHeader.run(chain, h.seq, h.cid, h.kind, h.ts, h.author, h.bytes);
        added += h.bytes.length;
        // A body or blob already held (under any chain) is not stored again, so it adds no bytes.
        for (const body of block.bodies) if (this.q.insertBody.run(body.cid, chain, h.seq, body.bytes).changes > 0) added += body.bytes.length;
        next++;
      }
      this.addBytes(chain, added + this.insertBlobs(chain, blobs));
    });
  }

  private readonly appendTx: (chain: Did, blocks: readonly BlockWrite[], blobs: readonly StoredBlob[]) => void;

  /** Inserts the blobs not yet held; returns the bytes they add. Runs inside the caller's transaction. */
  private insertBlobs(chain: Did, blobs: readonly StoredBlob[]): number {
    let added = 0;
    for (const blob of blobs) if (this.q.insertBlob.run(blob.cid, chain, blob.bytes).changes > 0) added += blob.bytes.length;
    return added;
  }

  /** Adds to the chain's byte count, inside the transaction that stored them. */
  private addBytes(chain: Did, added: number): void {
    if (added > 0) this.q.addBytes.run(chain, added);
  }

  /** The open database, for stores that share this connection (the request inbox). */
  get database(): Database.Database {
    return this.db;
  }

  /** The journal mode and sync level in force (WAL and FULL: what the durability promise rests on). */
  durability(): { journalMode: string; synchronous: string } {
    const levels = ['off', 'normal', 'full', 'extra'];
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: levels[this.db.pragma('synchronous', { simple: true }) as number] ?? 'unknown',
    };
  }

  chains(): Did[] {
    return this.q.chains.all() as Did[];
  }

  head(chain: Did): StoredHeader | undefined {
    const row = this.q.head.get(chain) as HeaderRow | undefined;
    return row && toHeader(row);
  }

  append(chain: Did, blocks: readonly BlockWrite[], blobs: readonly StoredBlob[] = []): void {
    try {
      this.appendTx(chain, blocks, blobs);
    } catch (error) {
      throw this.writeError(error);
    }
  }

  /** BEGIN IMMEDIATE: the write lock is taken first, so the reads inside see the latest head and keep it. */
  transaction<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      throw this.writeError(error);
    }
  }

  /** SQLITE_BUSY (the lock was not had within the timeout) as the port's conflict, which the writer retries; the rest typed by databaseError. */
  private writeError(error: unknown): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return new StoreConflictError(`the database is busy with another writer (${code})`);
    return databaseError(error, this.db.name);
  }

  truncate(chain: Did, from: number): void {
    // A rebase only ever takes back unpublished blocks at the head; archived history is long published.
    if (from < this.archivedThrough(chain)) throw new StoreConflictError(`chain ${chain}: blocks from ${from} on cannot be taken back, their bodies are archived`);
    try {
      this.db.transaction(() => {
        const bytes = this.q.tailBytes.get(chain, from, chain, from) as number;
        this.q.dropHeaders.run(chain, from);
        this.q.dropBodies.run(chain, from);
        this.q.dropSnapshots.run(chain, from);
        if (bytes > 0) this.q.subtractBytes.run(bytes, chain);
      })();
    } catch (error) {
      throw this.writeError(error);
    }
  }

  header(chain: Did, seq: number): StoredHeader | undefined {
    const row = this.q.header.get(chain, seq) as HeaderRow | undefined;
    return row && toHeader(row);
  }

  *headers(chain: Did, from = 0, to = Number.MAX_SAFE_INTEGER): Iterable<StoredHeader> {
    // Pages of rows, so a long chain never sits in memory whole and no statement stays open across yields.
    const page = 2048;
    for (let start = from; start < to; start += page) {
      const rows = this.q.range.all(chain, start, Math.min(start + page, to)) as HeaderRow[];
      for (const row of rows) yield toHeader(row);
      if (rows.length < Math.min(page, to - start)) return;
    }
  }

  headersOfKind(chain: Did, kinds: readonly string[]): StoredHeader[] {
    if (kinds.length === 0) return [];
    const placeholders = kinds.map(() => '?').join(', ');
    const rows = this.db
      .prepare(`SELECT seq, cid, kind, ts, author, bytes FROM headers WHERE chain = ? AND kind IN (${placeholders}) ORDER BY seq`)
      .all(chain, ...kinds) as HeaderRow[];
    return rows.map(toHeader);
  }

  body(cid: string): Uint8Array | undefined {
    const bytes = this.q.body.get(cid) as Buffer | undefined;
    if (bytes !== undefined) return asBytes(bytes);
    const row = this.t.archivedBody.get(cid) as { chain: Did; segment: string } | undefined;
    return row && this.segmentBodies(row.segment, row.chain).get(cid);
  }

  bodiesOf(chain: Did, from: number, to: number): Map<string, Uint8Array> {
    const rows = this.q.bodiesOf.all(chain, from, to) as { cid: string; bytes: Buffer }[];
    const held = new Map(rows.map((row) => [row.cid, asBytes(row.bytes)]));
    if (from < this.archivedThrough(chain)) {
      for (const { cid, segment } of this.t.archivedIn.all(chain, from, to) as { cid: string; segment: string }[]) {
        const bytes = this.segmentBodies(segment, chain).get(cid);
        if (bytes !== undefined) held.set(cid, bytes);
      }
    }
    return held;
  }

  /** Read each time, not kept: another process (the CLI beside a running wallet) may have moved bodies since. */
  archivedThrough(chain: Did): number {
    return this.t.archivedThrough.get(chain) as number;
  }

  tierSizes(chain: Did): TierSizes {
    const headers = this.t.headerSizes.get(chain) as { blocks: number; bytes: number };
    const hot = this.t.hotSizes.get(chain) as { bodies: number; bytes: number };
    const archive = this.t.archiveSizes.get(chain) as { segments: number; bodies: number; bytes: number };
    return { blocks: headers.blocks, headerBytes: headers.bytes, hot, archive: { ...archive, through: this.archivedThrough(chain) } };
  }

  blocksBefore(chain: Did, ts: number): number {
    return this.t.seqsBefore.get(chain, ts) as number;
  }

  archiveBodies(chain: Did, through: number, at: number): { segments: number; bodies: number; bytes: number } {
    const files = this.segments;
    if (files === null) throw new StoreConflictError('a database in memory has no archive tier');
    const moved = { segments: 0, bodies: 0, bytes: 0 };
    let start = this.archivedThrough(chain);
    // Runs of about SEGMENT_TARGET_BYTES, read a page at a time (a long chain never sits in memory whole); a
    // block's bodies never split; the first run starts where the archive ends and the last ends at `through`,
    // so the archived part is always one prefix of the chain.
    let run: SegmentBody[] = [];
    let size = 0;
    const flush = (end: number) => {
      const name = files.write(chain, run);
      withDatabaseErrors(this.db.name, () => this.db.transaction(() => {
        this.t.insertSegment.run(name, chain, start, end, run.length, size, at);
        for (const body of run) {
          this.t.insertArchived.run(body.cid, chain, body.seq, name);
          this.t.dropBody.run(body.cid);
        }
      }).immediate());
      moved.segments++;
      moved.bodies += run.length;
      moved.bytes += size;
      start = end;
      run = [];
      size = 0;
    };
    for (let cursor = start; cursor < through;) {
      const page = this.t.hotBodiesPage.all(chain, cursor, through, ARCHIVE_PAGE) as { seq: number; cid: string; bytes: Buffer }[];
      for (const row of page) {
        if (size >= SEGMENT_TARGET_BYTES && row.seq !== run[run.length - 1]!.seq) flush(row.seq);
        run.push({ seq: row.seq, cid: row.cid, bytes: asBytes(row.bytes) });
        size += row.bytes.length;
      }
      // A full page may end inside a block: the next one starts at that block again, past the bodies taken.
      if (page.length < ARCHIVE_PAGE) break;
      const last = page[page.length - 1]!;
      const taken = page.filter((row) => row.seq === last.seq).length;
      const rest = this.t.hotBodiesOfBlock.all(chain, last.seq) as { seq: number; cid: string; bytes: Buffer }[];
      for (const row of rest.slice(taken)) {
        run.push({ seq: row.seq, cid: row.cid, bytes: asBytes(row.bytes) });
        size += row.bytes.length;
      }
      cursor = last.seq + 1;
    }
    if (run.length > 0) flush(through);
    return moved;
  }

  hotBodiesIn(chain: Did, from: number, to: number): number {
    return this.t.hotBodiesCount.get(chain, from, to) as number;
  }

  private get t(): ReturnType<typeof prepareTierStatements> {
    return (this.tierStatements ??= prepareTierStatements(this.db));
  }

  /** The bodies of one segment file, checked against its name; the last few read are kept. */
  private segmentBodies(name: string, chain: Did): Map<string, Uint8Array> {
    if (this.segments === null) return new Map();
    return this.segments.read(name, chain);
  }

  putBlobs(chain: Did, blobs: readonly StoredBlob[]): void {
    withDatabaseErrors(this.db.name, () => this.db.transaction(() => this.addBytes(chain, this.insertBlobs(chain, blobs)))());
  }

  blob(cid: string): Uint8Array | undefined {
    const bytes = this.q.blob.get(cid) as Buffer | undefined;
    return bytes && asBytes(bytes);
  }

  blobCids(chain: Did): string[] {
    return this.q.blobCids.all(chain) as string[];
  }

  storedBytes(chain: Did): number {
    return (this.q.storedBytes.get(chain) as number | undefined) ?? 0;
  }

  latestSnapshot(chain: Did): StoredSnapshot | undefined {
    const row = this.q.snapshot.get(chain) as { seq: number; cid: string; sealed: Buffer } | undefined;
    return row && { seq: row.seq, cid: row.cid, sealed: asBytes(row.sealed) };
  }

  putSnapshot(chain: Did, snapshot: StoredSnapshot): void {
    withDatabaseErrors(this.db.name, () => this.q.putSnapshot.run(chain, snapshot.seq, snapshot.cid, snapshot.sealed), 'the change was saved, but not the snapshot that speeds up opening');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
