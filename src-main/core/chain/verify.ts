// The chain verifier: takes headers in seq order and enforces every rule of DESIGN §3, each failure a
// ChainVerificationError naming the rule and the seq. It keeps only what later rules need (the previous
// header and the device certificates), so it verifies a chain of any length in constant memory. In batches
// (`acceptBatch`), the signatures of a batch are checked all at once through a SignatureBatchVerifier (every
// core) while the chain-order rules still run one block after the other, with the same first failure.
import { equalBytes } from '../bytes.ts';
import type { Crypto, SignatureBatchVerifier, SignatureCheck } from '../crypto/port.ts';
import { publicKeyFromDid, type Did } from '../identity/did.ts';
import { cidText, hashesTo, type CID } from './codec.ts';
import { ChainVerificationError, type ChainRule } from './errors.ts';
import { IDENTITY_ONLY_KINDS, decodeHeader, unsignedBytesOf, type Header, type SignedBlockHeader } from './header.ts';
import { checkKindMeta, deviceOf } from './meta.ts';
import { checkpointMeta, HistoryAccumulator, storedHistory } from './checkpoint.ts';
import type { ChainStore, StoredHeader } from '../ports.ts';
import { MAX_BLOCK_BODIES_BYTES, MAX_BODY_BYTES } from '../../../src-shared/rules/limits.ts';

/** How far a block's time may go back behind its predecessor's (clock skew between devices). */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

/** Looks up body bytes by CID; undefined when the body is not held (headers stay verifiable without it). */
export type BodyLookup = (cid: CID) => Uint8Array | undefined;

export interface VerifyOptions {
  /** When true, a body referenced by a header but not supplied is an error (`body-missing`). */
  requireBodies?: boolean;
}

/** A batch decoded, its signatures out for checking (ChainVerifier.startBatch). */
export interface StartedBatch {
  accept(bodies?: BodyLookup, options?: VerifyOptions): Promise<SignedBlockHeader[]>;
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
  /** The history accumulator over every header accepted so far: checkpoints must sign its root. */
  readonly history: HistoryAccumulator;

  constructor(crypto: Crypto, id: Did, history: HistoryAccumulator = new HistoryAccumulator(crypto.sha256)) {
    this.crypto = crypto;
    this.id = id;
    this.history = history;
  }

  /**
   * A verifier that goes on after the chain `store` holds, which was verified when it was stored: it reads
   * the device certificates, the history accumulator and the head, and checks no signature again, so taking
   * one block after a 100,000-block chain costs reading CIDs, not 100,000 signatures.
   */
  static continuing(crypto: Crypto, store: ChainStore, id: Did): ChainVerifier {
    const head = store.head(id);
    const verifier = new ChainVerifier(crypto, id, storedHistory(crypto.sha256, store, id));
    if (head === undefined) return verifier;
    for (const stored of store.headersOfKind(id, ['device-add', 'device-revoke'])) verifier.applyDeviceChanges(decodeHeader(crypto, stored.bytes).header);
    const last = decodeHeader(crypto, head.bytes);
    if (last.cid.toString() !== head.cid || verifier.history.size !== head.seq + 1) {
      throw new ChainVerificationError('prev', head.seq, 'the stored index does not match the header');
    }
    verifier.last = { cid: last.cid, seq: head.seq, ts: last.header.ts };
    return verifier;
  }

  get length(): number {
    return this.last === null ? 0 : this.last.seq + 1;
  }

  get head(): CID | null {
    return this.last?.cid ?? null;
  }

  /** Decodes and verifies the next header; bodies it references are checked when `bodies` holds them. */
  acceptBytes(bytes: Uint8Array, bodies?: BodyLookup, options?: VerifyOptions): SignedBlockHeader {
    let block: SignedBlockHeader;
    try {
      block = decodeHeader(this.crypto, bytes);
    } catch (error) {
      throw this.atNext(error);
    }
    this.accept(block, bodies, options);
    return block;
  }

