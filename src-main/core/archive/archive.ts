// The archive file: a whole encrypted chain in one canonical DAG-CBOR document (headers, sealed bodies,
// sealed media blobs). Reading one verifies every header, body and blob before anything is returned, so an
// import either takes a complete, valid archive or changes nothing.
import { decodeCanonical, encode, parseCid, asCid, CID } from '../chain/codec.ts';
import { EquivocationError } from '../chain/equivocation.ts';
import { decodeHeader } from '../chain/header.ts';
import { ChainVerifier } from '../chain/verify.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { isDid, type Did } from '../identity/did.ts';
import { blobMatches } from '../media/media.ts';
import type { BlockWrite, ChainStore, StoredBlob } from '../ports.ts';

export const ARCHIVE_FORMAT = 'defaust/archive';
export const ARCHIVE_VERSION = 1;

export class ArchiveError extends DefaustError {
  override name = 'ArchiveError';
  constructor(message: string) {
    super('archive', message);
  }
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

/** Decodes and fully verifies an archive: chain rules, every body present and matching, every blob matching. */
export function readArchive(crypto: Crypto, bytes: Uint8Array): Archive {
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
  const archive: Archive = { id: value.id, headers: value.headers as Uint8Array[], bodies: pairs(value.bodies, 'bodies'), blobs: pairs(value.blobs, 'media blobs') };
  const verifier = new ChainVerifier(crypto, archive.id);
  for (const header of archive.headers) verifier.acceptBytes(header, (cid) => archive.bodies.get(cid.toString()), { requireBodies: true });
  for (const [cid, blob] of archive.blobs) {
    if (!blobMatches(crypto, CID.parse(cid), blob)) throw new ArchiveError(`media blob ${cid} is damaged`);
  }
  return archive;
}

/**
 * Stores what an archive adds to the chain held here. The archive must extend the stored chain: the same
 * CID at every seq both hold (else an EquivocationError carries the proof). All-or-nothing.
 */
export function importArchive(crypto: Crypto, store: ChainStore, archive: Archive): { added: number; length: number } {
  const stored = store.head(archive.id);
  const have = stored === undefined ? 0 : stored.seq + 1;
  for (let seq = 0; seq < Math.min(have, archive.headers.length); seq++) {
    const mine = store.header(archive.id, seq)!;
    const theirs = archive.headers[seq]!;
    if (mine.cid !== decodeHeader(crypto, theirs).cid.toString()) {
      throw new EquivocationError(archive.id, seq, { a: mine.bytes, b: theirs });
    }
  }
  if (archive.headers.length < have) {
    throw new ArchiveError(`the archive holds ${archive.headers.length} blocks, fewer than the ${have} already here; nothing imported`);
  }
  const writes: BlockWrite[] = archive.headers.slice(have).map((bytes) => {
    const block = decodeHeader(crypto, bytes);
    return {
      header: { seq: block.header.seq, cid: block.cid.toString(), kind: block.header.kind, ts: block.header.ts, author: block.header.author, bytes },
      bodies: block.header.bodies.map((ref) => ({ cid: ref.cid.toString(), bytes: archive.bodies.get(ref.cid.toString())! })),
    };
  });
  const blobs: StoredBlob[] = [...archive.blobs].filter(([cid]) => store.blob(cid) === undefined).map(([cid, bytes]) => ({ cid, bytes }));
  if (writes.length > 0 || blobs.length > 0) store.append(archive.id, writes, blobs);
  return { added: writes.length, length: archive.headers.length };
}

