// The Open Badge verbs (rule 3), written once for the CLI, the Electron IPC and the HTTP API: preview a feat
// as an unsigned OpenBadgeCredential (what the SignDialog shows), export it signed by the holder
// (eddsa-jcs-2022), and verify a badge file offline with its status (core/badges, decision 0007).
import { BadgeError } from '../../core/badges/errors.ts';
import { signBadge, unsignedBadge, verifyBadge, parseBadge, type SignedBadge, type UnsignedBadge, type VerifiedBadge } from '../../core/badges/badge.ts';
import { badgeStatus, type BadgeStatus } from '../../core/badges/status.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import type { ChainStore } from '../../core/ports.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Session } from '../session.ts';

export interface BadgePreview {
  /** The credential without its proof: exactly what `exportBadge` signs for the same `validFrom`. */
  badge: UnsignedBadge;
  /** The witnesses the badge names (its endorsers): a badge reveals them, unlike a feat proof. */
  endorsers: Did[];
  validFrom: number;
}

/**
 * The unsigned badge of the holder's claim `cid`: its yes-attestations by the witnesses its policy counts
 * (trusted for the feat's kind, not barred). A refuted claim (`badge/refuted`) or one whose policy is not met
 * yet (`badge/unmet`) is refused.
 */
export function previewBadge(session: Session, cid: string, validFrom: number = session.home.clock.now()): BadgePreview {
  const feats = session.profile.feats;
  const claim = feats.get(cid);
  const status = feats.status(cid);
  if (status.refuted !== undefined) throw new BadgeError('refuted', `this feat was refuted (you lost challenge ${status.refuted} on it), so no badge is made for it`);
  if (!status.met) throw new BadgeError('unmet', `this feat has ${status.have} of the ${status.need} trusted yes it needs, so no badge is made for it yet`);
  const trusted = feats.trustedFor(claim.claim.featType, claim.claim.policy.kind === 'authority');
  const seen = new Set<Did>();
  const attestations = feats.attestations(cid).filter((a) => {
    const ok = a.attestation.verdict === 'yes' && trusted.has(a.attestation.witness) && !seen.has(a.attestation.witness);
    if (ok) seen.add(a.attestation.witness);
    return ok;
  });
  const badge = unsignedBadge(session.home.crypto, claim, attestations, validFrom);
  return { badge, endorsers: attestations.map((a) => a.attestation.witness), validFrom };
}

/** The badge signed by this holder's identity key; `validFrom` as the preview showed it (default now). */
export function exportBadge(session: Session, cid: string, validFrom?: number): { badge: SignedBadge; endorsers: Did[]; text: string } {
  const preview = previewBadge(session, cid, validFrom);
  const badge = signBadge(session.home.crypto, session.keys.identity.ed25519Seed, preview.badge, session.home.clock.now());
  return { badge, endorsers: preview.endorsers, text: JSON.stringify(badge, null, 2) + '\n' };
}

export type BadgeCheck =
  | { valid: true; badge: Omit<VerifiedBadge, 'claim'> & { claim: string }; status: BadgeStatus }
  | { valid: false; code: string; reason: string; field: string | null };

/**
 * Checks a badge file offline: the model, the proof, the evidence (core/badges/badge.ts), then its status from
 * the `outcomes` given and the holder's chain in `store` when it is held there. An invalid badge is a result
 * (`valid: false`, the BadgeError's code and field), not a failure; an outcome that does not verify throws.
 */
export function verifyBadgeFile(crypto: Crypto, text: string, options: { outcomes?: readonly Uint8Array[]; store?: ChainStore | null } = {}): BadgeCheck {
  let verified: VerifiedBadge;
  try {
    verified = verifyBadge(crypto, parseBadge(text));
  } catch (error) {
    if (error instanceof BadgeError) return { valid: false, code: error.code, reason: error.message, field: error.field ?? null };
    throw error;
  }
  const status = badgeStatus(crypto, verified.holder, verified.claim.cid, options.outcomes ?? [], options.store ?? null);
  return { valid: true, badge: { ...verified, claim: verified.claim.cid }, status };
}
