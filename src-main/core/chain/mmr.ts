// The history accumulator: a Merkle mountain range over header CIDs with RFC 6962's domain-separated hashing
// (leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right), H = SHA-256). The range keeps one peak per 1 bit of
// its size, largest first; its root bags the peaks right to left, root = H(1 ‖ p₁ ‖ H(1 ‖ p₂ ‖ … p_m)), which is
// exactly RFC 6962's Merkle tree hash MTH(D[n]) (its split at the largest power of two below n puts the
// largest perfect subtree, the first peak, on the left). So roots and inclusion paths are RFC 6962's (also
// RFC 9162 §2.1.3) and checkable by any certificate-transparency library. Consistency proofs are not needed.
import { equalBytes } from '../bytes.ts';

export type Sha256 = (data: Uint8Array) => Uint8Array;

const LEAF = 0x00;
const NODE = 0x01;

export function leafHash(sha256: Sha256, data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input[0] = LEAF;
  input.set(data, 1);
  return sha256(input);
}

export function nodeHash(sha256: Sha256, left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** An append-only accumulator: O(log n) peaks held, each append O(log n) hashes at worst. */
export class MerkleMountainRange {
  private readonly sha256: Sha256;
  /** Peaks, largest (leftmost) first; `heights[i]` is the height of `peaks[i]`. */
  private readonly peaks: Uint8Array[] = [];
  private readonly heights: number[] = [];
  private count = 0;

  constructor(sha256: Sha256) {
    this.sha256 = sha256;
  }

  get size(): number {
    return this.count;
  }

  /** Appends the leaf for `data` (a header CID's bytes). */
  append(data: Uint8Array): void {
    this.appendLeafHash(leafHash(this.sha256, data));
  }

  appendLeafHash(hash: Uint8Array): void {
    let node = hash;
    let height = 0;
    while (this.heights.length > 0 && this.heights[this.heights.length - 1] === height) {
      this.heights.pop();
      node = nodeHash(this.sha256, this.peaks.pop()!, node);
      height++;
    }
    this.peaks.push(node);
    this.heights.push(height);
    this.count++;
  }

  /** The peaks, largest first: with the size, all a range needs to go on (their heights are the size's 1 bits). */
  get state(): { size: number; peaks: Uint8Array[] } {
    return { size: this.count, peaks: this.peaks.map((peak) => peak.slice()) };
  }

  /** A range that goes on from `state` (as `state` gave it); null when the peaks do not fit the size. */
  static resume(sha256: Sha256, state: { size: number; peaks: readonly Uint8Array[] }): MerkleMountainRange | null {
    const { size, peaks } = state;
    if (!Number.isSafeInteger(size) || size < 0) return null;
    const heights: number[] = [];
    for (let height = Math.floor(Math.log2(Math.max(size, 1))) + 1; height >= 0; height--) {
      if (Math.floor(size / 2 ** height) % 2 === 1) heights.push(height);
    }
    if (heights.length !== peaks.length || peaks.some((peak) => !(peak instanceof Uint8Array) || peak.length !== 32)) return null;
    const range = new MerkleMountainRange(sha256);
    range.peaks.push(...peaks.map((peak) => peak.slice()));
    range.heights.push(...heights);
    range.count = size;
    return range;
  }

  /** The root over every leaf appended so far; SHA-256 of nothing for an empty range (as RFC 6962). */
  root(): Uint8Array {
    if (this.peaks.length === 0) return this.sha256(new Uint8Array(0));
    let root = this.peaks[this.peaks.length - 1]!;
    for (let i = this.peaks.length - 2; i >= 0; i--) root = nodeHash(this.sha256, this.peaks[i]!, root);
    return root;
  }
}

/** The largest power of two strictly below `n` (n ≥ 2): RFC 6962's split point. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over `leaves` (leaf hashes), recursively as RFC 6962 §2.1 defines it. */
function subtreeRoot(sha256: Sha256, leaves: readonly Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from;
  if (n === 1) return leaves[from]!;
  const k = split(n);
  return nodeHash(sha256, subtreeRoot(sha256, leaves, from, from + k), subtreeRoot(sha256, leaves, from + k, to));
}

/**
 * The inclusion path (RFC 6962 §2.1.1 PATH(m, D[n])) of leaf `index` in the tree of the first `size` leaf
 * hashes, nearest sibling first. O(size) hashes.
 */
export function inclusionPath(sha256: Sha256, leafHashes: readonly Uint8Array[], index: number, size: number): Uint8Array[] {
  if (!Number.isSafeInteger(size) || size < 1 || size > leafHashes.length) throw new RangeError(`size ${size} is not in 1..${leafHashes.length}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`index ${index} is not in 0..${size - 1}`);
  const path: Uint8Array[] = [];
  const walk = (m: number, from: number, to: number): void => {
    const n = to - from;
    if (n === 1) return;
    const k = split(n);
    if (m < k) {
      walk(m, from, from + k);
      path.push(subtreeRoot(sha256, leafHashes, from + k, to));
    } else {
      walk(m - k, from + k, to);
      path.push(subtreeRoot(sha256, leafHashes, from, from + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** The root `path` leads to from `leaf` at `index` in a tree of `size` leaves (RFC 9162 §2.1.3.2), or null when the path has the wrong length. */
export function rootFromPath(sha256: Sha256, leaf: Uint8Array, index: number, size: number, path: readonly Uint8Array[]): Uint8Array | null {
  if (!Number.isSafeInteger(size) || !Number.isSafeInteger(index) || index < 0 || index >= size) return null;
  // Plain numbers: sizes stay far below 2^53, and these are exact integer halvings.
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sha256, p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(sha256, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** True when `path` proves that `leaf` (a leaf hash) is leaf `index` of the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(sha256: Sha256, leaf: Uint8Array, index: number, size: number, path: readonly Uint8Array[], root: Uint8Array): boolean {
  const computed = rootFromPath(sha256, leaf, index, size, path);
  return computed !== null && equalBytes(computed, root);
}
