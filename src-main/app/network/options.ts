// How a home's peer node is set up (NetworkOptions: transports, discovery, replicas, timer periods) and the
// two rules that pick defaults from the environment: bootstrap peers from DEFAUST_BOOTSTRAP, and whether a
// setup is private (one machine, a LAN) so DHT answers keep private addresses.
import type { DefaustNodeLimits } from '../../adapters/p2p/node.ts';

export interface NetworkOptions {
  /** A node for one task (a CLI command): a throwaway peer id, its libp2p state in memory, no hosted records. */
  ephemeral?: boolean;
  listen?: string[];
  /** The private network to run in (a name from `network list`; app/network/private.ts); the public one when absent. */
  network?: string;
  bootstrap?: string[];
  mdns?: boolean;
  /** Keep private and loopback addresses in DHT answers (a LAN, one machine). */
  privateAddresses?: boolean;
  transports?: { webSockets?: boolean; webRTC?: boolean; relay?: boolean };
  iceServers?: string[];
  nat?: boolean;
  relayServer?: boolean;
  /** Replicas to keep (R). */
  replicas?: number;
  /** Limits beyond the saved ones (tests, the harness). */
  limits?: Partial<DefaustNodeLimits>;
  /** How often the head record is put again (default 6 h; kad-dht keeps records 48 h). */
  republishMs?: number;
  /** How often the replica count is checked and repaired (default 10 min). */
  repairMs?: number;
  /** How often usage is sampled (default 10 s). */
  sampleMs?: number;
  /** How often mail is fetched while the wallet is unlocked (default 60 s). */
  mailMs?: number;
  /** Wait after a change before publishing it (default 2 s; changes in a burst go out once). */
  publishDelayMs?: number;
}

/** Bootstrap peers from DEFAUST_BOOTSTRAP (multiaddrs separated by commas or spaces); none by default. */
export function bootstrapFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.DEFAUST_BOOTSTRAP ?? '').split(/[\s,]+/u).filter((addr) => addr.length > 0);
}

/** Whether every address is on this machine or a private network (then DHT answers keep such addresses). */
export function isPrivateSetup(addrs: readonly string[]): boolean {
  return addrs.length > 0 && addrs.every((a) => /^\/ip4\/(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/u.test(a) || a.startsWith('/ip6/::1/'));
}
