// The trust verbs that reach past this chain, written once for every face: `trust sync` fetches the chains of
// the authorities this holder trusts (their public trust blocks are the community lists) and tells, for each,
// whether it came and which witnesses it now lists.
import type { Did } from '../../core/identity/did.ts';
import type { Session } from '../session.ts';
import type { FeatsNetwork } from './network.ts';

export interface SyncedAuthority {
  authority: Did;
  /** Null when the authority's chain came; else what went wrong, in words. */
  problem: string | null;
  /** The witnesses its list adds for the feat types it is trusted for. */
  witnesses: { did: Did; featType: string }[];
}

/** Fetches every trusted authority's chain through `network` (none is asked when no authority is trusted). */
export async function syncTrust(session: Session, network: FeatsNetwork): Promise<SyncedAuthority[]> {
  const feats = session.profile.feats;
  const authorities = feats.authorities().map(({ did }) => did);
  if (authorities.length === 0) return [];
  const problems = await network.fetchChains(authorities);
  const listed = feats.communityList();
  return authorities.map((authority, i) => ({
    authority,
    problem: problems[i] ?? null,
    witnesses: listed.filter((e) => e.via === authority).map(({ did, featType }) => ({ did, featType })),
  }));
}
