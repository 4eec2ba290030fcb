// What the loopback network tests share: options for real libp2p nodes on 127.0.0.1 (no mDNS, NAT, WebSockets,
// WebRTC or relay; short queries; a change published soon after it is made; no background repair or
// republish during a test), the value of a wallet Result, and a poll with a deadline.
import type { Result } from '../../src-preload/api/contract.ts';
import type { NetworkOptions } from '../../src-main/app/network/options.ts';

export const LOOPBACK: NetworkOptions = {
  listen: ['/ip4/127.0.0.1/tcp/0'],
  mdns: false,
  nat: false,
  transports: { webSockets: false, webRTC: false, relay: false },
  privateAddresses: true,
  limits: { queryTimeoutMs: 10_000, inboundConnectionsPerHostPerSecond: 1000, maxIncomingPendingConnections: 100 },
  publishDelayMs: 100,
  repairMs: 3_600_000,
  republishMs: 3_600_000,
};

export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Polls `probe` every 100 ms until it gives a value; fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await probe();
    if (seen !== undefined) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
