// The chain writer: the engine under every feature that writes to the owner's chain. It signs and stages
// blocks, appends them atomically, keeps the section key ring, folds every header into the registered
// feature folds (profile data, grants, requests, …), and writes sealed snapshots of all of them. Other
// writers on the same store (another process, another window) are caught up with before every write.
// Blocks are written in the current header version: meta naming other parties is sealed (private-meta.ts).
// It keeps the history accumulator over every header and adds a signed checkpoint to any write that passes a
// multiple of CHECKPOINT_EVERY blocks (checkpoint.ts).
import { newGeneration, unwrapGeneration, type GenerationSeeds, type KeyRing, type SectionGeneration } from './keyring.ts';
import { concatBytes } from '../bytes.ts';
import type { Crypto } from '../crypto/port.ts';
import { checkSize, DefaustError, NotFoundError } from '../errors.ts';
import { didFromPublicKey, publicKeyFromDid, type Did } from '../identity/did.ts';
import { identityPublic, type IdentityPublic, type IdentitySecrets } from '../identity/keys.ts';
import { StoreConflictError, type BlockWrite, type ChainStore, type Clock, type StoredBlob, type StoredHeader } from '../ports.ts';
import { checkOps, type Op } from './ops.ts';
import { openBody, sealBody } from './body.ts';
import { cidOf, decodeCanonical, encode, type CID } from './codec.ts';
import { checkpointDue, HistoryAccumulator, storedHistory, type CheckpointMeta, type HistoryState } from './checkpoint.ts';
import { ConcurrentWriteError, ChainVerificationError, ForkConflictError } from './errors.ts';
import { decodeHeader, HEADER_VERSION, signHeader, unsignedBytesOf, type BlockKind, type BodyRef, type Header, type Meta, type SignedBlockHeader } from './header.ts';
import { deviceOf, sectionKeyEntries, type SectionKeyEntry } from './meta.ts';
import { metaKeyOf, revealMeta, sealMeta } from './private-meta.ts';
import { recipientKey } from '../identity/recipient.ts';
import { MAX_BLOCK_BODIES_BYTES, MAX_BODY_BYTES, MAX_HEADER_BYTES } from '../../../src-shared/rules/limits.ts';
import { MAX_LABEL_CHARS } from '../../../src-shared/rules/text.ts';

/** A sealed snapshot of every fold is written by each write that passes a multiple of this many blocks. */
export const SNAPSHOT_EVERY = 256;

/** How a writer tries again when the store refuses a write because another writer held it. */
export interface WriteRetry {
  /** Tries in all, the first included. */
  tries: number;
  /** Waits `ms` before the next try (the composition root sleeps; a single-process store never gets here). */
  pause(ms: number): void;
}

/** Four tries: each may wait out the store's busy timeout (5 s in SQLite), so a held lock fails within ~20 s. */
export const DEFAULT_WRITE_RETRY: WriteRetry = { tries: 4, pause: () => undefined };

/** The pause before try `attempt + 1`: doubling from 10 ms up to 640 ms, each drawn at random in [½, 1½) of it. */
export function retryPauseMs(attempt: number, random: number): number {
  return Math.round(10 * 2 ** Math.min(attempt - 1, 6) * (0.5 + random));
}

export interface ChainDeps {
  crypto: Crypto;
  store: ChainStore;
  clock: Clock;
  /** Default DEFAULT_WRITE_RETRY. */
  retry?: WriteRetry;
}

/** What the main process holds once the keystore is unlocked. Never leaves the main process. */
export interface OwnerKeys {
  identity: IdentitySecrets;
  deviceSeed: Uint8Array;
  /** Seals local snapshots; never leaves this machine. */
  localKey: Uint8Array;
}

export interface BlockSummary {
  seq: number;
  cid: string;
  kind: string;
  author: string;
  ts: number;
}

/** What `rebaseOnto` did: blocks taken from the other device's history, and this device's blocks written again after them. */
export interface RebaseReport {
  /** Where the two histories part (the first seq they differ at). */
  fork: number;
  taken: number;
  replayed: number;
}

export const summarize = (h: StoredHeader): BlockSummary => ({ seq: h.seq, cid: h.cid, kind: h.kind, author: h.author, ts: h.ts });

export class DeviceRevokedError extends DefaustError {
  override name = 'DeviceRevokedError';
  constructor(device: Did) {
    super('device-revoked', `this device (${device}) was revoked; recover the identity on a new device`);
  }
}

