// The holder's feat claim, written once for every face: the title trimmed (an empty one refused) before the
// core records the `feat` block with its criteria, evidence and the sign-off it needs.
import type { BlockSummary } from '../../core/chain/writer.ts';
import { FeatError, type ClaimRecord, type FeatClaim } from '../../core/feats/claims.ts';
import type { Session } from '../session.ts';

/** Records a feat this holder claims; the title is trimmed, as every face shows it. */
export function claimFeat(session: Session, input: Omit<FeatClaim, 'holder' | 'ts'>): { claim: ClaimRecord; block: BlockSummary } {
  const title = input.title.trim();
  if (title === '') throw new FeatError('invalid', 'A feat needs a title.');
  return session.profile.feats.claim({ ...input, title });
}
