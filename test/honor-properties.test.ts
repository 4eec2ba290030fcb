// honorOf as a property (fast-check, fixed seed): monotone in evidence, a refutation's cooldown ends, reviews
// from reviewers the observer does not trust never count, an equivocation never expires.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src-main/core/honor/evidence.ts';
import { honorOf, SEVERITY, type Honor, type HonorSettings } from '../src-main/core/honor/honor.ts';

const WITNESS = 'did:key:witness';
const REVIEWERS = ['did:key:r0', 'did:key:r1', 'did:key:r2', 'did:key:r3', 'did:key:r4', WITNESS];
const TRUSTED = new Set(['did:key:r0', 'did:key:r1', 'did:key:r2', WITNESS]);
const trusted = (did: string) => TRUSTED.has(did);
const SETTINGS: HonorSettings = { cooldownMs: 1000, reviewsToFlag: 2 };
const RUNS = { seed: 12, numRuns: 300 };

const finding: fc.Arbitrary<Finding> = fc.oneof(
  fc.record({ id: fc.string({ maxLength: 6 }), seq: fc.nat(10) }).map(({ id, seq }) => ({ kind: 'equivocation' as const, id, accused: [WITNESS], seq })),
  fc.record({ id: fc.string({ maxLength: 6 }), ts: fc.nat(5000), other: fc.boolean() }).map(({ id, ts, other }) => ({ kind: 'refutation' as const, id, accused: other ? ['did:key:other'] : [WITNESS, 'did:key:other'], claim: 'c', ts })),
  fc.record({ id: fc.string({ maxLength: 6 }), reviewer: fc.constantFrom(...REVIEWERS), ts: fc.nat(5000) }).map(({ id, reviewer, ts }) => ({ kind: 'review' as const, id, accused: [WITNESS], reviewer, claim: 'c', reason: 'r', ts })),
);
const findings = fc.array(finding, { maxLength: 8 });
const now = fc.nat(8000);

const at = (list: Finding[], t: number): Honor => honorOf(WITNESS, list, trusted, t, SETTINGS);
/** A bar's end as a number that only grows: Infinity for good, 0 for no bar. */
const barEnd = (h: Honor): number => (h.status !== 'barred' ? 0 : h.until ?? Number.POSITIVE_INFINITY);

describe('honorOf', () => {
  it('is monotone in evidence: more evidence never makes the status better, nor a bar shorter', () => {
    fc.assert(fc.property(findings, findings, now, (some, more, t) => {
      const before = at(some, t);
      const after = at([...some, ...more], t);
      expect(SEVERITY[after.status]).toBeGreaterThanOrEqual(SEVERITY[before.status]);
      expect(barEnd(after)).toBeGreaterThanOrEqual(barEnd(before));
    }), RUNS);
  });

  it('a refutation bars for the cooldown, then no longer', () => {
    fc.assert(fc.property(findings, (list) => {
      const kept = list.filter((f) => f.kind !== 'equivocation');
      const ends = kept.flatMap((f) => (f.kind === 'refutation' && f.accused.includes(WITNESS) ? [f.ts + SETTINGS.cooldownMs] : []));
      if (ends.length === 0) return;
      const last = Math.max(...ends);
      expect(at(kept, last - 1)).toMatchObject({ status: 'barred', until: last });
      expect(at(kept, last).status).not.toBe('barred');
    }), RUNS);
  });

  it('reviews from untrusted reviewers (or the witness itself) never count', () => {
    fc.assert(fc.property(findings, fc.array(fc.constantFrom('did:key:r3', 'did:key:r4', WITNESS), { maxLength: 6 }), now, (list, untrusted, t) => {
      const extra: Finding[] = untrusted.map((reviewer, i) => ({ kind: 'review', id: `u${i}`, accused: [WITNESS], reviewer, claim: 'c', reason: 'r', ts: 0 }));
      const cleanList = list.filter((f) => f.kind !== 'review' || f.reviewer !== WITNESS);
      const { evidence: _a, ...without } = at(cleanList, t);
      const { evidence: _b, ...withThem } = at([...cleanList, ...extra], t);
      expect(withThem).toEqual(without);
    }), RUNS);
  });

  it('an equivocation bars for good', () => {
    fc.assert(fc.property(findings, fc.nat(Number.MAX_SAFE_INTEGER), (list, t) => {
      const honor = at([...list, { kind: 'equivocation', id: 'e', accused: [WITNESS], seq: 1 }], t);
      expect(honor).toMatchObject({ status: 'barred', until: null });
    }), RUNS);
  });

  it('flags after m distinct trusted reviewers', () => {
    const review = (reviewer: string, id: string): Finding => ({ kind: 'review', id, accused: [WITNESS], reviewer, claim: 'c', reason: 'r', ts: 0 });
    expect(at([review('did:key:r0', 'a'), review('did:key:r0', 'b')], 0).status).toBe('good');
    expect(at([review('did:key:r0', 'a'), review('did:key:r1', 'b')], 0)).toMatchObject({ status: 'flagged', reviews: { counted: 2, needed: 2 } });
  });
});
