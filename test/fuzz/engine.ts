// A small mutation fuzzer: from a target's valid seeds it makes inputs by bit flips, byte changes, inserted
// CBOR heads with huge lengths, cuts, splices and plain random bytes (a seeded PRNG, so every run is
// reproducible), feeds each to the target, and records as findings what throws anything but a DefaustError.
import { DefaustError } from '../../src-main/core/errors.ts';
import type { FuzzTarget } from './targets.ts';
import { prng } from '../prng.ts';

export interface Finding {
  run: number;
  error: string;
  input: string;
}

export interface FuzzReport {
  name: string;
  runs: number;
  ms: number;
  /** Inputs the decoder refused with a DefaustError, and inputs it accepted. */
  refused: number;
  accepted: number;
  findings: Finding[];
  /** The longest a single input took, in ms. */
  slowestMs: number;
}

/** CBOR heads that claim absurd sizes or nest without end, and other edge bytes. */
const INTERESTING: number[][] = [
  [0x00], [0xff], [0x7f], [0x80], [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0x7b, 0, 0, 0, 1, 0, 0, 0, 0], [0x9b, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff], [0xbb, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff], [0x9f], [0xbf], [0x5f],
  [0xd8, 0x2a, 0x41, 0x00], [0xd8, 0x2a, 0x58, 0x25, 0x00, 0x01], [0xf9, 0x7e, 0x00], [0xfb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], [0xf7], [0xc2, 0x41, 0x01],
  [0x61, 0xed], [0x62, 0xc0, 0x80], [0xff, 0xff, 0xff, 0xff, 0x0f], [0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
  ...[0x81, 0xa1].map((head) => Array.from({ length: 64 }, () => head)),
];

const MAX_INPUT = 256 * 1024;

/** Whole inputs that are tiny CBOR values of the wrong kind: null, true, 0, -1, [], {}, h'', "", [null], {"a": null}. */
const TINY: number[][] = [[0xf6], [0xf5], [0x00], [0x20], [0x80], [0xa0], [0x40], [0x60], [0x81, 0xf6], [0xa1, 0x61, 0x61, 0xf6]];

export function mutate(seeds: readonly Uint8Array[], pick: (n: number) => number): Uint8Array {
  const whole = pick(40);
  if (whole === 0) return Uint8Array.from(TINY[pick(TINY.length)]!);
  if (whole === 1) return Uint8Array.from({ length: pick(300) }, () => pick(256));
  let bytes = Array.from(seeds[pick(seeds.length)]!);
  const times = 1 + pick(4);
  for (let i = 0; i < times; i++) {
    const at = pick(bytes.length + 1);
    switch (pick(9)) {
      case 0: if (bytes.length > 0) bytes[at % bytes.length]! ^= 1 << pick(8); break;
      case 1: if (bytes.length > 0) bytes[at % bytes.length] = pick(256); break;
      case 2: bytes.splice(at, 0, ...Array.from({ length: 1 + pick(16) }, () => pick(256))); break;
      case 3: bytes.splice(at, 1 + pick(32)); break;
      case 4: bytes = bytes.slice(0, at); break;
      case 5: bytes.splice(at, pick(4), ...INTERESTING[pick(INTERESTING.length)]!); break;
      case 6: { const from = pick(bytes.length + 1); bytes.splice(at, 0, ...bytes.slice(from, from + 1 + pick(64))); break; }
      case 7: { const other = seeds[pick(seeds.length)]!; const from = pick(other.length + 1); bytes.splice(at, pick(32), ...other.subarray(from, from + 1 + pick(128))); break; }
      default: if (bytes.length > 0) bytes[at % bytes.length] = (bytes[at % bytes.length]! + pick(5) - 2) & 0xff; break;
    }
  }
  return Uint8Array.from(bytes.length > MAX_INPUT ? bytes.slice(0, MAX_INPUT) : bytes);
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 256)).toString('hex') + (bytes.length > 256 ? `…(${bytes.length} bytes)` : '');

/** Feeds `runs` inputs (the seeds first, then mutations) to `target`, seeded by `seed`. */
export async function fuzz(target: FuzzTarget, runs: number, seed = 1): Promise<FuzzReport> {
  if (runs < target.seeds.length) throw new RangeError(`${target.name}: ${runs} runs cannot cover its ${target.seeds.length} seeds`);
  const pick = prng(seed ^ hash(target.name));
  const report: FuzzReport = { name: target.name, runs, ms: 0, refused: 0, accepted: 0, findings: [], slowestMs: 0 };
  const started = performance.now();
  for (let run = 0; run < runs; run++) {
    const input = run < target.seeds.length ? target.seeds[run]! : mutate(target.seeds, pick);
    const t0 = performance.now();
    try {
      const result = target.run(input);
      if (result instanceof Promise) await result;
      report.accepted++;
    } catch (error) {
      if (error instanceof DefaustError) report.refused++;
      else if (report.findings.length < 20) report.findings.push({ run, error: `${(error as Error)?.name}: ${String((error as Error)?.message ?? error).slice(0, 200)}`, input: hex(input) });
      else report.findings.length++;
    }
    const took = performance.now() - t0;
    if (took > report.slowestMs) report.slowestMs = took;
  }
  report.ms = performance.now() - started;
  return report;
}

/** Splits `total` runs over `targets` by their weight (a slow decoder gets fewer runs), at least 100 each. */
export function budget(targets: readonly FuzzTarget[], total: number): Map<string, number> {
  const sum = targets.reduce((s, t) => s + (t.weight ?? 1), 0);
  return new Map(targets.map((t) => [t.name, Math.max(100, Math.round((total * (t.weight ?? 1)) / sum))]));
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
