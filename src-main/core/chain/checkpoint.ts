// Checkpoint blocks: every CHECKPOINT_EVERY blocks (and on demand) the owner signs, in a `checkpoint` block's
// public meta, the history accumulator's root over every header before it (mmr.ts). The verifier recomputes
// the accumulator as it goes and refuses a checkpoint whose root or size is not the one it computed, so a
// checkpoint commits to all history before it and an inclusion path against its root proves a block was in
// that history. The meta holds only two numbers' worth of bytes: it names nobody.
import { parseCid, type CID } from './codec.ts';
import type { Did } from '../identity/did.ts';
import type { ChainStore } from '../ports.ts';
import { ChainVerificationError } from './errors.ts';
import type { Header } from './header.ts';
import { MerkleMountainRange, type Sha256 } from './mmr.ts';

/**
 * A checkpoint is written when the chain passes a multiple of this many blocks: the same cadence as the
 * sealed snapshots, so it costs one block in 256 (0.4 %), and a block waits at most 255 blocks for a signed
 * checkpoint to cover it (until then the signed head record, which commits to the current root, covers it).
 */
export const CHECKPOINT_EVERY = 256;

/** A checkpoint's public meta: the root over headers 0..size-1, `size` = the checkpoint's own seq. */
export interface CheckpointMeta {
  root: Uint8Array;
  size: number;
}

const META_KEYS = 'root,size';

/** The checkpoint meta of `header`, its shape checked; a `schema` error otherwise. */
export function checkpointMeta(header: Header): CheckpointMeta {
  const m = header.meta;
  const ok = Object.keys(m).sort().join(',') === META_KEYS && m.root instanceof Uint8Array && m.root.length === 32 &&
    Number.isSafeInteger(m.size) && m.size === header.seq;
  if (!ok) throw new ChainVerificationError('schema', header.seq, 'checkpoint meta must be exactly {root: 32 bytes, size: its own seq}');
  return { root: m.root as Uint8Array, size: m.size as number };
}

/** What a snapshot keeps of the accumulator: the range's size and peaks. */
export type HistoryState = MerkleMountainRange['state'];

/** The accumulator over a chain's header CIDs, in seq order. */
export class HistoryAccumulator {
  private readonly mmr: MerkleMountainRange;

  constructor(sha256: Sha256, mmr: MerkleMountainRange = new MerkleMountainRange(sha256)) {
    this.mmr = mmr;
  }

  /** What a snapshot keeps of the accumulator: its size and peaks (a few hundred bytes at any length). */
  get state(): HistoryState {
    return this.mmr.state;
  }

  /** The accumulator as `state` left it; null when the state does not hold together. */
  static resume(sha256: Sha256, state: HistoryState): HistoryAccumulator | null {
    const mmr = MerkleMountainRange.resume(sha256, state);
    return mmr === null ? null : new HistoryAccumulator(sha256, mmr);
  }

  get size(): number {
    return this.mmr.size;
  }

  add(cid: CID): void {
    this.mmr.append(cid.bytes);
  }

  root(): Uint8Array {
    return this.mmr.root();
  }

  /** The meta of a checkpoint written next (at seq = size). */
  checkpoint(): CheckpointMeta {
    return { root: this.root(), size: this.size };
  }
}

/** True when a write that took the chain from `before` to `after` blocks passed a multiple of CHECKPOINT_EVERY. */
export function checkpointDue(before: number, after: number): boolean {
  return Math.floor(after / CHECKPOINT_EVERY) > Math.floor(before / CHECKPOINT_EVERY);
}

/** The accumulator over the first `size` stored headers of `id` (all of them by default). */
export function storedHistory(sha256: Sha256, store: ChainStore, id: Did, size?: number): HistoryAccumulator {
  const history = new HistoryAccumulator(sha256);
  for (const stored of store.headers(id, 0, size)) history.add(parseCid(stored.cid));
  return history;
}
