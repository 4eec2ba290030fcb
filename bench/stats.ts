// Timing helpers for the benchmarks: medians over rounds, rates per second.
import { performance } from 'node:perf_hooks';

/** `full`: the figures to quote; `tiny`: each bench once at a small size, to prove it runs. */
export type BenchSize = 'full' | 'tiny';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` (which does `count` operations) `rounds` times; returns the median operations per second. */
export function medianRate(rounds: number, count: number, fn: (round: number) => void): number {
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    fn(round);
    rates.push(count / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

export function medianMs(rounds: number, fn: () => void): number {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
