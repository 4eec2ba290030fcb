// The trust verbs that reach past this chain, written once for every face: `trust sync` fetches the chains of
// the authorities this holder trusts (their public trust blocks are the community lists) and tells, for each,
// whether it came and which witnesses it now lists; `trustlist publish` publishes an authority's own list.
import { DefaustError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import type { TrustEntry } from '../../core/feats/feats.ts';
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

/** An authority's public trust list has no entry yet: there is nothing to publish. */
export class EmptyTrustListError extends DefaustError {
  override name = 'EmptyTrustListError';
  constructor() {
    super('trust/empty', 'Your public trust list is empty: trust a witness for a kind of feat and put it on your public list first, then publish it.');
  }
}

/** What publishing a trust list did: the list (as its public trust blocks say it), the head published, how many replicas hold it. */
export interface PublishedTrustList {
  /** The list's id to share: the authority's did (others adopt it as an authority for a feat type). */
  id: Did;
  seq: number;
  replicas: number;
  entries: TrustEntry[];
}

/**
 * Publishes this authority's public trust list (its trust blocks in the clear) by publishing its chain through
 * `publish` (the wallet's node, or the CLI's node for one command): the entries published are exactly
 * `trustList()`'s listed ones; the sealed ones stay sealed.
 */
export async function publishTrustList(session: Session, publish: () => Promise<{ seq: number; replicas: number }>): Promise<PublishedTrustList> {
  const entries = session.profile.feats.trustList().filter((t) => t.listed);
  if (entries.length === 0) throw new EmptyTrustListError();
  const { seq, replicas } = await publish();
  return { id: session.profile.id, seq, replicas, entries };
}
