// The chain verifier: takes headers in seq order and enforces every rule of DESIGN §3, each failure a
// ChainVerificationError naming the rule and the seq. It keeps only what later rules need (the previous
// header and the device certificates), so it verifies a chain of any length in constant memory.
import { equalBytes } from '../bytes.ts';
import type { Crypto } from '../crypto/port.ts';
import { publicKeyFromDid, type Did } from '../identity/did.ts';
import { cidOf, type CID } from './codec.ts';
import { ChainVerificationError } from './errors.ts';
import { IDENTITY_ONLY_KINDS, decodeHeader, unsignedBytesOf, type Header, type SignedBlockHeader } from './header.ts';
import { checkKindMeta, deviceOf } from './meta.ts';
import type { ChainStore } from '../ports.ts';
import { MAX_BLOCK_BODIES_BYTES, MAX_BODY_BYTES } from '../../../src-shared/rules/limits.ts';

/** How far a block's time may go back behind its predecessor's (clock skew between devices). */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

/** Looks up body bytes by CID; undefined when the body is not held (headers stay verifiable without it). */
export type BodyLookup = (cid: CID) => Uint8Array | undefined;

export interface VerifyOptions {
  /** When true, a body referenced by a header but not supplied is an error (`body-missing`). */
  requireBodies?: boolean;
}

interface DeviceRecord {
  addedAt: number;
  revokedAt: number | null;
}

export class ChainVerifier {
  private readonly devices = new Map<Did, DeviceRecord>();
  private readonly keys = new Map<Did, Uint8Array>();
  private last: { cid: CID; seq: number; ts: number } | null = null;
  readonly id: Did;
  private readonly crypto: Crypto;

  constructor(crypto: Crypto, id: Did) {
    this.crypto = crypto;
    this.id = id;
  }

  get length(): number {
    return this.last === null ? 0 : this.last.seq + 1;
  }

  get head(): CID | null {
    return this.last?.cid ?? null;
  }

  /** Decodes and verifies the next header; bodies it references are checked when `bodies` holds them. */
  acceptBytes(bytes: Uint8Array, bodies?: BodyLookup, options: VerifyOptions = {}): SignedBlockHeader {
    let block: SignedBlockHeader;
    try {
      block = decodeHeader(this.crypto, bytes);
    } catch (error) {
      if (error instanceof ChainVerificationError) throw new ChainVerificationError(error.rule, this.length, error.message.replace(/^block \d+: /u, ''));
      throw error;
    }
    this.accept(block, bodies, options);
    return block;
  }

  /** Verifies an already decoded header (its bytes and CID must be the canonical ones). */
  accept(block: SignedBlockHeader, bodies?: BodyLookup, options: VerifyOptions = {}): void {
    const { header } = block;
    const seq = header.seq;
    // Failures name the position in the chain (the seq this block should have), whatever seq it claims.
    const at = this.length;
    const fail = (rule: ConstructorParameters<typeof ChainVerificationError>[0], why: string): never => {
      throw new ChainVerificationError(rule, at, why);
    };
    if (header.id !== this.id) fail('identity', `belongs to ${header.id}, not ${this.id}`);
    if (this.last === null) {
      if (seq !== 0) fail('seq', `the first block must have seq 0, not ${seq}`);
      if (header.prev !== null) fail('prev', 'genesis must have prev null');
      if (header.kind !== 'genesis') fail('genesis', `the first block must be genesis, not ${header.kind}`);
      if (header.author !== this.id) fail('genesis', 'genesis must be signed by the identity key');
    } else {
      if (seq !== this.last.seq + 1) fail('seq', `expected seq ${this.last.seq + 1}, got ${seq}`);
      if (header.prev === null || !header.prev.equals(this.last.cid)) fail('prev', 'prev is not the CID of the previous header');
      if (header.kind === 'genesis') fail('genesis', 'only the first block may be genesis');
      if (header.ts + TIMESTAMP_TOLERANCE_MS < this.last.ts) fail('timestamp', 'time goes backwards beyond the tolerance');
    }
    this.checkAuthor(header, fail);
    try {
      checkKindMeta(header);
    } catch (error) {
      if (error instanceof ChainVerificationError) fail(error.rule, error.message.replace(/^block \d+: /u, ''));
      throw error;
    }
    if (!this.crypto.ed25519.verify(this.publicKey(header.author), unsignedBytesOf(block), header.sig)) {
      fail('signature', `signature by ${header.author} does not verify`);
    }
    let bodyBytes = 0;
    for (const body of header.bodies) {
      const bytes = bodies?.(body.cid);
      if (bytes === undefined) {
        if (options.requireBodies) fail('body-missing', `body ${body.cid.toString()} is missing`);
        continue;
      }
      bodyBytes += bytes.length;
      if (bytes.length > MAX_BODY_BYTES) fail('body-size', `a body of ${bytes.length} bytes exceeds ${MAX_BODY_BYTES}`);
      if (bodyBytes > MAX_BLOCK_BODIES_BYTES) fail('body-size', `the bodies pass ${MAX_BLOCK_BODIES_BYTES} bytes`);
      if (!equalBytes(cidOf(this.crypto.sha256, bytes, body.cid.code).multihash.bytes, body.cid.multihash.bytes)) {
        fail('body-cid', `body bytes do not hash to ${body.cid.toString()}`);
      }
    }
    this.applyDeviceChanges(header);
    this.last = { cid: block.cid, seq, ts: header.ts };
  }

