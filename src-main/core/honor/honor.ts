// Honor as one observer computes it (DESIGN §6), from findings it verified itself:
//   equivocation            ⇒ barred for good
//   refutation at ts        ⇒ barred until ts + cooldown (the latest refutation decides)
//   m distinct reviewers the observer trusts (never the witness itself) ⇒ flagged
// Severity only grows with evidence (good < flagged < barred); only a refutation's cooldown ends.
import type { Did } from '../identity/did.ts';
import type { Finding } from './evidence.ts';
import type { EvidenceStore } from './store.ts';

export type HonorStatus = 'good' | 'flagged' | 'barred';

export interface HonorSettings {
  /** How long a refutation bars its yes-witnesses. */
  cooldownMs: number;
  /** Reviews from distinct trusted reviewers that flag a witness. */
  reviewsToFlag: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_HONOR_SETTINGS: HonorSettings = { cooldownMs: 180 * DAY_MS, reviewsToFlag: 3 };

export interface Honor {
  did: Did;
  status: HonorStatus;
  /** When a bar ends: null while good or flagged, and for an equivocation (barred for good). */
  until: number | null;
  /** Distinct trusted reviewers who reported this did, and how many flag it. */
  reviews: { counted: number; needed: number };
  /** Every finding naming this did (reviews from untrusted reviewers included, though they do not count). */
  evidence: Finding[];
}

export const SEVERITY: Record<HonorStatus, number> = { good: 0, flagged: 1, barred: 2 };

/** The honor of `did` in this observer's view at `now`; `trusted` says whose reviews count. */
export function honorOf(did: Did, findings: readonly Finding[], trusted: (reviewer: Did) => boolean, now: number, settings: HonorSettings = DEFAULT_HONOR_SETTINGS): Honor {
  const evidence = findings.filter((f) => f.accused.includes(did));
  const reviewers = new Set(evidence.flatMap((f) => (f.kind === 'review' && f.reviewer !== did && trusted(f.reviewer) ? [f.reviewer] : [])));
  const reviews = { counted: reviewers.size, needed: settings.reviewsToFlag };
  const base = { did, reviews, evidence };
  if (evidence.some((f) => f.kind === 'equivocation')) return { ...base, status: 'barred', until: null };
  const barredUntil = Math.max(-Infinity, ...evidence.flatMap((f) => (f.kind === 'refutation' ? [f.ts + settings.cooldownMs] : [])));
  if (now < barredUntil) return { ...base, status: 'barred', until: barredUntil };
  return { ...base, status: reviewers.size >= settings.reviewsToFlag ? 'flagged' : 'good', until: null };
}

/**
 * Whether a did is barred in the view of the evidence `store` holds at `now()`. Bars do not depend on whom the
 * observer trusts (an equivocation or a refutation is proven, not reported), so a home answers it alone.
 */
export function barredBy(store: EvidenceStore, now: () => number, settings: HonorSettings = DEFAULT_HONOR_SETTINGS): (did: Did) => boolean {
  return (did) => honorOf(did, store.about(did).map((e) => e.finding), () => false, now(), settings).status === 'barred';
}
