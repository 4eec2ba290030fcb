// Epoch keys: a range F[a], B[b] opens exactly epochs a..b, and agrees with the owner's full chain there.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../src-main/core/bytes.ts';
import { EpochKeyRange, EpochOutOfRangeError, epochOf } from '../src-main/core/chain/epochs.ts';
import { KeyRing, newGeneration, unwrapGeneration, SectionKeyError } from '../src-main/core/chain/keyring.ts';
import { crypto } from './helpers.ts';

const LENGTH = 64;

describe('epoch key chains', () => {
  const owner = new EpochKeyRange(crypto, 0, LENGTH - 1, crypto.randomBytes(32), crypto.randomBytes(32));

  it('a sub-range derives the same keys as the owner inside it, and refuses every epoch outside it', () => {
    fc.assert(fc.property(fc.nat({ max: LENGTH - 1 }), fc.nat({ max: LENGTH - 1 }), (x, y) => {
      const [a, b] = x <= y ? [x, y] : [y, x];
      const grant = new EpochKeyRange(crypto, a, b, owner.forwardAt(a), owner.backwardAt(b));
      for (let epoch = 0; epoch < LENGTH; epoch++) {
        if (epoch >= a && epoch <= b) {
          if (toHex(grant.keyFor(epoch)) !== toHex(owner.keyFor(epoch))) return false;
        } else {
          expect(() => grant.keyFor(epoch)).toThrow(EpochOutOfRangeError);
        }
      }
      return true;
    }), { numRuns: 60 });
  });

  it('knowing F[a] and B[b] does not give the keys just outside: they differ from anything the range derives', () => {
    const a = 10;
    const b = 20;
    const inside = new Set(Array.from({ length: b - a + 1 }, (_, i) => toHex(owner.keyFor(a + i))));
    expect(inside.has(toHex(owner.keyFor(a - 1)))).toBe(false);
    expect(inside.has(toHex(owner.keyFor(b + 1)))).toBe(false);
    expect(inside.size).toBe(b - a + 1);
  });

  it('maps time to epochs on the grid', () => {
    const grid = { start: 1000, epochMs: 100, length: 10 };
    expect(epochOf(grid, 999)).toBeNull();
    expect(epochOf(grid, 1000)).toBe(0);
    expect(epochOf(grid, 1099)).toBe(0);
    expect(epochOf(grid, 1100)).toBe(1);
    expect(epochOf(grid, 1999)).toBe(9);
    expect(epochOf(grid, 2000)).toBeNull();
  });
});

describe('section key generations', () => {
  it('are sealed to the owner and open only with the owner key', () => {
    const owner = crypto.randomBytes(32);
    const stranger = crypto.randomBytes(32);
    const { entry, seeds } = newGeneration(crypto, crypto.box.publicKey(owner), 'health', 0, Date.UTC(2026, 5, 1, 15));
    expect(entry.start).toBe(Date.UTC(2026, 5, 1));
    expect(unwrapGeneration(crypto, owner, entry)).toEqual(seeds);
    expect(() => unwrapGeneration(crypto, stranger, entry)).toThrow(SectionKeyError);
    expect(() => unwrapGeneration(crypto, owner, { ...entry, section: 'contact' })).toThrow(SectionKeyError);
  });

  it('a key ring writes into the current epoch and asks for a new generation past the chain end', () => {
    const ring = new KeyRing(crypto);
    const owner = crypto.randomBytes(32);
    const { entry, seeds } = newGeneration(crypto, crypto.box.publicKey(owner), 'fitness', 0, 0, 1000, 8);
    ring.add(entry, seeds);
    expect(ring.writeTarget('fitness', 2500)?.epoch).toBe(2);
    expect(ring.writeTarget('fitness', 8000)).toBeNull();
    expect(ring.writeTarget('contact', 10)).toBeNull();
    expect(ring.keyFor('fitness', 0, 3)).toHaveLength(32);
  });
});
