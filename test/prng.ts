// mulberry32, a tiny seeded PRNG shared by the property tests, the fuzzers and the benchmarks, so that a run
// is a pure function of its seed: `pick(n)` is uniform in 0..n-1.
export function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
