// The wallet's handlers of recovery by friends (docs/recovery.md): split among custodians (by the running node's
// mail, else files to hand over), keep, list and release shares as a custodian (by mail too), and — on a home
// with no identity — start a recovery (the temporary id), fetch the shares released to it by mail and combine.
// The verbs are app/recovery/'s, shared with the CLI; combining ends as `session:recover` does (the service's
// `recovered`).
import type { SessionStatus } from '../../../src-preload/api/contract.ts';
import type { Did } from '../../core/identity/did.ts';
import { NetworkOffError, sendThrough, type NetworkHost } from '../network/host.ts';
import { listCustody, releaseShare, takeShare } from '../recovery/custody.ts';
import { fetchReleases, recoverWithShares, startRecovery } from '../recovery/rebuild.ts';
import { splitRecovery } from '../recovery/split.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type RecoveryChannel = Extract<keyof Handlers, `${'recovery' | 'custody'}:${string}`>;

export interface RecoveryContext extends Pick<HandlerContext, 'home' | 'session'> {
  network: NetworkHost | undefined;
  /** After the keys are back: the chain from the network, the session opened, the new status. */
  recovered(id: Did, chain: boolean, passphrase: string): Promise<SessionStatus>;
}

const tail = (did: string) => did.slice(-8);

export function recoveryHandlers(ctx: RecoveryContext): Pick<Handlers, RecoveryChannel> {
  return {
    'recovery:split': async ({ mnemonic, custodians, k }) => {
      const carry = (parcels: { to: Did; envelope: Uint8Array }[]) => Promise.all(parcels.map(async ({ to, envelope }) => ((await sendThrough(ctx.network, to, envelope)) ? 1 : 0)));
      const made = await splitRecovery(ctx.session(), mnemonic, custodians, k, carry);
      const shares = made.shares.map(({ custodian, index, envelope }, i) => {
        const deposited = (made.deposited[i] ?? 0) > 0;
        return { custodian, index, deposited, file: deposited ? null : { name: `share-${index}-${tail(custodian)}.recovery-share`, bytes: toBase64(envelope) } };
      });
      return { set: made.set, k: made.k, n: made.n, shares };
    },
    'recovery:start': ({ passphrase }) => ({ temporaryId: startRecovery(ctx.home, passphrase).temporaryId }),
    'recovery:fetch': ({ passphrase }) => {
      const host = ctx.network;
      if (host === undefined) throw new NetworkOffError();
      // No identity yet: the node runs with this home's node key; the temporary key fetches its own mail.
      return fetchReleases(ctx.home, passphrase, async (me, take) => (await host.startWithoutIdentity()).messaging.fetchMail(me, { take }));
    },
    'recovery:combine': async ({ passphrase, releases }) => {
      const { id, chain } = await recoverWithShares(ctx.home, passphrase, releases.map(fromBytes));
      return ctx.recovered(id, chain, passphrase);
    },
    'custody:list': () => listCustody(ctx.session()),
    'custody:import': (source) => {
      const { fresh, ...entry } = takeShare(ctx.session(), 'mail' in source ? { mail: source.mail } : { bytes: fromBytes(source.bytes) });
      return { entry, fresh };
    },
    'custody:release': async ({ owner, to, set }) => {
      const released = releaseShare(ctx.session(), owner, to, set);
      const deposited = await sendThrough(ctx.network, to, released.envelope);
      return { owner, set: released.set, to, deposited, file: { name: `release-${tail(owner)}.recovery-release`, bytes: toBase64(released.envelope) } };
    },
  };
}
