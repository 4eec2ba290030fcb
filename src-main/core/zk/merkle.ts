// A fixed-depth Poseidon Merkle tree, as circuits/src/lib/merkle.circom checks it: node = Poseidon(left,
// right); empty leaves are 0. The same code builds the root a verifier trusts and the paths a prover uses.
import { poseidon2 } from 'poseidon-lite';
import { DefaustError } from '../errors.ts';

export class MerkleError extends DefaustError {
  override name = 'MerkleError';
  constructor(message: string) {
    super('zk/merkle', message);
  }
}

export interface MerklePath {
  pathIndices: number[];
  siblings: bigint[];
}

export class PoseidonTree {
  readonly depth: number;
  private readonly levels: bigint[][];

  /** Builds the tree of `leaves` (sorted and de-duplicated, so the root depends on the set only). */
  constructor(depth: number, leaves: readonly bigint[]) {
    if (!Number.isInteger(depth) || depth < 1 || depth > 32) throw new MerkleError('depth is 1..32');
    const sorted = [...new Set(leaves)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (sorted.length > 2 ** depth) throw new MerkleError(`a tree of depth ${depth} holds at most ${2 ** depth} leaves, not ${sorted.length}`);
    this.depth = depth;
    this.levels = [[...sorted, ...Array<bigint>(2 ** depth - sorted.length).fill(0n)]];
    for (let level = 0; level < depth; level++) {
      const below = this.levels[level]!;
      const above: bigint[] = [];
      for (let i = 0; i < below.length; i += 2) above.push(poseidon2([below[i]!, below[i + 1]!]));
      this.levels.push(above);
    }
  }

  get root(): bigint {
    return this.levels[this.depth]![0]!;
  }

  has(leaf: bigint): boolean {
    return leaf !== 0n && this.levels[0]!.includes(leaf);
  }

  path(leaf: bigint): MerklePath {
    let index = leaf === 0n ? -1 : this.levels[0]!.indexOf(leaf);
    if (index < 0) throw new MerkleError('this key is not in the trusted set');
    const pathIndices: number[] = [];
    const siblings: bigint[] = [];
    for (let level = 0; level < this.depth; level++) {
      pathIndices.push(index % 2);
      siblings.push(this.levels[level]![index ^ 1]!);
      index = Math.floor(index / 2);
    }
    return { pathIndices, siblings };
  }
}