/** Gives a fold the decrypted ops of a body (null when the body is not held). */
export type BodyOps = (ref: BodyRef) => Op[] | null;

/**
 * A feature's view of the chain, rebuilt by folding headers in order. Folds run after the key ring has
 * taken the header's section keys, so `bodyOps` can open any body of this identity.
 */
export interface ChainFold {
  /** Key of this fold's part in a snapshot. */
  readonly name: string;
  fold(header: Header, bodyOps: BodyOps): void;
  snapshot(): unknown;
  restore(value: unknown): void;
  reset(): void;
}

/**
 * Called when a section is about to get a new key generation, before its `section-keys` block is staged;
 * the function it returns stages blocks on the new generation in the same write (re-grants).
 */
export type RotationHook = (section: string, now: number) => (next: SectionGeneration) => BlockWrite[];

interface Head {
  seq: number;
  cid: CID;
  ts: number;
}

const toStored = (block: SignedBlockHeader): StoredHeader => ({
  seq: block.header.seq, cid: block.cid.toString(), kind: block.header.kind, ts: block.header.ts, author: block.header.author, bytes: block.bytes,
});

/** The caps a block is written under (the verifier refuses received blocks over them too). */
function checkBlockSize(headerBytes: number, bodyBytes: readonly number[]): void {
  checkSize('block header', headerBytes, MAX_HEADER_BYTES);
  for (const size of bodyBytes) checkSize('block body', size, MAX_BODY_BYTES);
  checkSize('block bodies', bodyBytes.reduce((sum, size) => sum + size, 0), MAX_BLOCK_BODIES_BYTES);
}

export class ChainWriter {
  readonly identity: IdentityPublic;
  readonly device: Did;
  readonly keyring: KeyRing;
  readonly deps: ChainDeps;
  private readonly keys: OwnerKeys;
  private readonly metaKey: Uint8Array;
  private readonly folds: readonly ChainFold[];
  private readonly seeds = new Map<string, { entry: SectionKeyEntry; seeds: GenerationSeeds }>();
  private head: Head | null = null;
  private history: HistoryAccumulator;
  /** Set by the access feature: blocks to add when a section rotates to a new generation. */
  onRotate: RotationHook = () => () => [];

  /** `keyring` is filled by this writer; feature folds may read it (they run after it took a header's keys). */
  constructor(deps: ChainDeps, keys: OwnerKeys, keyring: KeyRing, folds: readonly ChainFold[]) {
    this.deps = deps;
    this.keys = keys;
    this.keyring = keyring;
    this.folds = folds;
    this.identity = identityPublic(deps.crypto, keys.identity);
    this.device = didFromPublicKey(deps.crypto.ed25519.publicKey(keys.deviceSeed));
    this.metaKey = metaKeyOf(deps.crypto, keys.identity.x25519Secret);
    this.history = new HistoryAccumulator(deps.crypto.sha256);
  }

  /** The accumulator's root over every header of the chain as this writer holds it (its size = the length). */
  historyRoot(): CheckpointMeta {
    return this.history.checkpoint();
  }

  /** Writes a checkpoint now (`defaust checkpoint`): the owner's signature on the root of all history so far. */
  checkpoint(): BlockSummary {
    return this.commit(() => [this.stageCheckpoint()]);
  }

  /** A checkpoint over every header before it, signed by the identity key. */
  private stageCheckpoint(): BlockWrite {
    const { root, size } = this.history.checkpoint();
    return this.stage('checkpoint', { meta: { root, size }, signer: 'identity' });
  }

  /** The meta key sealed to `did`: a registered client needs it to fold the grants it enforces. */
  metaKeySealedTo(did: Did): Uint8Array {
    return this.deps.crypto.box.seal(recipientKey(did), this.metaKey);
  }

  get id(): Did {
    return this.identity.id;
  }

  get length(): number {
    return this.head === null ? 0 : this.head.seq + 1;
  }

  get headCid(): string | null {
    return this.head?.cid.toString() ?? null;
  }

  /** The time of the next block: the clock, but never before the previous block. */
  now(): number {
    return Math.max(this.deps.clock.now(), this.head?.ts ?? 0);
  }

