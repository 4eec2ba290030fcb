// The wallet's `trust:publish`: an authority publishes the chain that carries its trust list through the
// wallet's node, with the same verb `defaust trustlist publish` runs (app/feats/trust.ts).
import { publishTrustList } from '../feats/trust.ts';
import { NetworkOffError, type NetworkHost } from '../network/host.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

export function trustListHandlers(ctx: HandlerContext, host: NetworkHost | undefined): Pick<Handlers, 'trust:publish'> {
  return {
    'trust:publish': async () => {
      const session = ctx.session();
      const published = await publishTrustList(session, async () => {
        const net = host?.current() ?? null;
        if (net === null) throw new NetworkOffError();
        const report = await net.publish();
        return { seq: report.record.seq, replicas: report.replicas.length };
      });
      return { ...published, entries: published.entries.map(({ did, featType, authority }) => ({ did, featType, authority })) };
    },
  };
}
