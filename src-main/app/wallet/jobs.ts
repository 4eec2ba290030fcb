// The wallet's long jobs, each reporting its stages on the JobBoard under the id the screen chose
// (`jobs:status`, `jobs:cancel`): importing an archive file (app/archive/import.ts, what `defaust import`
// runs), on the unlock screen (the passphrase opens the keys, the wallet opens after) or unlocked (Settings);
// how the chain here compares with the network's head record (`archive:freshness`); and fetching the newer
// chain from the network (app/network/recover.ts, what `defaust recover --bootstrap` runs).
import { importArchiveFile, type NetworkHead } from '../archive/import.ts';
import { OlderArchiveError } from '../../core/archive/archive.ts';
import type { JobBoard } from '../jobs/progress.ts';
import { NetworkOffError, type NetworkHost } from '../network/host.ts';
import { recoverChainFromNetwork } from '../network/recover.ts';
import type { NetService } from '../network/service.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import type { Did } from '../../core/identity/did.ts';
import type { HandlerContext, Handlers } from './handlers.ts';
import { fromBytes } from './bytes.ts';

/** The channels of this table (the other tables leave them out). */
export type JobsChannel = 'archive:import' | 'archive:freshness' | 'jobs:status' | 'jobs:cancel' | 'network:recoverChain';

/** Longest an import or a freshness check waits for a first peer before it says the network was not reached. */
export const HEAD_PEER_WAIT_MS = 5_000;

export interface JobsContext extends HandlerContext {
  board: JobBoard;
  network: NetworkHost | undefined;
  /** The open session's keys, or null while locked. */
  unlockedKeys(): OwnerKeys | null;
  /** Opens the wallet with the passphrase (the node gets the key): after an import on the unlock screen. */
  open(passphrase: string): Promise<void>;
}

/** The network's head record for `id` through `net`: not reached when no peer answers within HEAD_PEER_WAIT_MS. */
export function networkHeadThrough(net: NetService | null, id: Did): NetworkHead {
  return async () => {
    if (net === null || (await net.waitForPeers(1, HEAD_PEER_WAIT_MS)) === 0) return { reached: false, length: null };
    const record = await net.lookupHead(id);
    return { reached: true, length: record === null ? null : record.seq + 1 };
  };
}

export function jobsHandlers(ctx: JobsContext): Pick<Handlers, JobsChannel> {
  const { home, board } = ctx;
  return {
    'jobs:status': ({ job }) => ({ job: board.view(job) }),
    'jobs:cancel': ({ job }) => ({ cancelled: board.cancel(job) }),

    'archive:import': async ({ bytes, job, passphrase, acceptOlder, withoutMedia }) => {
      const open = ctx.unlockedKeys();
      if (open === null && passphrase === undefined) ctx.profile(); // locked, and no passphrase: LockedError
      const keys = open ?? home.unlock(passphrase!);
      const id = home.id();
      // Locked: the node starts with the keys (as at an unlock) to ask for the network's head; a node that cannot start leaves the import offline.
      const net = open !== null ? (ctx.network?.current() ?? null) : ((await ctx.network?.unlocked(keys).catch(() => null)) ?? null);
      try {
        const outcome = await board.run(job, (progress) => importArchiveFile(home, keys, fromBytes(bytes), {
          ...(net === null ? {} : { networkHead: networkHeadThrough(net, id) }),
          acceptOlder, withoutMedia,
        }, progress));
        if (open === null) await ctx.open(passphrase!);
        else ctx.profile();
        return { ...outcome, older: null };
      } catch (error) {
        if (open === null) ctx.network?.locked();
        // Older than a head already known: not a failure to show, a choice to offer (fetch the newer chain, or take this one).
        if (error instanceof OlderArchiveError) {
          return { added: 0, length: error.archiveLength, network: null, older: { archive: error.archiveLength, known: error.knownLength, source: error.source } };
        }
        throw error;
      }
    },

    'archive:freshness': async () => {
      const local = ctx.profile().length;
      const network = await networkHeadThrough(ctx.network?.current() ?? null, home.id())();
      return { local, network, older: network.length !== null && local < network.length };
    },

    'network:recoverChain': async ({ job }) => {
      ctx.profile();
      const net = ctx.network?.current() ?? null;
      if (net === null) throw new NetworkOffError();
      const outcome = await board.run(job, (progress) => recoverChainFromNetwork(home, net, home.id(), progress));
      ctx.profile();
      return outcome;
    },
  };
}
