// The history accumulator (core/chain/mmr.ts): its roots and paths are RFC 6962's — checked against the
// published certificate-transparency vectors and against an independent recursive MTH written here — and,
// as properties over random trees: every leaf proves against its root; no other leaf, index, size, root or
// tampered path does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inclusionPath, leafHash, MerkleMountainRange, verifyInclusion } from '../src-main/core/chain/mmr.ts';
import { crypto } from './helpers.ts';

const sha = crypto.sha256;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

// RFC 6962 vectors as published by certificate-transparency / transparency-dev (leaves, roots of sizes 1..8).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_PATHS = [
  { index: 0, size: 8, path: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, path: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

/** An independent MTH: RFC 6962 §2.1 written out directly, over the raw data, not the range's code. */
function referenceRoot(data: readonly Uint8Array[]): Uint8Array {
  if (data.length === 0) return sha(new Uint8Array(0));
  if (data.length === 1) return sha(new Uint8Array([0, ...data[0]!]));
  let k = 1;
  while (k * 2 < data.length) k *= 2;
  return sha(new Uint8Array([1, ...referenceRoot(data.slice(0, k)), ...referenceRoot(data.slice(k))]));
}

const rangeOf = (data: readonly Uint8Array[]): MerkleMountainRange => {
  const mmr = new MerkleMountainRange(sha);
  for (const d of data) mmr.append(d);
  return mmr;
};

describe('history accumulator (RFC 6962 Merkle tree hash)', () => {
  it('matches the published certificate-transparency roots for sizes 0..8', () => {
    expect(hex(rangeOf([]).root())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let n = 1; n <= 8; n++) expect(hex(rangeOf(CT_LEAVES.slice(0, n)).root())).toBe(CT_ROOTS[n - 1]);
  });

  it('makes and verifies the published inclusion paths', () => {
    const leaves = CT_LEAVES.map((d) => leafHash(sha, d));
    for (const v of CT_PATHS) {
      expect(inclusionPath(sha, leaves, v.index, v.size).map(hex)).toEqual(v.path);
      expect(verifyInclusion(sha, leaves[v.index]!, v.index, v.size, v.path.map(unhex), unhex(CT_ROOTS[v.size - 1]!))).toBe(true);
    }
  });

  // Distinct leaves, as header CIDs are: two equal leaves would make two indices equally true.
  const trees = fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 300, selector: hex });

  it('equals an independently computed MTH at every size', () => {
    fc.assert(fc.property(trees, (data) => {
      const mmr = new MerkleMountainRange(sha);
      data.forEach((d, i) => {
        mmr.append(d);
        expect(hex(mmr.root())).toBe(hex(referenceRoot(data.slice(0, i + 1))));
      });
      expect(mmr.size).toBe(data.length);
    }), { numRuns: 30 });
  });

  it('every included leaf proves against the root of every size that holds it, and nothing else does', () => {
    fc.assert(fc.property(trees, fc.nat(), fc.nat(), fc.nat(), (data, a, b, c) => {
      const leaves = data.map((d) => leafHash(sha, d));
      const size = 1 + (a % leaves.length);
      const index = b % size;
      const root = referenceRoot(data.slice(0, size));
      const path = inclusionPath(sha, leaves, index, size);
      expect(verifyInclusion(sha, leaves[index]!, index, size, path, root)).toBe(true);
      // Another leaf at this index (a different header), unless its data is the same.
      const other = leafHash(sha, new Uint8Array([...data[index]!, 0xff]));
      expect(verifyInclusion(sha, other, index, size, path, root)).toBe(false);
      // The raw data in place of its leaf hash.
      expect(verifyInclusion(sha, data[index]!, index, size, path, root)).toBe(false);
      // A wrong index.
      const wrongIndex = (index + 1 + (c % (size + 1))) % (size + 1);
      if (wrongIndex !== index) expect(verifyInclusion(sha, leaves[index]!, wrongIndex, size, path, root)).toBe(false);
      // A wrong size: the root (and size, signed together in a checkpoint) of another tree that holds the leaf.
      for (const wrong of [index + 1, size - 1, size + 1, data.length]) {
        if (wrong <= index || wrong === size || wrong > data.length) continue;
        expect(verifyInclusion(sha, leaves[index]!, index, wrong, path, referenceRoot(data.slice(0, wrong)))).toBe(false);
      }
      // A tampered path: one bit flipped, one step dropped, one step added.
      if (path.length > 0) {
        const at = c % path.length;
        const flipped = path.map((p, i) => (i === at ? p.map((x, j) => (j === c % 32 ? x ^ 1 : x)) : p));
        expect(verifyInclusion(sha, leaves[index]!, index, size, flipped, root)).toBe(false);
        expect(verifyInclusion(sha, leaves[index]!, index, size, path.slice(1), root)).toBe(false);
      }
      expect(verifyInclusion(sha, leaves[index]!, index, size, [...path, root], root)).toBe(false);
      // A wrong root.
      expect(verifyInclusion(sha, leaves[index]!, index, size, path, sha(root))).toBe(false);
    }), { numRuns: 200 });
  });

  it('a range resumed from its size and peaks goes on exactly as the one that kept appending; peaks that do not fit the size are refused', () => {
    fc.assert(fc.property(trees, fc.nat(), (data, cut) => {
      const at = cut % (data.length + 1);
      const whole = rangeOf(data);
      const resumed = MerkleMountainRange.resume(sha, rangeOf(data.slice(0, at)).state)!;
      expect(resumed.size).toBe(at);
      for (const d of data.slice(at)) resumed.append(d);
      expect(hex(resumed.root())).toBe(hex(whole.root()));
      const { size, peaks } = whole.state;
      expect(MerkleMountainRange.resume(sha, { size: size * 2 + 1, peaks })).toBeNull();
      expect(MerkleMountainRange.resume(sha, { size, peaks: [...peaks, sha(new Uint8Array(1))] })).toBeNull();
      if (peaks.length > 0) expect(MerkleMountainRange.resume(sha, { size, peaks: [peaks[0]!.subarray(1), ...peaks.slice(1)] })).toBeNull();
    }), { numRuns: 100 });
    expect(MerkleMountainRange.resume(sha, { size: -1, peaks: [] })).toBeNull();
    expect(MerkleMountainRange.resume(sha, { size: 0, peaks: [] })!.root()).toEqual(rangeOf([]).root());
  });
});
