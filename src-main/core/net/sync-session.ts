// The sync sessions of `/defaust/sync/1.0.0`, over any channel of messages (the adapter supplies one per
// libp2p stream; tests may use an in-memory pair). Four roles:
//
//   pull   requester: pull{id, from} →            server: block* offer  ← want  blob* end
//   push   owner:     push{id, length, head, size} ← ready{from, head}   → block* offer ← want → blob* end
//                                                  ← stored{length, head, provided} | error
//   claim  device:    claim{id, writer, ts, ms, sig} ← claimed{granted, holder, until, length, head} | error
//
// Whoever receives a chain runs it through a ChainIntake: headers are verified in order as they arrive
// (ChainVerifier, bodies required), in batches whose signatures a SignatureBatchVerifier checks at once (every
// core) while the next batch is being received; bytes are counted against a quota, and nothing is stored
// until `end`, when the whole addition is imported at once (importBlocks: one transaction, all or nothing,
// equivocation detected).
import { importBlocks, ArchiveError } from '../archive/archive.ts';
import { cidText, parseCid, type CID } from '../chain/codec.ts';
import { EquivocationError } from '../chain/equivocation.ts';
import { ChainVerificationError } from '../chain/errors.ts';
import { decodeHeader, readHeader, type SignedBlockHeader } from '../chain/header.ts';
import { ChainVerifier } from '../chain/verify.ts';
import { inlineSignatureVerifier, type Crypto, type SignatureBatchVerifier } from '../crypto/port.ts';
import type { Did } from '../identity/did.ts';
import { blobMatches } from '../media/media.ts';
import type { ChainStore } from '../ports.ts';
import { SyncError } from './errors.ts';
import { errorMessage, remoteError, type ClaimedMessage, type ClaimMessage, type EndMessage, type PushMessage, type SyncMessage } from './sync-messages.ts';
import { checkLeaseClaim, type LeaseClaim, type LeaseTable } from './writer-lease.ts';

type BlockMessage = Extract<SyncMessage, { t: 'block' }>;

/** A two-way channel of sync messages. The adapter frames, caps frame sizes and applies timeouts. */
export interface SyncChannel {
  send(message: SyncMessage): Promise<void>;
  /** `send` of each in order, written together where the transport can (a page of blocks). */
  sendAll(messages: readonly SyncMessage[]): Promise<void>;
  /** The next message; throws a SyncError (`closed`, `timeout`, `protocol`, `frame-too-large`) when there is none. */
  receive(): Promise<SyncMessage>;
  /** Whether the next message is already buffered here; absent means never (each block is then verified at once). */
  ready?(): boolean;
}

export interface SyncResult {
  /** Blocks added to the local store by this session (0 when it already held them all). */
  added: number;
  /** Length of the chain now held. */
  length: number;
  /** Head CID of the chain now held. */
  head: string;
  /** Bytes received (headers, bodies, blobs). */
  bytes: number;
}

type MessageOf<T extends SyncMessage['t']> = Extract<SyncMessage, { t: T }>;

/** Blocks verified together: their signatures in one call to the batch verifier. */
export const INTAKE_BATCH = 256;

/** Receives the next message, which must be one of `types`; an `error` message becomes a remote SyncError. */
export async function expectMessage<T extends SyncMessage['t']>(channel: SyncChannel, ...types: T[]): Promise<MessageOf<T>> {
  const message = await channel.receive();
  if (message.t === 'error') throw remoteError(message);
  if (!(types as string[]).includes(message.t)) throw new SyncError('protocol', `expected ${types.join(' or ')}, got ${message.t}`);
  return message as MessageOf<T>;
}

const TRANSPORT_REASONS = new Set(['closed', 'timeout', 'unreachable']);

/** Runs a session; a failure this side detected is also sent to the peer (best effort) before it is rethrown. */
export async function reportingErrors<T>(channel: SyncChannel, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const failure = asSyncError(error);
    if (!failure.remote && !TRANSPORT_REASONS.has(failure.reason)) {
      await channel.send(errorMessage(failure)).catch(() => undefined);
    }
    throw failure;
  }
}

/** Maps the domain's errors to sync failures: verification, equivocation, stale archives; anything else is `internal`. */
export function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  if (error instanceof ChainVerificationError) {
    const reason = error.rule === 'body-cid' || error.rule === 'body-missing' ? 'bad-body' : 'bad-header';
    return new SyncError(reason, error.message, { rule: error.rule, seq: error.seq });
  }
  if (error instanceof EquivocationError) return new SyncError('equivocation', error.message, { rule: 'equivocation', seq: error.seq });
  if (error instanceof ArchiveError) return new SyncError('stale', error.message);
  return new SyncError('internal', error instanceof Error ? error.message : String(error));
}

