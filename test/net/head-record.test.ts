// Head records, pure: what makeHeadRecord signs validates; forged, stale, oversized, mis-keyed,
// un-namespaced and non-canonical records are refused with the rule they break; the selector picks the
// highest valid seq whatever the order and ignores invalid records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src-main/core/bytes.ts';
import { cidOf, encode } from '../../src-main/core/chain/codec.ts';
import { didFromPublicKey } from '../../src-main/core/identity/did.ts';
import { HeadRecordError } from '../../src-main/core/net/errors.ts';
import {
  HeadRecordFloor, MAX_HEAD_RECORD_BYTES, headKey, headKeyBytes, makeHeadRecord, selectHeadRecord, validateHeadRecord,
} from '../../src-main/core/net/head-record.ts';
import { crypto } from '../helpers.ts';

const seeds = Array.from({ length: 3 }, (_, i) => new Uint8Array(32).fill(i + 1));
const ids = seeds.map((seed) => didFromPublicKey(crypto.ed25519.publicKey(seed)));
const head = (n: number) => cidOf(crypto.sha256, utf8(`block ${n}`));

const fields = fc.record({
  who: fc.integer({ min: 0, max: seeds.length - 1 }),
  seq: fc.nat({ max: 1_000_000 }),
  ts: fc.nat({ max: 2 ** 45 }),
  block: fc.nat(),
});
const make = (f: { who: number; seq: number; ts: number; block: number }) =>
  makeHeadRecord(crypto, { id: ids[f.who]!, seq: f.seq, head: head(f.block), ts: f.ts }, seeds[f.who]!);

function ruleOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(HeadRecordError);
    return (error as HeadRecordError).rule;
  }
}