  private checkAuthor(header: Header, fail: (rule: 'author', why: string) => never): void {
    if (header.author === this.id) return;
    if (IDENTITY_ONLY_KINDS.has(header.kind)) fail('author', `${header.kind} must be signed by the identity key`);
    const device = this.devices.get(header.author);
    if (device === undefined) fail('author', `${header.author} is not a certified device`);
    else if (device.revokedAt !== null) fail('author', `device ${header.author} was revoked at block ${device.revokedAt}`);
  }

  private applyDeviceChanges(header: Header): void {
    if (header.kind === 'device-add') {
      const device = deviceOf(header);
      if (!this.devices.has(device)) this.devices.set(device, { addedAt: header.seq, revokedAt: null });
    } else if (header.kind === 'device-revoke') {
      const device = this.devices.get(deviceOf(header));
      if (device && device.revokedAt === null) device.revokedAt = header.seq;
    }
  }

  private publicKey(did: Did): Uint8Array {
    let key = this.keys.get(did);
    if (key === undefined) {
      key = publicKeyFromDid(did);
      this.keys.set(did, key);
    }
    return key;
  }
}

/** Verifies a whole sequence of header bytes; returns the head CID and length, or throws the first failure. */
export function verifyChain(
  crypto: Crypto,
  id: Did,
  headers: Iterable<Uint8Array>,
  bodies?: BodyLookup,
  options?: VerifyOptions,
): { head: CID | null; length: number } {
  const verifier = new ChainVerifier(crypto, id);
  for (const bytes of headers) verifier.acceptBytes(bytes, bodies, options);
  return { head: verifier.head, length: verifier.length };
}

export interface VerifyReport {
  ok: boolean;
  head: string | null;
  length: number;
  error?: { code: string; rule: string; seq: number | null; message: string };
}

/** Verifies a stored chain from genesis to head, bodies included where held, as a report (never throws on a bad chain). */
export function verifyStoredChain(crypto: Crypto, store: ChainStore, id: Did): VerifyReport {
  const verifier = new ChainVerifier(crypto, id);
  const PAGE = 1024;
  let count = 0;
  let page = new Map<string, Uint8Array>();
  let pageEnd = 0;
  const bodies: BodyLookup = (cid) => page.get(cid.toString());
  try {
    for (const stored of store.headers(id)) {
      if (stored.seq >= pageEnd) {
        page = store.bodiesOf(id, stored.seq, stored.seq + PAGE);
        pageEnd = stored.seq + PAGE;
      }
      const block = verifier.acceptBytes(stored.bytes, bodies);
      if (block.cid.toString() !== stored.cid || block.header.seq !== stored.seq) {
        throw new ChainVerificationError('prev', stored.seq, 'the stored index does not match the header');
      }
      count++;
    }
    if (count === 0) throw new ChainVerificationError('genesis', 0, 'the chain is empty');
    return { ok: true, head: verifier.head?.toString() ?? null, length: verifier.length };
  } catch (error) {
    if (!(error instanceof ChainVerificationError)) throw error;
    return {
      ok: false,
      head: store.head(id)?.cid ?? null,
      length: store.head(id) === undefined ? 0 : store.head(id)!.seq + 1,
      error: { code: error.code, rule: error.rule, seq: error.seq, message: error.message },
    };
  }
}