export function chainLength(store: ChainStore, id: Did): number {
  const head = store.head(id);
  return head === undefined ? 0 : head.seq + 1;
}

/**
 * Verifies a chain as it arrives and imports it whole at the end. It takes the chain from genesis, or from
 * the block after the one held here (then the stored chain primes the verifier, so links and device
 * certificates carry over).
 */
export class ChainIntake {
  readonly id: Did;
  private readonly crypto: Crypto;
  private readonly store: ChainStore;
  private readonly quotaBytes: number;
  private readonly signatures: SignatureBatchVerifier;
  private readonly have: number;
  private readonly used: number;
  private verifier: ChainVerifier | null = null;
  private start = 0;
  private readonly blocks: SignedBlockHeader[] = [];
  private readonly bodies = new Map<string, Uint8Array>();
  private readonly blobs = new Map<string, Uint8Array>();
  private wanted: Set<string> | null = null;
  /** Bytes this session adds to what the store holds for the chain. */
  private newBytes = 0;
  /** Every byte received in blocks and blobs. */
  received = 0;

  /**
   * `quotaBytes`: the most this chain may occupy here once stored (Infinity for the node's own identities).
   * `signatures`: checks each batch's signatures (a worker pool); on this thread by default.
   */
  constructor(crypto: Crypto, store: ChainStore, id: Did, quotaBytes = Number.POSITIVE_INFINITY, signatures?: SignatureBatchVerifier) {
    this.crypto = crypto;
    this.signatures = signatures ?? inlineSignatureVerifier(crypto.ed25519);
    this.store = store;
    this.id = id;
    this.quotaBytes = quotaBytes;
    this.have = chainLength(store, id);
    this.used = Number.isFinite(quotaBytes) ? store.storedBytes(id) : 0;
  }

  /** Blocks held here before this session. */
  get held(): number {
    return this.have;
  }

  /**
   * Verifies the next blocks (headers and every body they reference), their signatures all at once; throws
   * a SyncError naming the first block that fails, exactly as taking them one by one would.
   */
  async addBlocks(blocks: readonly BlockMessage[]): Promise<void> {
    if (this.wanted !== null) throw new SyncError('protocol', 'a block after the blob offer');
    if (this.verifier === null && blocks.length > 0) this.begin(blocks[0]!.header);
    const ready: { block: SignedBlockHeader; byCid: Map<string, Uint8Array> }[] = [];
    let refused: unknown = null;
    for (const { header, bodies } of blocks) {
      try {
        ready.push(this.prepare(header, bodies));
      } catch (error) {
        refused = error;
        break;
      }
    }
    const verifier = this.verifier;
    const verdicts = verifier === null ? [] : await this.signatures.verifyAll(ready.map(({ block }) => verifier.signatureCheck(block)));
    ready.forEach((item, i) => this.take(item, verdicts[i]!));
    if (refused === null) return;
    // A header that does not decode is named at the position it should have taken, as the verifier does.
    if (refused instanceof ChainVerificationError) refused = new ChainVerificationError(refused.rule, this.verifier?.length ?? null, refused.message);
    throw asSyncError(refused);
  }

  /** Decodes a block and checks it carries only bodies its header references; the chain rules come in `take`. */
  private prepare(header: Uint8Array, bodies: readonly [CID, Uint8Array][]) {
    const block = decodeHeader(this.crypto, header);
    const seq = block.header.seq;
    const byCid = new Map<string, Uint8Array>();
    for (const [cid, bytes] of bodies) byCid.set(cidText(cid), bytes);
    const referenced = new Set(block.header.bodies.map((ref) => cidText(ref.cid)));
    if (byCid.size !== bodies.length || [...byCid.keys()].some((cid) => !referenced.has(cid))) {
      throw new SyncError('bad-body', `block ${seq} carries bodies its header does not reference`, { seq });
    }
    return { block, byCid };
  }

