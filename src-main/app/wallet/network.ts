// The wallet's `network:*` verbs: the node's status and peers, publish now, its limits, and fetching mail
// into the open profile. They run on the NetworkHost of the home (app/network/host.ts).
import type { Mail } from '../../adapters/p2p/messaging.ts';
import type { RoutedMail } from '../mail.ts';
import { NetworkOffError, type NetworkHost } from '../network/host.ts';
import type { NetService } from '../network/service.ts';
import { publishView } from '../network/status.ts';
import type { JobBoard } from '../jobs/progress.ts';
import type { Handlers } from './handlers.ts';

type NetworkChannel = Exclude<Extract<keyof Handlers, `network:${string}`>, 'network:recoverChain'>;

export function networkHandlers(host: NetworkHost | null, take: (mail: Mail[]) => RoutedMail[], board: JobBoard): Pick<Handlers, NetworkChannel> {
  const running = (): NetService => {
    const net = host?.current() ?? null;
    if (net === null) throw new NetworkOffError();
    return net;
  };
  return {
    'network:status': () => {
      const net = host?.current() ?? null;
      if (net !== null) return { running: true, reason: null, status: net.status(), peers: net.peers() };
      return { running: false, reason: host === null ? 'The peer network is off: DeFaust was started offline.' : host.whyNotRunning(), status: null, peers: [] };
    },
    'network:publish': async () => publishView(await running().publish()),
    'network:setLimits': (patch) => ({ limits: running().setLimits(patch) }),
    'network:fetchMail': async ({ job }) => {
      const net = running();
      let routed: RoutedMail[] = [];
      const fetched = (report?: Parameters<NetService['fetchMail']>[1]) => net.fetchMail((mail) => {
        routed = [...routed, ...take(mail)];
      }, report);
      const report = job === undefined ? await fetched() : await board.run(job, (progress) => fetched((stage, done, total) => progress.report(stage, done ?? null, total ?? null)));
      return { routed, asked: report.asked, failures: report.failures.length };
    },
  };
}
