// The archive file: a whole encrypted chain in one canonical DAG-CBOR document (headers, sealed bodies,
// sealed media blobs). Reading one verifies every header, body and blob before anything is returned, so an
// import either takes a complete, valid archive or changes nothing. An import also refuses an archive older
// than a head known elsewhere (unless told to take it), and media that do not match the chain's references.
import { decodeCanonical, encode, parseCid, asCid, CID } from '../chain/codec.ts';
import { EquivocationError, equivocationProof } from '../chain/equivocation.ts';
import { decodeHeader, type SignedBlockHeader } from '../chain/header.ts';
import { ChainVerifier, verifyChain } from '../chain/verify.ts';
import type { Crypto, SignatureBatchVerifier } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { isDid, type Did } from '../identity/did.ts';
import { blobMatches, openManifest } from '../media/media.ts';
import type { MediaRef } from '../chain/ops.ts';
import type { BlockWrite, ChainStore, StoredBlob } from '../ports.ts';

export const ARCHIVE_FORMAT = 'defaust/archive';
export const ARCHIVE_VERSION = 1;

export class ArchiveError extends DefaustError {
  override name = 'ArchiveError';
  constructor(message: string, code = 'archive') {
    super(code, message);
  }
}

/** Where a head newer than an archive's was seen: in this home's store, or in the network's head record. */
export type HeadSource = 'home' | 'network';

/** The archive ends before a head already seen; writing on it would fork the chain there. */
export class OlderArchiveError extends ArchiveError {
  override name = 'OlderArchiveError';
  readonly archiveLength: number;
  readonly knownLength: number;
  readonly source: HeadSource;
  constructor(archiveLength: number, knownLength: number, source: HeadSource) {
    super(source === 'home'
      ? `the archive holds ${archiveLength} blocks, fewer than the ${knownLength} already here; nothing imported`
      : `the archive holds ${archiveLength} blocks but the network's head record names ${knownLength}: writing on it would fork your chain; nothing imported (fetch the newer chain, or pass --accept-older to take this one anyway)`, 'archive-older');
    this.archiveLength = archiveLength;
    this.knownLength = knownLength;
    this.source = source;
  }
}

/** The archive's media blobs do not match what its chain references: some are missing, or some are foreign. */
export class ArchiveMediaError extends ArchiveError {
  override name = 'ArchiveMediaError';
  /** Blobs the chain references that the archive lacks (a manifest, or a chunk its manifest lists). */
  readonly missing: string[];
  /** Blobs in the archive that no media reference of the chain leads to. */
  readonly unexpected: string[];
  constructor(missing: string[], unexpected: string[]) {
    const parts = [
      ...(missing.length > 0 ? [`${missing.length} media blob(s) the chain references are missing (first: ${missing[0]}; pass --without-media to import without them)`] : []),
      ...(unexpected.length > 0 ? [`${unexpected.length} blob(s) no media of the chain references (first: ${unexpected[0]})`] : []),
    ];
    super(`the archive's media do not match its chain: ${parts.join('; ')}; nothing imported`, 'archive-media');
    this.missing = missing;
    this.unexpected = unexpected;
  }
}

export interface ImportOptions {
  /** The newest head known elsewhere (the network's head record); an archive ending before it is refused… */
  known?: { length: number; source: HeadSource } | null;
  /** …unless this is set: the person chose to take the older archive as the writing head. */
  acceptOlder?: boolean;
}

export interface Archive {
  id: Did;
  headers: Uint8Array[];
  bodies: Map<string, Uint8Array>;
  blobs: Map<string, Uint8Array>;
}

