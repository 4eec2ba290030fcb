// A badge's status (its `credentialStatus`, type DefaustRefutationStatus): revoked when the holder lost a
// challenge on the claim. Two offline sources: signed challenge outcomes the verifier holds (core/social, as
// `challenge resolve --public` writes them), and the holder's chain as the verifier's store holds it — a `lost`
// challenge block names the refuted claim in its public meta. With neither, the status is unknown, not "valid".
import type { Crypto } from '../crypto/port.ts';
import type { ChainStore } from '../ports.ts';
import { decodeHeader } from '../chain/header.ts';
import type { Did } from '../identity/did.ts';
import { refutationOf, verifyOutcome } from '../social/outcome.ts';

export type BadgeStatus =
  | { state: 'revoked'; challenge: string; source: 'outcome' | 'chain' }
  /** No refutation in the holder's chain as held here (to block `seq`, dated `ts`) nor in the outcomes given. */
  | { state: 'not-revoked'; seq: number; ts: number }
  /** The holder's chain is not held here and no outcome given refutes the claim: nothing to check against. */
  | { state: 'unknown' };

/** The status of `claim` (a CID) of `holder`, from `outcomes` (checked; one that does not verify throws) and `store`. */
export function badgeStatus(crypto: Crypto, holder: Did, claim: string, outcomes: readonly Uint8Array[], store: ChainStore | null): BadgeStatus {
  for (const bytes of outcomes) {
    const outcome = verifyOutcome(crypto, bytes);
    if (refutationOf(outcome)?.claim === claim) return { state: 'revoked', challenge: outcome.challengeId, source: 'outcome' };
  }
  const head = store?.head(holder);
  if (store === null || store === undefined || head === undefined) return { state: 'unknown' };
  for (const stored of store.headersOfKind(holder, ['challenge'])) {
    const { header } = decodeHeader(crypto, stored.bytes);
    if (header.meta.step === 'lost' && header.meta.claim === claim) return { state: 'revoked', challenge: String(header.meta.challenge), source: 'chain' };
  }
  return { state: 'not-revoked', seq: head.seq, ts: head.ts };
}
