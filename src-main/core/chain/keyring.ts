// The owner's section keys: one generation per (section, gen), each an epoch grid and the two chain seeds.
// Seeds travel in `section-keys` blocks sealed to the owner's X25519 key, so the mnemonic alone opens them.
import type { SectionKeyEntry } from './meta.ts';
import { decodeCanonical, encode } from './codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { EpochKeyRange, epochOf, type EpochGrid } from './epochs.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Default epoch length and chain length: one-day epochs, 4096 of them (about eleven years). */
export const DEFAULT_EPOCH_MS = DAY_MS;
export const DEFAULT_CHAIN_LENGTH = 4096;

export class SectionKeyError extends DefaustError {
  override name = 'SectionKeyError';
  constructor(message: string) {
    super('section-key', message);
  }
}

export interface GenerationSeeds {
  forward: Uint8Array;
  backward: Uint8Array;
}

export interface SectionGeneration extends EpochGrid {
  section: string;
  gen: number;
  range: EpochKeyRange;
}

/** Makes a new key generation whose grid starts at the epoch boundary at or before `now`. */
export function newGeneration(
  crypto: Crypto,
  ownerX25519: Uint8Array,
  section: string,
  gen: number,
  now: number,
  epochMs = DEFAULT_EPOCH_MS,
  length = DEFAULT_CHAIN_LENGTH,
): { entry: SectionKeyEntry; seeds: GenerationSeeds } {
  const seeds = { forward: crypto.randomBytes(32), backward: crypto.randomBytes(32) };
  const start = now - (now % epochMs);
  const wrap = crypto.box.seal(ownerX25519, encode({ section, gen, f: seeds.forward, b: seeds.backward }));
  return { entry: { section, gen, epochMs, start, length, wrap }, seeds };
}

export function unwrapGeneration(crypto: Crypto, x25519Secret: Uint8Array, entry: SectionKeyEntry): GenerationSeeds {
  const opened = crypto.box.open(x25519Secret, entry.wrap);
  if (opened === null) throw new SectionKeyError(`the keys of section ${entry.section} (generation ${entry.gen}) are not sealed to this identity`);
  const value = decodeCanonical(opened) as { section?: unknown; gen?: unknown; f?: unknown; b?: unknown };
  if (value.section !== entry.section || value.gen !== entry.gen || !(value.f instanceof Uint8Array) || !(value.b instanceof Uint8Array)) {
    throw new SectionKeyError(`the sealed keys of section ${entry.section} do not match their entry`);
  }
  return { forward: value.f, backward: value.b };
}

export class KeyRing {
  private readonly generations = new Map<string, SectionGeneration[]>();
  private readonly crypto: Crypto;

  constructor(crypto: Crypto) {
    this.crypto = crypto;
  }

  add(entry: SectionKeyEntry, seeds: GenerationSeeds): SectionGeneration {
    const generation: SectionGeneration = {
      section: entry.section,
      gen: entry.gen,
      start: entry.start,
      epochMs: entry.epochMs,
      length: entry.length,
      range: new EpochKeyRange(this.crypto, 0, entry.length - 1, seeds.forward, seeds.backward),
    };
    const list = this.generations.get(entry.section) ?? [];
    list[entry.gen] = generation;
    this.generations.set(entry.section, list);
    return generation;
  }

  clear(): void {
    this.generations.clear();
  }

  sections(): string[] {
    return [...this.generations.keys()].sort();
  }

  latest(section: string): SectionGeneration | undefined {
    const list = this.generations.get(section);
    return list?.[list.length - 1];
  }

  /** The generation and epoch to seal new data of `section` at time `ts`, or null when a new generation is needed. */
  writeTarget(section: string, ts: number): { generation: SectionGeneration; epoch: number } | null {
    const generation = this.latest(section);
    if (generation === undefined) return null;
    const epoch = epochOf(generation, ts);
    return epoch === null ? null : { generation, epoch };
  }

  generation(section: string, gen: number): SectionGeneration | undefined {
    return this.generations.get(section)?.[gen];
  }

  keyFor(section: string, gen: number, epoch: number): Uint8Array {
    const generation = this.generations.get(section)?.[gen];
    if (generation === undefined) throw new SectionKeyError(`no key for section ${section}, generation ${gen}`);
    return generation.range.keyFor(epoch);
  }
}
