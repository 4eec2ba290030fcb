// Stable always-on nodes as relays (issue 13 item 2): a node started as a circuit relay v2 server (what
// `serve --relay` runs) lets two nodes that cannot dial each other directly — neither listens on any direct
// address — meet through it on loopback; the one that listens on /p2p-circuit took a reservation at the relay
// it learnt of through its bootstrap list.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Home } from '../../src-main/app/home.ts';
import type { NetworkOptions } from '../../src-main/app/network/options.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { tempDir } from '../helpers.ts';

const BASE: NetworkOptions = {
  mdns: false,
  nat: false,
  transports: { webSockets: false, webRTC: false, relay: true },
  privateAddresses: true,
  limits: { inboundConnectionsPerHostPerSecond: 1000 },
};

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = probe();
    if (seen !== undefined) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a relay node', () => {
  const dir = tempDir('defaust-relay-');
  const nets: NetService[] = [];
  const homes: Home[] = [];
  const start = async (name: string, options: NetworkOptions): Promise<NetService> => {
    const home = new Home(join(dir, name));
    homes.push(home);
    const net = await NetService.start(home, { ...BASE, ...options });
    nets.push(net);
    return net;
  };

  afterAll(async () => {
    await Promise.all(nets.map((n) => n.stop()));
    for (const home of homes) home.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('lets two nodes without a direct address meet through it', async () => {
    const relay = await start('relay', { listen: ['/ip4/127.0.0.1/tcp/0'], relayServer: true });
    const bootstrap = relay.addrs();
    const hidden = await start('hidden', { listen: ['/p2p-circuit'], bootstrap });
    const caller = await start('caller', { listen: ['/p2p-circuit'], bootstrap });

    // The hidden node learnt of the relay (identify says it speaks the hop protocol) and reserved a slot there.
    const circuit = await until('a relayed address', () => {
      const addrs = hidden.node.libp2p.getMultiaddrs().filter((ma) => ma.toString().includes(`/p2p/${relay.peerId}/p2p-circuit`));
      return addrs.length > 0 ? addrs : undefined;
    });
    expect(hidden.addrs().every((a) => a.includes('/p2p-circuit'))).toBe(true);
    expect(caller.addrs().every((a) => a.includes('/p2p-circuit'))).toBe(true);

    const connection = await caller.node.libp2p.dial(circuit);
    expect(connection.remotePeer.toString()).toBe(hidden.peerId);
    expect(connection.remoteAddr.toString()).toContain('/p2p-circuit');
    // A relayed connection is limited (duration and bytes) by the relay's limits; ping runs on it.
    expect(connection.limits).toBeDefined();
    const ping = (caller.node.libp2p.services as unknown as { ping: { ping(peer: unknown): Promise<number> } }).ping;
    expect(await ping.ping(circuit)).toBeGreaterThanOrEqual(0);
  }, 90_000);
});