/** Writes the whole chain of `id`, with every body and media blob held, as one document. */
export function exportArchive(store: ChainStore, id: Did): Uint8Array {
  const headers: Uint8Array[] = [];
  const bodies: [CID, Uint8Array][] = [];
  for (const stored of store.headers(id)) {
    headers.push(stored.bytes);
  }
  if (headers.length === 0) throw new ArchiveError(`no chain for ${id} to export`);
  const seen = new Set<string>();
  for (const bytes of headers) {
    const value = decodeCanonical(bytes) as { bodies: { cid: CID }[] };
    for (const ref of value.bodies) {
      const key = ref.cid.toString();
      const body = store.body(key);
      if (body !== undefined && !seen.has(key)) {
        seen.add(key);
        bodies.push([ref.cid, body]);
      }
    }
  }
  const blobs = store.blobCids(id).map((cid) => [parseCid(cid), store.blob(cid)!] as [CID, Uint8Array]);
  return encode({ format: ARCHIVE_FORMAT, v: ARCHIVE_VERSION, id, headers, bodies, blobs });
}

function pairs(value: unknown, what: string): Map<string, Uint8Array> {
  if (!Array.isArray(value)) throw new ArchiveError(`the archive's ${what} are malformed`);
  const out = new Map<string, Uint8Array>();
  for (const pair of value) {
    const cid = Array.isArray(pair) ? asCid(pair[0]) : null;
    if (cid === null || !(pair[1] instanceof Uint8Array) || pair.length !== 2) throw new ArchiveError(`the archive's ${what} are malformed`);
    out.set(cid.toString(), pair[1]);
  }
  return out;
}

/** Decodes an archive's structure (format, version, id, headers, bodies, blobs) without verifying the chain yet. */
export function decodeArchive(bytes: Uint8Array): Archive {
  let value: Record<string, unknown>;
  try {
    value = decodeCanonical(bytes) as Record<string, unknown>;
  } catch {
    throw new ArchiveError('this file is not a DeFaust archive, or it is damaged (it does not decode)');
  }
  if (value?.format !== ARCHIVE_FORMAT) throw new ArchiveError('this file is not a DeFaust archive');
  if (value.v !== ARCHIVE_VERSION) throw new ArchiveError(`unsupported archive version ${String(value.v)}`);
  if (!isDid(value.id)) throw new ArchiveError('the archive does not name a valid identity');
  if (!Array.isArray(value.headers) || value.headers.length === 0 || !value.headers.every((h) => h instanceof Uint8Array)) {
    throw new ArchiveError('the archive holds no headers');
  }
  return { id: value.id, headers: value.headers as Uint8Array[], bodies: pairs(value.bodies, 'bodies'), blobs: pairs(value.blobs, 'media blobs') };
}

function checkArchiveBlobs(crypto: Crypto, archive: Archive): void {
  for (const [cid, blob] of archive.blobs) {
    if (!blobMatches(crypto, CID.parse(cid), blob)) throw new ArchiveError(`media blob ${cid} is damaged`);
  }
}

/** Decodes and fully verifies an archive: chain rules, every body present and matching, every blob matching. */
export function readArchive(crypto: Crypto, bytes: Uint8Array): Archive {
  const archive = decodeArchive(bytes);
  verifyChain(crypto, archive.id, archive.headers, (cid) => archive.bodies.get(cid.toString()), { requireBodies: true });
  checkArchiveBlobs(crypto, archive);
  return archive;
}

/** Headers verified per batch by `verifyArchiveInBatches` (each batch's signatures checked at once). */
export const ARCHIVE_VERIFY_BATCH = 256;

/**
 * `readArchive`'s checks on a decoded archive, a batch of headers at a time with the signatures of each batch
 * checked by `signatures`: `afterBatch(done, total)` is awaited after each one (to report progress, to give
 * way, or to stop by throwing). The same first failure as readArchive.
 */
export async function verifyArchiveInBatches(
  crypto: Crypto,
  archive: Archive,
  signatures: SignatureBatchVerifier,
  afterBatch: (done: number, total: number) => Promise<void> | void = () => undefined,
  batch = ARCHIVE_VERIFY_BATCH,
): Promise<void> {
  const verifier = new ChainVerifier(crypto, archive.id);
  const bodies = (cid: CID) => archive.bodies.get(cid.toString());
  const total = archive.headers.length;
  for (let from = 0; from < total; from += batch) {
    await verifier.acceptBatch(archive.headers.slice(from, from + batch), signatures, bodies, { requireBodies: true });
    await afterBatch(Math.min(from + batch, total), total);
  }
  checkArchiveBlobs(crypto, archive);
}