  /**
   * `acceptBytes` over a batch, the signatures checked all at once by `signatures`: the same blocks accepted
   * and the same first failure (rule and seq) as one `acceptBytes` after the other.
   */
  async acceptBatch(list: readonly Uint8Array[], signatures: SignatureBatchVerifier, bodies?: BodyLookup, options?: VerifyOptions): Promise<SignedBlockHeader[]> {
    return this.startBatch(list, signatures).accept(bodies, options);
  }

  /**
   * The first half of `acceptBatch`: decodes the batch and sets its signatures being checked, which needs
   * nothing of the chain before it, so the next batch can be started while this one's signatures are out.
   * `accept` then takes the blocks in order; batches must be accepted in the order they were started.
   */
  startBatch(list: readonly Uint8Array[], signatures: SignatureBatchVerifier): StartedBatch {
    const blocks: SignedBlockHeader[] = [];
    let undecodable: unknown = null;
    for (const bytes of list) {
      try {
        blocks.push(decodeHeader(this.crypto, bytes));
      } catch (error) {
        undecodable = error;
        break;
      }
    }
    const verdicts = signatures.verifyAll(blocks.map((block) => this.signatureCheck(block)));
    // Awaited in `accept`; a batch dropped after an earlier one failed leaves no unhandled rejection.
    verdicts.catch(() => undefined);
    return {
      accept: async (bodies, options) => {
        const verdict = await verdicts;
        blocks.forEach((block, i) => this.accept(block, bodies, options, verdict[i]!));
        if (undecodable !== null) throw this.atNext(undecodable);
        return blocks;
      },
    };
  }

  /** What the signature of `block` must verify as: independent of the chain before it, so checkable ahead. */
  signatureCheck(block: SignedBlockHeader): SignatureCheck {
    return { publicKey: this.publicKey(block.header.author), message: unsignedBytesOf(block), signature: block.header.sig };
  }

  /** A decoding failure named at the position the block should have taken. */
  private atNext(error: unknown): unknown {
    return error instanceof ChainVerificationError ? new ChainVerificationError(error.rule, this.length, error.message.replace(/^block \d+: /u, '')) : error;
  }

  /**
   * Verifies an already decoded header (its bytes and CID must be the canonical ones). `verdict`, when
   * given, is the verdict of `signatureCheck(block)` obtained ahead (acceptBatch).
   */
  accept(block: SignedBlockHeader, bodies?: BodyLookup, options?: VerifyOptions, verdict?: boolean): void {
    const { header } = block;
    const seq = header.seq;
    const fail = this.fail;
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
    this.checkAuthor(header);
    try {
      checkKindMeta(header);
    } catch (error) {
      if (error instanceof ChainVerificationError) fail(error.rule, error.message.replace(/^block \d+: /u, ''));
      throw error;
    }
    if (!(verdict ?? this.crypto.ed25519.verify(this.publicKey(header.author), unsignedBytesOf(block), header.sig))) {
      fail('signature', `signature by ${header.author} does not verify`);
    }
    let bodyBytes = 0;
    for (const body of header.bodies) {
      const bytes = bodies?.(body.cid);
      if (bytes === undefined) {
        if (options?.requireBodies) fail('body-missing', `body ${body.cid.toString()} is missing`);
        continue;
      }
      bodyBytes += bytes.length;
      if (bytes.length > MAX_BODY_BYTES) fail('body-size', `a body of ${bytes.length} bytes exceeds ${MAX_BODY_BYTES}`);
      if (bodyBytes > MAX_BLOCK_BODIES_BYTES) fail('body-size', `the bodies pass ${MAX_BLOCK_BODIES_BYTES} bytes`);
      if (!hashesTo(this.crypto.sha256, bytes, body.cid)) {
        fail('body-cid', `body bytes do not hash to ${body.cid.toString()}`);
      }
    }
    if (header.kind === 'checkpoint' && !equalBytes(checkpointMeta(header).root, this.history.root())) {
      fail('checkpoint', `the checkpoint's root is not the root of the ${this.history.size} headers before it`);
    }
    this.applyDeviceChanges(header);
    this.history.add(block.cid);
    this.last = { cid: block.cid, seq, ts: header.ts };
  }

