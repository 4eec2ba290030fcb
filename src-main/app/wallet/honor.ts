// The wallet's honor channels over the app/honor verbs: a did's honor in this observer's view (gathered from
// its replicas through the running node when asked), the review a "Report this witness" would sign (shown
// first), the review signed and spread, and evidence files taken in.
import type { Did } from '../../core/identity/did.ts';
import { draftReview, honorView, reportWitness, takeEvidence, type HonorNetwork } from '../honor/honor.ts';
import { NetworkOffError, type NetworkHost } from '../network/host.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type HonorChannel = Extract<keyof Handlers, `honor:${string}`>;

/** The running node as the honor verbs' network: nothing spread (0) and nothing gathered without one. */
export function hostHonorNetwork(host: NetworkHost | undefined): HonorNetwork {
  return {
    spread: async (accused, bytes) => (await host?.current()?.spreadEvidence(accused, bytes)) ?? 0,
    gather: (did) => {
      const net = host?.current();
      if (net === null || net === undefined) return Promise.reject(new NetworkOffError());
      return net.gatherEvidence(did);
    },
  };
}

export function honorHandlers(ctx: HandlerContext, host: NetworkHost | undefined): Pick<Handlers, HonorChannel> {
  const network = hostHonorNetwork(host);
  return {
    'honor:of': async ({ did, gather }) => {
      const { gathered: _gathered, ...view } = await honorView(ctx.session(), did as Did, gather === true ? network : null);
      return view;
    },
    'honor:draftReview': ({ claim, witness, reason }) => ({ review: draftReview(ctx.session(), { claim, witness: witness as Did, reason }) }),
    'honor:report': async ({ claim, witness, reason, ts }) => {
      const { review, bytes, spread } = await reportWitness(ctx.session(), { claim, witness: witness as Did, reason, ts }, network);
      return { review, spread: spread ?? 0, file: { name: `review-${witness.slice(-12)}.evidence`, bytes: toBase64(bytes) } };
    },
    'honor:import': ({ bytes }) => takeEvidence(ctx.home, fromBytes(bytes)),
  };
}