/**
 * Stores what an archive adds to the chain held here. The archive must extend the stored chain: the same
 * CID at every seq both hold (else an EquivocationError carries the proof). All-or-nothing.
 */
export function importArchive(crypto: Crypto, store: ChainStore, archive: Archive, options: ImportOptions = {}): { added: number; length: number } {
  return importBlocks(store, { id: archive.id, from: 0, blocks: archive.headers.map((bytes) => decodeHeader(crypto, bytes)), bodies: archive.bodies, blobs: archive.blobs }, crypto, options);
}

/** Verified blocks to store: consecutive from seq `from` (at most what is held here), with their bodies and blobs. */
export interface VerifiedBlocks {
  id: Did;
  from: number;
  blocks: readonly SignedBlockHeader[];
  bodies: ReadonlyMap<string, Uint8Array>;
  blobs: ReadonlyMap<string, Uint8Array>;
}

/**
 * `importArchive` for blocks already decoded and verified (a sync intake): stores those past the chain held
 * here, after checking that the ones both hold have the same CIDs (else an EquivocationError). All-or-nothing.
 */
export function importBlocks(store: ChainStore, verified: VerifiedBlocks, crypto: Crypto, options: ImportOptions = {}): { added: number; length: number } {
  const { id, blocks, from: first } = verified;
  const stored = store.head(id);
  const have = stored === undefined ? 0 : stored.seq + 1;
  const length = first + blocks.length;
  if (first > have) throw new ArchiveError(`the blocks start at seq ${first}, after the ${have} held here`);
  for (let seq = first; seq < Math.min(have, length); seq++) {
    const mine = store.header(id, seq)!;
    const theirs = blocks[seq - first]!;
    if (mine.cid !== theirs.cid.toString()) {
      throw new EquivocationError(id, seq, equivocationProof(crypto, store, id, seq, mine.bytes, theirs.bytes));
    }
  }
  if (length < have) throw new OlderArchiveError(length, have, 'home');
  const known = options.known;
  if (known && length < known.length && !options.acceptOlder) throw new OlderArchiveError(length, known.length, known.source);
  const writes: BlockWrite[] = blocks.slice(Math.max(0, have - first)).map(({ header, cid, bytes }) => ({
    header: { seq: header.seq, cid: cid.toString(), kind: header.kind, ts: header.ts, author: header.author, bytes },
    bodies: header.bodies.map((ref) => ({ cid: ref.cid.toString(), bytes: verified.bodies.get(ref.cid.toString())! })),
  }));
  const blobs: StoredBlob[] = [...verified.blobs].filter(([cid]) => store.blob(cid) === undefined).map(([cid, bytes]) => ({ cid, bytes }));
  if (writes.length > 0 || blobs.length > 0) store.append(id, writes, blobs);
  return { added: writes.length, length };
}

/**
 * Checks the archive's media blobs against the media references its chain holds (`refs`, read with the
 * owner's keys): every manifest and every chunk it lists is present — or, with `allowMissing`, may be
 * absent — and no blob is there that no reference leads to.
 */
export function checkArchiveMedia(crypto: Crypto, archive: Archive, refs: readonly MediaRef[], allowMissing = false): void {
  const expected = new Set<string>();
  const missing: string[] = [];
  const want = (cid: string) => {
    expected.add(cid);
    if (!archive.blobs.has(cid) && !missing.includes(cid)) missing.push(cid);
  };
  for (const ref of refs) {
    const manifestCid = ref.cid.toString();
    want(manifestCid);
    const manifest = archive.blobs.get(manifestCid);
    if (manifest !== undefined) for (const chunk of openManifest(crypto, ref, manifest).chunks) want(chunk.toString());
  }
  const unexpected = [...archive.blobs.keys()].filter((cid) => !expected.has(cid));
  if (unexpected.length > 0 || (missing.length > 0 && !allowMissing)) throw new ArchiveMediaError(allowMissing ? [] : missing, unexpected);
}