  /** Writes genesis, the device certificate and keys for `sections`, in one append. */
  createChain(sections: readonly string[], deviceLabel: string): void {
    checkSize('device label', deviceLabel.length, MAX_LABEL_CHARS, 'characters');
    const pub = this.identity;
    this.commit(() => {
      if (this.head !== null) throw new DefaustError('chain-exists', `a chain for ${this.id} already exists here`);
      const ts = this.now();
      return [
        this.stage('genesis', { meta: { x25519: pub.x25519, babyJubjub: pub.babyJubjub }, signer: 'identity' }),
        this.stage('device-add', { meta: { device: this.device, label: deviceLabel }, signer: 'identity' }),
        this.stage('section-keys', {
          meta: { sections: sections.map((section) => newGeneration(this.deps.crypto, pub.x25519, section, 0, ts).entry) },
          signer: 'identity',
        }),
      ];
    });
  }

  /** Loads the stored chain (snapshot, then the blocks after it) and certifies this device if needed. */
  openChain(): void {
    if (this.deps.store.head(this.id) === undefined) throw new NotFoundError(`no chain for ${this.id} is stored here; import your archive first`);
    this.load();
    this.ensureDeviceCertified();
  }

  /**
   * Signs the next block (by the device key unless told) and folds it at once; `commit` makes it durable.
   * `meta` is given revealed: what names other parties is sealed here. A block over the size caps is refused
   * before it is folded; `commitAll` then drops what was staged before it.
   */
  stage(kind: BlockKind, parts: { bodies?: BodyRef[]; meta?: Meta; blobs?: StoredBlob[]; signer?: 'identity' | 'device'; ops?: Op[] } = {}): BlockWrite {
    const identity = parts.signer === 'identity';
    const ts = this.now();
    const seq = this.length;
    const meta = parts.meta ?? {};
    const block = signHeader(this.deps.crypto, {
      v: HEADER_VERSION, id: this.id, seq, prev: this.head?.cid ?? null, ts, kind,
      author: identity ? this.id : this.device, bodies: parts.bodies ?? [], meta: sealMeta(this.deps.crypto, this.metaKey, { id: this.id, seq, kind }, meta),
    }, identity ? this.keys.identity.ed25519Seed : this.keys.deviceSeed);
    checkBlockSize(block.bytes.length, (parts.blobs ?? []).map((blob) => blob.bytes.length));
    this.fold({ ...block.header, meta }, parts.ops);
    this.history.add(block.cid);
    this.head = { seq: block.header.seq, cid: block.cid, ts };
    return { header: toStored(block), bodies: parts.blobs ?? [] };
  }

  /**
   * Stages a block of `kind` whose one body carries `ops` for `section`, sealed with the current epoch key;
   * a new key generation (and what `onRotate` adds) comes first when the section needs one.
   */
  stageSealed(kind: BlockKind, section: string, ops: Op[], meta: Meta = {}): BlockWrite[] {
    const ts = this.now();
    const writes: BlockWrite[] = [];
    let target = this.keyring.writeTarget(section, ts);
    if (target === null) {
      writes.push(...this.stageRotation(section));
      target = this.keyring.writeTarget(section, ts)!;
    }
    const ctx = { v: HEADER_VERSION, id: this.id, section, gen: target.generation.gen, epoch: target.epoch };
    const sealed = sealBody(this.deps.crypto, target.generation.range.keyFor(target.epoch), ctx, encode(ops));
    const cid = cidOf(this.deps.crypto.sha256, sealed);
    writes.push(this.stage(kind, { bodies: [{ section, gen: ctx.gen, epoch: ctx.epoch, cid }], meta, blobs: [{ cid: cid.toString(), bytes: sealed }], ops }));
    return writes;
  }

  /** A new key generation for `section` from now on (same grid), plus what `onRotate` adds. */
  stageRotation(section: string, epochMs?: number): BlockWrite[] {
    const current = this.keyring.latest(section);
    const now = this.now();
    const { entry } = newGeneration(this.deps.crypto, this.identity.x25519, section, (current?.gen ?? -1) + 1, now, epochMs ?? current?.epochMs, current?.length);
    const follow = this.onRotate(section, now);
    const writes = [this.stage('section-keys', { meta: { sections: [entry] } })];
    return [...writes, ...follow(this.keyring.latest(section)!)];
  }

  /** `commitAll`, answering with the last block written. */
  commit(plan: () => BlockWrite[], blobs: StoredBlob[] = []): BlockSummary {
    return this.commitAll(plan, blobs).at(-1)!;
  }

