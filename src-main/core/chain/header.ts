// Block headers: the small signed part of every block (DESIGN §3). Parsing checks the shape of untrusted
// headers; signing and CIDs are defined over canonical DAG-CBOR.
import type { Crypto } from '../crypto/port.ts';
import { didProblem, isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { asCid, cidOf, decodeCanonical, encode, type CID } from './codec.ts';
import { ChainVerificationError } from './errors.ts';
import { readHeaderLayout } from './header-layout.ts';
import { MAX_HEADER_BYTES } from '../../../src-shared/rules/limits.ts';
import { SECTION_NAME } from '../../../src-shared/rules/names.ts';

/**
 * The version new blocks are written in. v2 seals the meta that names other parties (private-meta.ts) and
 * pads bodies to buckets; v1 blocks, written before, stay readable and verifiable, and a chain may hold both.
 */
export const HEADER_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

export const BLOCK_KINDS = [
  'genesis', 'delta', 'section-keys', 'grant', 'revoke', 'device-add', 'device-revoke', 'registry',
  'merge', 'feat', 'attestation', 'challenge', 'duel', 'review', 'checkpoint', 'trust',
] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];
const KINDS: ReadonlySet<string> = new Set(BLOCK_KINDS);

/**
 * Kinds that only the identity key itself may sign; everything else may also come from a live device. A
 * checkpoint is the identity's own word on its history, checkable with nothing but its did.
 */
export const IDENTITY_ONLY_KINDS: ReadonlySet<BlockKind> = new Set(['genesis', 'device-add', 'device-revoke', 'registry', 'checkpoint']);

/** Where a body lives and which key opens it: section, key generation and epoch. */
export interface BodyRef {
  section: string;
  gen: number;
  epoch: number;
  cid: CID;
}

export type Meta = { [key: string]: unknown };

export interface UnsignedHeader {
  v: number;
  id: Did;
  seq: number;
  prev: CID | null;
  ts: number;
  kind: BlockKind;
  author: Did;
  bodies: BodyRef[];
  meta: Meta;
}

export interface Header extends UnsignedHeader {
  sig: Uint8Array;
}

/** A header with the exact bytes it was received as and their CID. */
export interface SignedBlockHeader {
  header: Header;
  bytes: Uint8Array;
  cid: CID;
}

const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && asCid(value) === null;

const HEADER_KEYS = ['author', 'bodies', 'id', 'kind', 'meta', 'prev', 'seq', 'sig', 'ts', 'v'];

/** Checks the shape of a decoded value and returns it as a Header, or throws a `schema` error. */
export function asHeader(value: unknown): Header {
  const fail = (why: string, seq: number | null = null): never => {
    throw new ChainVerificationError('schema', seq, why);
  };
  if (!isObject(value)) return fail('a header must be a map');
  const seq = isUint(value.seq) ? value.seq : null;
  const keys = Object.keys(value).sort();
  if (keys.join(',') !== HEADER_KEYS.join(',')) fail(`header fields must be exactly ${HEADER_KEYS.join(', ')}`, seq);
  if (!READABLE_VERSIONS.includes(value.v)) fail(`unsupported header version ${String(value.v)}`, seq);
  if (!isDid(value.id)) fail('id is not an Ed25519 did:key', seq);
  if (seq === null) fail('seq must be a non-negative integer');
  if (value.prev !== null && asCid(value.prev) === null) fail('prev must be a CID or null', seq);
  if (!isUint(value.ts)) fail('ts must be a non-negative integer (milliseconds)', seq);
  if (typeof value.kind !== 'string' || !(BLOCK_KINDS as readonly string[]).includes(value.kind)) fail(`unknown kind ${String(value.kind)}`, seq);
  const authorProblem = didProblem(value.author);
  if (authorProblem !== null) fail(`author is not a usable Ed25519 did:key (${authorProblem})`, seq);
  if (!Array.isArray(value.bodies)) fail('bodies must be a list', seq);
  for (const body of value.bodies as unknown[]) {
    if (!isObject(body) || Object.keys(body).sort().join(',') !== 'cid,epoch,gen,section') fail('a body reference is {section, gen, epoch, cid}', seq);
    const ref = body as Record<string, unknown>;
    if (typeof ref.section !== 'string' || !SECTION_NAME.test(ref.section)) fail('a body section name is invalid', seq);
    if (!isUint(ref.gen) || !isUint(ref.epoch)) fail('a body gen and epoch are non-negative integers', seq);
    if (asCid(ref.cid) === null) fail('a body cid is not a CID', seq);
  }
  if (!isObject(value.meta)) fail('meta must be a map', seq);
  if (!(value.sig instanceof Uint8Array) || value.sig.length !== 64) fail('sig must be 64 bytes', seq);
  return value as unknown as Header;
}