  /** Failures name the position in the chain (the seq the block should have), whatever seq it claims. */
  private readonly fail = (rule: ChainRule, why: string): never => {
    throw new ChainVerificationError(rule, this.length, why);
  };

  private checkAuthor(header: Header): void {
    const fail = this.fail;
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
  try {
    for (const page of storedPages(store, id)) {
      for (const stored of page.headers) checkIndex(stored, verifier.acceptBytes(stored.bytes, page.bodies));
    }
    return verifiedReport(verifier);
  } catch (error) {
    return failedReport(store, id, error);
  }
}

/** `verifyStoredChain` with the signatures of each page checked at once by `signatures` (every core): the same report. */
export async function verifyStoredChainInBatches(crypto: Crypto, store: ChainStore, id: Did, signatures: SignatureBatchVerifier): Promise<VerifyReport> {
  const verifier = new ChainVerifier(crypto, id);
  // Pipelined: the next page is read and decoded while the workers check the signatures of the one before.
  let out: { page: StoredPage; batch: StartedBatch } | null = null;
  const settle = async ({ page, batch }: { page: StoredPage; batch: StartedBatch }) => {
    const blocks = await batch.accept(page.bodies);
    blocks.forEach((block, i) => checkIndex(page.headers[i]!, block));
  };
  try {
    for (const page of storedPages(store, id, BATCH_PAGES)) {
      const batch = verifier.startBatch(page.headers.map((stored) => stored.bytes), signatures);
      if (out !== null) await settle(out);
      out = { page, batch };
    }
    if (out !== null) await settle(out);
    return verifiedReport(verifier);
  } catch (error) {
    return failedReport(store, id, error);
  }
}

const PAGE = [1024];
/**
 * Pages of the batched verifier: small enough that reading one overlaps the checking of the one before,
 * and small at first, so the workers wait little for the first page.
 */
const BATCH_PAGES = [32, 64, 128, 256];

interface StoredPage {
  headers: StoredHeader[];
  bodies: BodyLookup;
}

/** The stored chain in pages of headers, each with the bodies it holds read in one query; `sizes` are the pages' sizes, the last repeated. */
function* storedPages(store: ChainStore, id: Did, sizes = PAGE): Iterable<StoredPage> {
  let headers: StoredHeader[] = [];
  let pages = 0;
  const flush = () => {
    const held = store.bodiesOf(id, headers[0]!.seq, headers[headers.length - 1]!.seq + 1);
    return { headers, bodies: (cid: CID) => held.get(cidText(cid)) };
  };
  for (const stored of store.headers(id)) {
    headers.push(stored);
    if (headers.length === sizes[Math.min(pages, sizes.length - 1)]) {
      yield flush();
      headers = [];
      pages++;
    }
  }
  if (headers.length > 0) yield flush();
}

function checkIndex(stored: StoredHeader, block: SignedBlockHeader): void {
  if (block.header.seq !== stored.seq || cidText(block.cid) !== stored.cid) {
    throw new ChainVerificationError('prev', stored.seq, 'the stored index does not match the header');
  }
}

function verifiedReport(verifier: ChainVerifier): VerifyReport {
  if (verifier.length === 0) throw new ChainVerificationError('genesis', 0, 'the chain is empty');
  return { ok: true, head: verifier.head?.toString() ?? null, length: verifier.length };
}

function failedReport(store: ChainStore, id: Did, error: unknown): VerifyReport {
  if (!(error instanceof ChainVerificationError)) throw error;
  const head = store.head(id);
  return {
    ok: false,
    head: head?.cid ?? null,
    length: head === undefined ? 0 : head.seq + 1,
    error: { code: error.code, rule: error.rule, seq: error.seq, message: error.message },
  };
}