  /**
   * Appends the blocks `plan` stages, atomically, in one transaction that holds the store's write lock: it
   * first folds (checked) what other writers appended since this writer's head, so `plan` derives seq and
   * prev from the true head and signs on it. When the store refuses all the same (its lock stayed taken),
   * every fold is rebuilt from what is stored and `plan` runs again after a jittered pause, `retry.tries`
   * times in all; then a ConcurrentWriteError. Any other failure rebuilds the folds and is thrown as is.
   */
  commitAll(plan: () => BlockWrite[], blobs: StoredBlob[] = []): BlockSummary[] {
    const retry = this.deps.retry ?? DEFAULT_WRITE_RETRY;
    for (let attempt = 1; ; attempt++) {
      const before = this.head;
      try {
        let start = 0;
        const writes = this.deps.store.transaction(() => {
          this.catchUp();
          start = this.length;
          const staged = plan();
          if (start > 0 && checkpointDue(start, this.length)) staged.push(this.stageCheckpoint());
          this.deps.store.append(this.id, staged, blobs);
          return staged;
        });
        this.maybeSnapshot(start);
        return writes.map((write) => summarize(write.header));
      } catch (error) {
        if (this.head !== before) this.rebuild();
        if (!(error instanceof StoreConflictError)) throw error;
        if (attempt >= retry.tries) throw new ConcurrentWriteError(attempt);
        retry.pause(retryPauseMs(attempt, this.deps.crypto.randomBytes(1)[0]! / 256));
      }
    }
  }

  /**
   * Takes another device's history of this identity (`theirs`, verified as it was pulled) in place of the
   * blocks here from where the two part, and writes those blocks of this device again after it: the same
   * kinds, bodies and meta, signed anew at their new seqs (a checkpoint is recomputed, not copied). Meant for
   * blocks the network never took, so that two devices writing at once leave one chain, never a fork. One
   * transaction: nothing changes here when the replay is refused (ForkConflictError).
   */
  rebaseOnto(theirs: ChainStore): RebaseReport {
    const { store, crypto } = this.deps;
    const id = this.id;
    try {
      return store.transaction(() => {
        this.catchUp();
        const theirLength = (theirs.head(id)?.seq ?? -1) + 1;
        let fork = 0;
        while (fork < this.length && fork < theirLength && store.header(id, fork)!.cid === theirs.header(id, fork)!.cid) fork++;
        if (fork === theirLength) return { fork, taken: 0, replayed: 0 };
        const bodiesOf = (source: ChainStore, header: Header): StoredBlob[] =>
          header.bodies.map((ref) => ({ cid: ref.cid.toString(), bytes: source.body(ref.cid.toString()) ?? this.missing(ref.cid.toString()) }));
        const ours = [...store.headers(id, fork)].map((stored) => this.reveal(decodeHeader(crypto, stored.bytes).header));
        const taken = [...theirs.headers(id, fork)].map((stored) => ({ stored, header: this.reveal(decodeHeader(crypto, stored.bytes).header) }));
        const foreign = ours.find((header) => header.author !== id && header.author !== this.device);
        if (foreign !== undefined) throw new ForkConflictError(`block ${foreign.seq} here was signed by another device (${foreign.author}); only its own blocks can be written again by a device`);
        const rotated = (headers: readonly Header[]) => new Set(headers.filter((h) => h.kind === 'section-keys').flatMap((h) => sectionKeyEntries(h).map((e) => e.section)));
        const theirRotations = rotated(taken.map((t) => t.header));
        const both = [...rotated(ours)].filter((section) => theirRotations.has(section));
        if (both.length > 0) throw new ForkConflictError(`both devices changed the keys of ${both.join(', ')} at the same time; the blocks here cannot be written after the other device's (nothing changed; export this device's archive to keep them)`);
        const ourBodies = ours.map((header) => bodiesOf(store, header));
        store.truncate(id, fork);
        const held = new Set(store.blobCids(id));
        store.append(id, taken.map(({ stored, header }) => ({ header: stored, bodies: bodiesOf(theirs, header) })),
          theirs.blobCids(id).filter((cid) => !held.has(cid)).map((cid) => ({ cid, bytes: theirs.blob(cid)! })));
        this.rebuild();
        const revoked = store.headersOfKind(id, ['device-revoke']).some((stored) => deviceOf(this.reveal(decodeHeader(crypto, stored.bytes).header)) === this.device);
        if (revoked) throw new DeviceRevokedError(this.device);
        const start = this.length;
        const staged = ours.flatMap((header, i) => header.kind === 'checkpoint' ? [] : [this.stage(header.kind, {
          bodies: header.bodies, meta: header.meta, blobs: ourBodies[i]!, signer: header.author === id ? 'identity' : 'device',
        })]);
        if (checkpointDue(start, this.length)) staged.push(this.stageCheckpoint());
        store.append(id, staged);
        // Staging folded the replayed blocks before their bodies were back in the store: fold them again from it.
        this.rebuild();
        return { fork, taken: taken.length, replayed: staged.length };
      });
    } catch (error) {
      this.rebuild();
      throw error;
    }
  }

