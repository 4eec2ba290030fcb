// The peer network as the feats verbs use it: sealed envelopes carried to their addressees' mailboxes, and
// chains fetched from their replicas. Each face passes one in: the CLI starts an ephemeral node only when a
// verb calls it (one node for the whole batch); the wallet uses the node it runs (`hostNetwork`).
import type { Did } from '../../core/identity/did.ts';
import { fetchThrough, NetworkOffError, sendThrough, type NetworkHost } from '../network/host.ts';

/** A sealed envelope and whom it is for. */
export interface Parcel {
  to: Did;
  envelope: Uint8Array;
}

export interface FeatsNetwork {
  /** Carries each envelope to its addressee's mailboxes: how many mailboxes took each, in order (0: none did). */
  carry(parcels: readonly Parcel[]): Promise<number[]>;
  /** Fetches each chain from its replicas into this home: null for one that came, else what went wrong, in words. */
  fetchChains(dids: readonly Did[]): Promise<(string | null)[]>;
}

/**
 * The wallet's running node as the feats verbs' network. Without a node (or while it lacks the identity key)
 * nothing is carried (0: the face hands the envelope over as a file); fetching needs the node.
 */
export function hostNetwork(host: NetworkHost | undefined): FeatsNetwork {
  return {
    // The wallet's node tells whether a mailbox took the envelope (1), not how many did; its log says why not.
    carry: (parcels) => Promise.all(parcels.map(async ({ to, envelope }) => ((await sendThrough(host, to, envelope)) ? 1 : 0))),
    fetchChains: (dids) => {
      if (host === undefined) return Promise.reject(new NetworkOffError());
      return Promise.all(dids.map((did) => fetchThrough(host, did).then(() => null, (error: Error) => error.message)));
    },
  };
}