describe('head records', () => {
  it('validates what it signs, under the key of its identity', () => {
    fc.assert(fc.property(fields, (f) => {
      const { record, bytes } = make(f);
      expect(bytes.length).toBeLessThanOrEqual(MAX_HEAD_RECORD_BYTES);
      const back = validateHeadRecord(crypto, headKeyBytes(record.id), bytes);
      expect(back).toEqual(record);
      expect(validateHeadRecord(crypto, headKey(record.id), bytes).seq).toBe(f.seq);
    }), { numRuns: 100 });
  });

  it('refuses any changed byte (forgery) with a typed error', () => {
    fc.assert(fc.property(fields, fc.nat(), fc.integer({ min: 1, max: 255 }), (f, at, mask) => {
      const { record, bytes } = make(f);
      const forged = bytes.slice();
      forged[at % forged.length]! ^= mask;
      expect(ruleOf(() => validateHeadRecord(crypto, headKeyBytes(record.id), forged))).not.toBeNull();
    }), { numRuns: 200 });
  });

  it('refuses a record signed by another key, or naming another author', () => {
    fc.assert(fc.property(fields, (f) => {
      const victim = ids[(f.who + 1) % ids.length]!;
      const { record } = make(f);
      expect(ruleOf(() => validateHeadRecord(crypto, headKeyBytes(victim), encode({ ...record, id: victim, author: victim })))).toBe('signature');
      expect(ruleOf(() => validateHeadRecord(crypto, headKeyBytes(victim), encode({ ...record, id: victim })))).toBe('author');
    }), { numRuns: 50 });
  });

  it('refuses a record stored under another identity\'s key', () => {
    fc.assert(fc.property(fields, (f) => {
      const { bytes } = make(f);
      expect(ruleOf(() => validateHeadRecord(crypto, headKeyBytes(ids[(f.who + 1) % ids.length]!), bytes))).toBe('key');
    }), { numRuns: 50 });
  });

  it('refuses keys outside /defaust/head/<did>', () => {
    fc.assert(fc.property(fields, fc.string({ maxLength: 40 }), (f, prefix) => {
      const { record, bytes } = make(f);
      fc.pre(!(prefix + record.id).startsWith('/defaust/head/'));
      expect(ruleOf(() => validateHeadRecord(crypto, utf8(prefix + record.id), bytes))).toBe('namespace');
    }), { numRuns: 100 });
    const { record, bytes } = make({ who: 0, seq: 1, ts: 1, block: 1 });
    for (const key of [`/defaust/other/${record.id}`, `/defaust/head/${record.id}x`, '/defaust/head/', `defaust/head/${record.id}`]) {
      expect(ruleOf(() => validateHeadRecord(crypto, key, bytes))).toBe('namespace');
    }
    expect(ruleOf(() => validateHeadRecord(crypto, Uint8Array.from([0x2f, 0xff, 0xfe]), bytes))).toBe('namespace');
  });

  it('refuses oversized and non-canonical bytes before decoding them', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: MAX_HEAD_RECORD_BYTES + 1, maxLength: 4 * MAX_HEAD_RECORD_BYTES }), (junk) => {
      expect(ruleOf(() => validateHeadRecord(crypto, headKey(ids[0]!), junk))).toBe('size');
    }), { numRuns: 20 });
    const { record, bytes } = make({ who: 0, seq: 1, ts: 1, block: 1 });
    expect(ruleOf(() => validateHeadRecord(crypto, headKey(record.id), Uint8Array.from([...bytes, 0])))).toBe('canonical');
    expect(ruleOf(() => validateHeadRecord(crypto, headKey(record.id), encode({ ...record, extra: 1 })))).toBe('schema');
    expect(ruleOf(() => validateHeadRecord(crypto, headKey(record.id), encode([1, 2])))).toBe('schema');
  });

  it('selects the highest valid seq, then the newest ts, whatever the order', () => {
    fc.assert(fc.property(fc.array(fc.record({ seq: fc.nat({ max: 20 }), ts: fc.nat({ max: 20 }), block: fc.nat({ max: 3 }) }), { minLength: 1, maxLength: 8 }), fc.nat({ max: 3 }), (entries, junk) => {
      const records = entries.map((e) => make({ who: 0, ...e }));
      const forged = Array.from({ length: junk }, (_, i) => encode({ ...make({ who: 1, seq: 99 + i, ts: 0, block: 0 }).record, id: ids[0], author: ids[0] }));
      const all = [...records.map((r) => r.bytes), ...forged];
      const best = selectHeadRecord(crypto, headKey(ids[0]!), all);
      expect(best).toBeGreaterThanOrEqual(0);
      expect(best).toBeLessThan(records.length);
      const chosen = records[best]!.record;
      for (const { record } of records) {
        expect(chosen.seq > record.seq || (chosen.seq === record.seq && chosen.ts >= record.ts)).toBe(true);
      }
      // Deterministic: any order of the same records picks the same bytes.
      const reversed = [...all].reverse();
      expect(reversed[selectHeadRecord(crypto, headKey(ids[0]!), reversed)]).toEqual(all[best]);
    }), { numRuns: 100 });
    expect(selectHeadRecord(crypto, headKey(ids[0]!), [new Uint8Array([1, 2, 3])])).toBe(-1);
  });

  it('keeps a floor per key: a stale record cannot replace a newer one', () => {
    fc.assert(fc.property(fc.array(fc.record({ seq: fc.nat({ max: 10 }), ts: fc.nat({ max: 10 }) }), { minLength: 1, maxLength: 10 }), (entries) => {
      const floor = new HeadRecordFloor();
      let best: { seq: number; ts: number } | null = null;
      for (const e of entries) {
        const { record, bytes } = make({ who: 0, seq: e.seq, ts: e.ts, block: 0 });
        const stale = best !== null && (e.seq < best.seq || (e.seq === best.seq && e.ts < best.ts));
        expect(ruleOf(() => floor.admit(headKey(ids[0]!), record, bytes))).toBe(stale ? 'stale' : null);
        if (!stale) best = e;
      }
      expect(floor.get(headKey(ids[0]!))?.seq).toBe(best!.seq);
    }), { numRuns: 100 });
  });
});