  private missing(cid: string): never {
    throw new NotFoundError(`body ${cid} is not held here`);
  }

  /** Folds what another writer appended to the store since this writer's head; true when there was any. */
  refresh(): boolean {
    return this.catchUp();
  }

  /** The decrypted ops of one block, section by section. */
  blockOps(seq: number): { section: string; ops: Op[] }[] {
    const stored = this.deps.store.header(this.id, seq);
    if (stored === undefined) throw new NotFoundError(`no block ${seq}`);
    const { header } = decodeHeader(this.deps.crypto, stored.bytes);
    return header.bodies.flatMap((ref) => {
      const ops = this.openOps(ref, header.v);
      return ops === null ? [] : [{ section: ref.section, ops }];
    });
  }

  /** Folds a header whose meta is revealed (`reveal`, or the meta `stage` was given). */
  private fold(header: Header, ownOps?: Op[]): void {
    if (header.kind === 'section-keys') {
      for (const entry of sectionKeyEntries(header)) {
        const seeds = unwrapGeneration(this.deps.crypto, this.keys.identity.x25519Secret, entry);
        this.keyring.add(entry, seeds);
        this.seeds.set(`${entry.section}/${entry.gen}`, { entry, seeds });
      }
    }
    const bodyOps: BodyOps = (ref) => ownOps ?? this.openOps(ref, header.v);
    for (const fold of this.folds) fold.fold(header, bodyOps);
  }

  private reveal(header: Header): Header {
    return revealMeta(this.deps.crypto, this.metaKey, header);
  }

  private openOps(ref: BodyRef, v: number): Op[] | null {
    const sealed = this.deps.store.body(ref.cid.toString());
    if (sealed === undefined) return null;
    const ctx = { v, id: this.id, section: ref.section, gen: ref.gen, epoch: ref.epoch };
    return checkOps(decodeCanonical(openBody(this.deps.crypto, this.keyring.keyFor(ref.section, ref.gen, ref.epoch), ctx, sealed)), 'stored');
  }

  /**
   * Brings this writer to the store's head. Blocks that extend its head are checked (identity, seq, prev,
   * the author's signature) and folded; a store that does not extend it is folded again from the start.
   */
  private catchUp(): boolean {
    const stored = this.deps.store.head(this.id);
    const head = this.head;
    if (stored === undefined) {
      if (head === null) return false;
      this.rebuild();
      return true;
    }
    if (head !== null && stored.seq === head.seq && stored.cid === head.cid.toString()) return false;
    if (head === null || stored.seq < head.seq || this.deps.store.header(this.id, head.seq)?.cid !== head.cid.toString()) {
      this.rebuild();
      return true;
    }
    for (const next of this.deps.store.headers(this.id, head.seq + 1)) {
      const block = decodeHeader(this.deps.crypto, next.bytes);
      this.checkExtends(block);
      this.fold(this.reveal(block.header));
      this.history.add(block.cid);
      this.head = { seq: block.header.seq, cid: block.cid, ts: block.header.ts };
    }
    return true;
  }

  /** What a block another writer appended must keep to be folded on top of this writer's head. */
  private checkExtends(block: SignedBlockHeader): void {
    const { header } = block;
    const at = this.length;
    if (header.id !== this.id) throw new ChainVerificationError('identity', at, `belongs to ${header.id}, not ${this.id}`);
    if (header.seq !== at) throw new ChainVerificationError('seq', at, `expected seq ${at}, got ${header.seq}`);
    if (header.prev === null || this.head === null || !header.prev.equals(this.head.cid)) throw new ChainVerificationError('prev', at, 'prev is not the CID of the previous header');
    if (!this.deps.crypto.ed25519.verify(publicKeyFromDid(header.author), unsignedBytesOf(block), header.sig)) {
      throw new ChainVerificationError('signature', at, `signature by ${header.author} does not verify`);
    }
  }