export function unsignedBytes(header: UnsignedHeader): Uint8Array {
  const { v, id, seq, prev, ts, kind, author, bodies, meta } = header;
  return encode({ v, id, seq, prev, ts, kind, author, bodies, meta });
}

const uintLength = (n: number): number => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9);
const SIG_ENTRY = [0x63, 0x73, 0x69, 0x67, 0x58, 0x40]; // text "sig", then a 64-byte byte string
const SIG_ENTRY_LENGTH = SIG_ENTRY.length + 64;

/**
 * The bytes the signature covers, cut from canonical header bytes instead of re-encoded: canonical key order
 * puts `v, id, ts, seq` before `sig`, so its offset follows from their lengths. Falls back to re-encoding
 * when the bytes are not laid out as expected (they then fail verification anyway).
 */
export function unsignedBytesOf(block: SignedBlockHeader): Uint8Array {
  const { header, bytes } = block;
  const offset = 1 + 3 + (3 + uintLength(header.id.length) + header.id.length) + (3 + uintLength(header.ts)) + (4 + uintLength(header.seq));
  if (bytes[0] !== 0xaa || SIG_ENTRY.some((byte, i) => bytes[offset + i] !== byte)) return unsignedBytes(header);
  const out = new Uint8Array(bytes.length - SIG_ENTRY_LENGTH);
  out[0] = 0xa9;
  out.set(bytes.subarray(1, offset), 1);
  out.set(bytes.subarray(offset + SIG_ENTRY_LENGTH), offset);
  return out;
}

export function signHeader(crypto: Crypto, unsigned: UnsignedHeader, signerSeed: Uint8Array): SignedBlockHeader {
  const sig = crypto.ed25519.sign(signerSeed, unsignedBytes(unsigned));
  const header: Header = { ...unsigned, sig };
  const bytes = encode(header);
  return { header, bytes, cid: cidOf(crypto.sha256, bytes) };
}

/** Decodes untrusted header bytes: size cap, canonical encoding, shape. Does not check the signature. */
export function decodeHeader(crypto: Crypto, bytes: Uint8Array): SignedBlockHeader {
  if (bytes.length > MAX_HEADER_BYTES) throw new ChainVerificationError('schema', null, `header of ${bytes.length} bytes exceeds ${MAX_HEADER_BYTES}`);
  return { header: readHeader(bytes), bytes, cid: cidOf(crypto.sha256, bytes) };
}

/** The header in `bytes` (canonical encoding and shape checked, no size cap, no CID): for headers held here. */
export function readHeader(bytes: Uint8Array): Header {
  return readAsWritten(bytes) ?? readAnyLayout(bytes);
}

/** The quick read (header-layout.ts), when the header is laid out as written and keeps asHeader's rules. */
function readAsWritten(bytes: Uint8Array): Header | null {
  const read = readHeaderLayout(bytes);
  if (read === null || !READABLE_VERSIONS.includes(read.v) || !KINDS.has(read.kind) || !isDid(read.id) || didProblem(read.author) !== null) return null;
  for (const body of read.bodies) if (!SECTION_NAME.test(body.section)) return null;
  return read as Header;
}

/** The general read, which names whatever is wrong. */
function readAnyLayout(bytes: Uint8Array): Header {
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch (error) {
    throw new ChainVerificationError('canonical', null, (error as Error).message);
  }
  return asHeader(value);
}

export function signatureValid(crypto: Crypto, header: Header): boolean {
  return crypto.ed25519.verify(publicKeyFromDid(header.author), unsignedBytes(header), header.sig);
}
