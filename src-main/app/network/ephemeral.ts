// A node that joins the network for one task (a CLI command) with a throwaway peer id and always leaves:
// withEphemeralNode, failing with NoPeersError (errors.ts) when no peer answers within JOIN_TIMEOUT_MS.
import type { Home } from '../home.ts';
import { NoPeersError } from './errors.ts';
import type { NetworkOptions } from './options.ts';
import { NetService } from './service.ts';

/** Longest a node that joins for one task waits for a first peer before it gives up. */
const JOIN_TIMEOUT_MS = 10_000;

/**
 * Joins the network with a throwaway peer id for one task (a CLI command), and always leaves it. Fails fast
 * with NoPeersError when no peer answers in JOIN_TIMEOUT_MS (a lone node's queries would each run to their timeout).
 */
export async function withEphemeralNode<T>(home: Home, options: NetworkOptions, task: (net: NetService) => Promise<T>): Promise<T> {
  const net = await NetService.start(home, { ephemeral: true, mdns: false, nat: false, transports: { webSockets: false, webRTC: false, relay: false }, listen: ['/ip4/127.0.0.1/tcp/0'], ...options });
  try {
    if (await net.waitForPeers(1, JOIN_TIMEOUT_MS) === 0) throw new NoPeersError(options.bootstrap ?? [], JOIN_TIMEOUT_MS);
    return await task(net);
  } finally {
    await net.stop();
  }
}