  /** Every fold rebuilt from what is stored (after a refused write, or a store that changed under it). */
  private rebuild(): void {
    this.reset();
    if (this.deps.store.head(this.id) !== undefined) this.load();
  }

  private reset(): void {
    this.head = null;
    this.history = new HistoryAccumulator(this.deps.crypto.sha256);
    this.keyring.clear();
    this.seeds.clear();
    for (const fold of this.folds) fold.reset();
  }

  private load(): void {
    const snapshot = this.deps.store.latestSnapshot(this.id);
    let from = 0;
    if (snapshot !== undefined && this.deps.store.header(this.id, snapshot.seq)?.cid === snapshot.cid && this.restore(snapshot.seq, snapshot.cid, snapshot.sealed)) {
      from = snapshot.seq + 1;
    }
    for (const stored of this.deps.store.headers(this.id, from)) {
      const block = decodeHeader(this.deps.crypto, stored.bytes);
      this.fold(this.reveal(block.header));
      this.history.add(block.cid);
      this.head = { seq: block.header.seq, cid: block.cid, ts: block.header.ts };
    }
  }

  private ensureDeviceCertified(): void {
    let certified = false;
    for (const stored of this.deps.store.headersOfKind(this.id, ['device-add', 'device-revoke'])) {
      const { header } = decodeHeader(this.deps.crypto, stored.bytes);
      if (deviceOf(header) !== this.device) continue;
      if (header.kind === 'device-revoke') throw new DeviceRevokedError(this.device);
      certified = true;
    }
    if (!certified) this.commit(() => [this.stage('device-add', { meta: { device: this.device, label: 'recovered device' }, signer: 'identity' })]);
  }

  private snapshotAad(seq: number, cid: string): Uint8Array {
    return encode(['defaust/snapshot/v1', this.id, seq, cid]);
  }

  /** A snapshot at the last block of a write that took the chain past a multiple of SNAPSHOT_EVERY blocks (from `before`). */
  private maybeSnapshot(before: number): void {
    if (this.head === null || Math.floor(this.length / SNAPSHOT_EVERY) === Math.floor(before / SNAPSHOT_EVERY)) return;
    const cid = this.head.cid.toString();
    const parts: Record<string, unknown> = {};
    for (const fold of this.folds) parts[fold.name] = fold.snapshot();
    const plain = encode({ generations: [...this.seeds.values()], folds: parts, history: this.history.state });
    const nonce = this.deps.crypto.randomBytes(12);
    const sealed = concatBytes(nonce, this.deps.crypto.aead.seal(this.keys.localKey, nonce, plain, this.snapshotAad(this.head.seq, cid)));
    this.deps.store.putSnapshot(this.id, { seq: this.head.seq, cid, sealed });
  }

  /** Restores keys and folds from a snapshot; false (and a full fold) when it does not open or lacks a fold. */
  private restore(seq: number, cid: string, sealed: Uint8Array): boolean {
    const plain = this.deps.crypto.aead.open(this.keys.localKey, sealed.subarray(0, 12), sealed.subarray(12), this.snapshotAad(seq, cid));
    if (plain === null) return false;
    const value = decodeCanonical(plain) as { generations: { entry: SectionKeyEntry; seeds: GenerationSeeds }[]; folds: Record<string, unknown>; history?: HistoryState };
    if (this.folds.some((fold) => !(fold.name in value.folds))) return false;
    // The accumulator's peaks at the snapshot; a snapshot written before they were kept has it rebuilt from the CIDs.
    const history = value.history === undefined ? storedHistory(this.deps.crypto.sha256, this.deps.store, this.id, seq + 1) : HistoryAccumulator.resume(this.deps.crypto.sha256, value.history);
    if (history === null || history.size !== seq + 1) return false;
    this.history = history;
    for (const { entry, seeds } of value.generations) {
      this.keyring.add(entry, seeds);
      this.seeds.set(`${entry.section}/${entry.gen}`, { entry, seeds });
    }
    for (const fold of this.folds) fold.restore(value.folds[fold.name]);
    const block = decodeHeader(this.deps.crypto, this.deps.store.header(this.id, seq)!.bytes);
    this.head = { seq, cid: block.cid, ts: block.header.ts };
    return true;
  }
}