  private take({ block, byCid }: { block: SignedBlockHeader; byCid: Map<string, Uint8Array> }, verdict: boolean): void {
    try {
      this.verifier!.accept(block, (cid) => byCid.get(cidText(cid)), { requireBodies: true }, verdict);
    } catch (error) {
      throw asSyncError(error);
    }
    let size = block.bytes.length;
    for (const bytes of byCid.values()) size += bytes.length;
    this.received += size;
    if (block.header.seq >= this.have) this.count(size);
    this.blocks.push(block);
    for (const [cid, bytes] of byCid) this.bodies.set(cid, bytes);
  }

  /** The offered blobs not held here (each asked for once). */
  offer(cids: readonly CID[]): CID[] {
    if (this.wanted !== null) throw new SyncError('protocol', 'a second blob offer');
    this.wanted = new Set();
    const out: CID[] = [];
    for (const cid of cids) {
      const key = cid.toString();
      if (this.wanted.has(key) || this.store.blob(key) !== undefined) continue;
      this.wanted.add(key);
      out.push(cid);
    }
    return out;
  }

  addBlob(cid: CID, bytes: Uint8Array): void {
    const key = cid.toString();
    if (this.wanted === null || !this.wanted.has(key) || this.blobs.has(key)) throw new SyncError('protocol', `blob ${key} was not asked for`);
    if (!blobMatches(this.crypto, cid, bytes)) throw new SyncError('bad-blob', `blob bytes do not hash to ${key}`);
    this.received += bytes.length;
    this.count(bytes.length);
    this.blobs.set(key, bytes);
  }

  /** Checks the sender's end against what was verified, then imports it all in one append. */
  finish(end: EndMessage): SyncResult {
    if (this.wanted === null) throw new SyncError('protocol', 'end before the blob offer');
    if (this.blobs.size !== this.wanted.size) throw new SyncError('protocol', `${this.wanted.size - this.blobs.size} wanted blobs never came`);
    const verifiedHead = this.verifier?.head ?? (this.have > 0 ? parseCid(this.store.head(this.id)!.cid) : null);
    const verifiedLength = this.verifier === null ? this.have : this.verifier.length;
    if (verifiedHead === null || end.length !== verifiedLength || !end.head.equals(verifiedHead)) {
      throw new SyncError('protocol', `the sender ends at ${end.length} blocks (${end.head.toString()}), but sent a chain of ${verifiedLength}`);
    }
    try {
      // The blocks as they were verified; a session that sent none imports its blobs alone.
      const from = this.verifier === null ? this.have : this.start;
      const { added, length } = importBlocks(this.store, { id: this.id, from, blocks: this.blocks, bodies: this.bodies, blobs: this.blobs }, this.crypto);
      return { added, length, head: this.store.head(this.id)!.cid, bytes: this.received };
    } catch (error) {
      // A fork keeps its proof on the way out (the session maps it to `sync/equivocation` once the replica saw it).
      if (error instanceof EquivocationError) throw error;
      throw asSyncError(error);
    }
  }

  /**
   * The verifier for a chain whose first block sent is `first`: new for a chain from genesis; going on from
   * the chain held here (ChainVerifier.continuing) for a continuation. A first block that does not decode
   * leaves it unset: that block's refusal follows.
   */
  private begin(first: Uint8Array): void {
    let seq: number;
    try {
      seq = decodeHeader(this.crypto, first).header.seq;
    } catch {
      return;
    }
    let verifier = new ChainVerifier(this.crypto, this.id);
    if (seq !== 0) {
      if (seq !== this.have) throw new SyncError('protocol', `the chain starts at seq ${seq}; this side holds ${this.have} blocks`);
      this.start = seq;
      // The chain held here was verified when it was stored: the verifier goes on from it.
      try {
        verifier = ChainVerifier.continuing(this.crypto, this.store, this.id);
      } catch (error) {
        throw new SyncError('internal', `the chain held here does not open: ${(error as Error).message}`);
      }
    }
    this.verifier = verifier;
  }

  private count(bytes: number): void {
    if (this.used + this.newBytes + bytes > this.quotaBytes) {
      throw new SyncError('over-quota', `this chain would take more than the ${this.quotaBytes} bytes this peer keeps for a foreign identity`);
    }
    this.newBytes += bytes;
  }
}

