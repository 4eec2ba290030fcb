// Media objects (pictures, films): split into chunks, each sealed with a per-object key and addressed by
// the CID of its ciphertext; a sealed manifest lists the chunks. The MediaRef (manifest CID + key) goes into
// a section body, so whoever can read the section can fetch and open the media, and nobody else.
import { concatBytes, u32be } from '../bytes.ts';
import { RAW, cidOf, decodeCanonical, encode, asCid, hashesTo, type CID } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import type { MediaRef } from '../chain/ops.ts';

export const CHUNK_SIZE = 256 * 1024;
export const MAX_MEDIA_BYTES = 2 * 1024 * 1024 * 1024;

export interface Blob {
  cid: CID;
  bytes: Uint8Array;
}

export class MediaError extends DefaustError {
  override name = 'MediaError';
  constructor(message: string) {
    super('media', message);
  }
}

const ZERO8 = new Uint8Array(8);
const chunkNonce = (index: number): Uint8Array => concatBytes(ZERO8, u32be(index));
const MANIFEST_NONCE = new Uint8Array(12).fill(0xff);
const chunkAad = (index: number): Uint8Array => encode(['defaust/chunk/v1', index]);
const MANIFEST_AAD = encode(['defaust/manifest/v1']);

/** Seals `bytes` as chunks plus a manifest; returns the reference and the blobs to store. */
export function sealMedia(crypto: Crypto, bytes: Uint8Array, name: string, type: string): { ref: MediaRef; blobs: Blob[] } {
  if (bytes.length > MAX_MEDIA_BYTES) throw new MediaError(`media is limited to ${MAX_MEDIA_BYTES} bytes`);
  const key = crypto.randomBytes(32);
  const blobs: Blob[] = [];
  for (let offset = 0, index = 0; offset < bytes.length || (index === 0 && bytes.length === 0); offset += CHUNK_SIZE, index++) {
    const sealed = crypto.aead.seal(key, chunkNonce(index), bytes.subarray(offset, offset + CHUNK_SIZE), chunkAad(index));
    blobs.push({ cid: cidOf(crypto.sha256, sealed, RAW), bytes: sealed });
    if (bytes.length === 0) break;
  }
  const manifest = encode({ name, type, size: bytes.length, chunkSize: CHUNK_SIZE, chunks: blobs.map((b) => b.cid) });
  const sealedManifest = crypto.aead.seal(key, MANIFEST_NONCE, manifest, MANIFEST_AAD);
  const manifestCid = cidOf(crypto.sha256, sealedManifest, RAW);
  return {
    ref: { cid: manifestCid, key, name, type, size: bytes.length, chunks: blobs.length },
    blobs: [...blobs, { cid: manifestCid, bytes: sealedManifest }],
  };
}

/** True when `bytes` hash to `cid` (every blob is checked before it is trusted). */
export function blobMatches(crypto: Crypto, cid: CID, bytes: Uint8Array): boolean {
  return hashesTo(crypto.sha256, bytes, cid);
}

/** The chunk CIDs a manifest lists (to fetch or export them). */
export function openManifest(crypto: Crypto, ref: MediaRef, sealed: Uint8Array): { size: number; chunks: CID[] } {
  if (!blobMatches(crypto, ref.cid, sealed)) throw new MediaError(`manifest ${ref.cid.toString()} is damaged`);
  const plain = crypto.aead.open(ref.key, MANIFEST_NONCE, sealed, MANIFEST_AAD);
  if (plain === null) throw new MediaError(`manifest ${ref.cid.toString()} does not open with its key`);
  const manifest = decodeCanonical(plain) as { size?: unknown; chunks?: unknown };
  if (!Number.isSafeInteger(manifest.size) || !Array.isArray(manifest.chunks) || !manifest.chunks.every((c) => asCid(c) !== null)) {
    throw new MediaError(`manifest ${ref.cid.toString()} is malformed`);
  }
  return { size: manifest.size as number, chunks: manifest.chunks as CID[] };
}

/** Fetches, checks and decrypts a media object; throws MediaError when a blob is missing or damaged. */
export function openMedia(crypto: Crypto, ref: MediaRef, getBlob: (cid: CID) => Uint8Array | undefined): Uint8Array {
  const sealedManifest = getBlob(ref.cid);
  if (sealedManifest === undefined) throw new MediaError(`media ${ref.cid.toString()} is not stored here`);
  const manifest = openManifest(crypto, ref, sealedManifest);
  const parts = manifest.chunks.map((cid, index) => {
    const sealed = getBlob(cid);
    if (sealed === undefined) throw new MediaError(`chunk ${index} of ${ref.cid.toString()} is missing`);
    if (!blobMatches(crypto, cid, sealed)) throw new MediaError(`chunk ${index} of ${ref.cid.toString()} is damaged`);
    const plain = crypto.aead.open(ref.key, chunkNonce(index), sealed, chunkAad(index));
    if (plain === null) throw new MediaError(`chunk ${index} of ${ref.cid.toString()} does not open`);
    return plain;
  });
  const bytes = concatBytes(...parts);
  if (bytes.length !== manifest.size) throw new MediaError(`media ${ref.cid.toString()} has the wrong size`);
  return bytes;
}