/** Sends the blocks of `id` from seq `from` up to `length` (default all held), the blob offer, the wanted blobs and `end`. */
export async function sendChain(channel: SyncChannel, store: ChainStore, id: Did, from: number, length = chainLength(store, id)): Promise<void> {
  const PAGE = 256;
  const head = length === 0 ? undefined : store.header(id, length - 1);
  if (head === undefined) throw new SyncError('not-found', `no chain for ${id} here`);
  for (let page = from; page < length; page += PAGE) {
    const bodies = store.bodiesOf(id, page, page + PAGE);
    const blocks: BlockMessage[] = [];
    for (const stored of store.headers(id, page, Math.min(page + PAGE, length))) {
      const pairs: [CID, Uint8Array][] = [];
      for (const ref of readHeader(stored.bytes).bodies) {
        if (pairs.some(([cid]) => cid.equals(ref.cid))) continue;
        const key = cidText(ref.cid);
        const bytes = bodies.get(key) ?? store.body(key);
        if (bytes === undefined) throw new SyncError('not-found', `body ${ref.cid.toString()} of block ${stored.seq} is not held here`);
        pairs.push([ref.cid, bytes]);
      }
      blocks.push({ t: 'block', header: stored.bytes, bodies: pairs });
    }
    await channel.sendAll(blocks);
  }
  const held = store.blobCids(id);
  await channel.send({ t: 'offer', cids: held.map((cid) => parseCid(cid)) });
  const want = await expectMessage(channel, 'want');
  const offered = new Set(held);
  for (const cid of want.cids) {
    const key = cid.toString();
    const bytes = offered.has(key) ? store.blob(key) : undefined;
    if (bytes === undefined) throw new SyncError('protocol', `blob ${key} was not offered`);
    offered.delete(key);
    await channel.send({ t: 'blob', cid, bytes });
  }
  await channel.send({ t: 'end', length, head: parseCid(head.cid) });
}

/**
 * Receives blocks, the offer, the wanted blobs and `end` into an intake; imports on `end`. Blocks are verified
 * in batches: a batch ends at INTAKE_BATCH blocks or when no further message is already here. A full batch
 * is verified while the next one is received; when the line is quiet the batch is finished before reading
 * on, so a refused block is reported without waiting on the peer.
 */
export async function receiveChain(channel: SyncChannel, intake: ChainIntake): Promise<SyncResult> {
  let batch: BlockMessage[] = [];
  let verifying: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      const message = await expectMessage(channel, 'block', 'offer');
      if (message.t === 'block') {
        batch.push(message);
        const quiet = !(channel.ready?.() ?? false);
        if (batch.length === INTAKE_BATCH || quiet) {
          await verifying;
          verifying = intake.addBlocks(batch);
          batch = [];
          // Awaited before the next batch starts or below; a refusal meanwhile is not unhandled.
          verifying.catch(() => undefined);
          if (quiet) await verifying;
        }
        continue;
      }
      await verifying;
      await intake.addBlocks(batch);
      const want = intake.offer(message.cids);
      await channel.send({ t: 'want', cids: want });
      for (let i = 0; i < want.length; i++) {
        const blob = await expectMessage(channel, 'blob');
        intake.addBlob(blob.cid, blob.bytes);
      }
      return intake.finish(await expectMessage(channel, 'end'));
    }
  } catch (error) {
    // A refused block is the failure to report, also when the channel failed after it was sent.
    await verifying;
    throw error;
  }
}

/**
 * Requester side of a pull: asks for what follows the chain held here, verifies and imports it. Everything
 * received is signed by the identity (or hashes to what it signed), so no quota is needed for one's own
 * identity; pass one when pulling someone else's.
 */
export async function runPull(
  channel: SyncChannel, crypto: Crypto, store: ChainStore, id: Did, quotaBytes = Number.POSITIVE_INFINITY, signatures?: SignatureBatchVerifier,
): Promise<SyncResult> {
  return reportingErrors(channel, async () => {
    const intake = new ChainIntake(crypto, store, id, quotaBytes, signatures);
    await channel.send({ t: 'pull', id, from: intake.held });
    return receiveChain(channel, intake);
  });
}

/** Server side of a pull. */
export async function servePull(channel: SyncChannel, store: ChainStore, id: Did, from: number): Promise<void> {
  await reportingErrors(channel, async () => {
    const length = chainLength(store, id);
    if (length === 0) throw new SyncError('not-found', `no chain for ${id} here`);
    if (from > length) throw new SyncError('stale', `the requester holds ${from} blocks, this peer only ${length}`);
    await sendChain(channel, store, id, from);
  });
}

export interface PushOutcome {
  /** Blocks the replica added. */
  sent: number;
  /** Length the replica now holds. */
  length: number;
  head: string;
  /** Whether the replica announced itself as a provider for the identity. */
  provided: boolean;
}

/**
 * Owner side of a push: offers the chain (its first `length` blocks; default all held), sends what the replica
 * lacks, returns its receipt.
 */
export async function runPush(channel: SyncChannel, store: ChainStore, id: Did, length = chainLength(store, id)): Promise<PushOutcome> {
  return reportingErrors(channel, async () => {
    const head = length === 0 ? undefined : store.header(id, length - 1);
    if (head === undefined) throw new SyncError('not-found', `no chain for ${id} here`);
    await channel.send({ t: 'push', id, length, head: parseCid(head.cid), size: store.storedBytes(id) });
    const ready = await expectMessage(channel, 'ready');
    // Continue after the replica's head when it is one of ours; otherwise send everything, so the replica
    // can prove the fork (equivocation) or see that it holds more (stale).
    let from = 0;
    if (ready.from > 0 && ready.from <= length && ready.head !== null && store.header(id, ready.from - 1)?.cid === ready.head.toString()) from = ready.from;
    await sendChain(channel, store, id, from, length);
    const stored = await expectMessage(channel, 'stored');
    if (stored.length !== length || stored.head.toString() !== head.cid) {
      throw new SyncError('protocol', `the replica reports ${stored.length} blocks ending in ${stored.head.toString()}, not ours`);
    }
    return { sent: length - from, length: stored.length, head: stored.head.toString(), provided: stored.provided };
  });
}

/** Device side of a lease claim (writer-lease.ts): the replica's answer, with what it holds of the chain. */
export async function runClaim(channel: SyncChannel, claim: LeaseClaim): Promise<ClaimedMessage> {
  return reportingErrors(channel, async () => {
    await channel.send({ t: 'claim', ...claim });
    return expectMessage(channel, 'claimed');
  });
}

/** Replica side of a lease claim: checks it, grants or refuses it, and says what it holds of the chain. */
export async function serveClaim(channel: SyncChannel, claim: ClaimMessage, policy: LeasePolicy): Promise<ClaimedMessage> {
  return reportingErrors(channel, async () => {
    const now = policy.now();
    const { t: _t, ...fields } = claim;
    checkLeaseClaim(policy.crypto, fields, now);
    const answer = policy.leases.claim(fields, now);
    const head = policy.store.head(claim.id);
    const claimed: ClaimedMessage = { t: 'claimed', ...answer, length: head === undefined ? 0 : head.seq + 1, head: head === undefined ? null : parseCid(head.cid) };
    await channel.send(claimed);
    return claimed;
  });
}

/** What a replica grants writer leases with: its table of leases, its clock, and the chains it holds. */
export interface LeasePolicy {
  crypto: Crypto;
  store: ChainStore;
  leases: LeaseTable;
  now(): number;
}

export interface ReplicaPolicy {
  crypto: Crypto;
  store: ChainStore;
  /** Bytes this replica keeps for `id` (Infinity for its own identities). */
  quotaFor(id: Did): number;
  /** Called once the chain is stored; announces the replica as a provider and says whether that worked. */
  afterStore(id: Did): Promise<boolean>;
  /** Checks the signatures of each batch received (a worker pool); on this thread when absent. */
  signatures?: SignatureBatchVerifier;
  /** Told of a fork a push revealed (the push is refused all the same): the proof is kept and spread from there. */
  onEquivocation?(error: EquivocationError): void;
}

/** Replica side of a push: refuses over-quota offers before reading a block; verifies everything before storing. */
export async function servePush(channel: SyncChannel, push: PushMessage, policy: ReplicaPolicy): Promise<SyncResult> {
  return reportingErrors(channel, async () => {
    const quota = policy.quotaFor(push.id);
    if (push.size > quota) throw new SyncError('over-quota', `an archive of ${push.size} bytes exceeds the ${quota} bytes this peer keeps for a foreign identity`);
    const intake = new ChainIntake(policy.crypto, policy.store, push.id, quota, policy.signatures);
    const head = policy.store.head(push.id);
    await channel.send({ t: 'ready', from: intake.held, head: head === undefined ? null : parseCid(head.cid) });
    const result = await receiveChain(channel, intake).catch((error: unknown) => {
      if (error instanceof EquivocationError) policy.onEquivocation?.(error);
      throw error;
    });
    const provided = await policy.afterStore(push.id).catch(() => false);
    await channel.send({ t: 'stored', length: result.length, head: parseCid(result.head), provided });
    return result;
  });
}

