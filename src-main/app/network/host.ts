// The wallet's side of the peer network: a NetworkHost that starts the home's node when the wallet is first
// unlocked (the peer id comes from the device's sealed local secret), hands it the identity key while the
// wallet stays unlocked and takes it back when it locks, tells it when the chain changed, and recovers a
// chain from the network on "recover from the recovery phrase". The wallet's `network:*` verbs are in
// app/wallet/network.ts; the send and fetch helpers the wallet's verbs use are here.
import type { Did } from '../../core/identity/did.ts';
import { DefaustError } from '../../core/errors.ts';
import type { Progress } from '../jobs/progress.ts';
import { recoverChainFromNetwork } from './recover.ts';
import { errorFields } from '../../core/log.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import type { Home } from '../home.ts';
import type { BlobSource } from '../media/read.ts';
import type { Mail } from '../../adapters/p2p/messaging.ts';
import type { NetworkOptions } from './options.ts';
import { NetService } from './service.ts';

export class NetworkHost {
  private readonly home: Home;
  private readonly options: NetworkOptions;
  private service: NetService | null = null;
  private starting: Promise<NetService> | null = null;
  private readonly onStart: ((net: NetService) => void) | undefined;
  private mailHandler: ((mail: Mail[]) => Promise<void> | void) | null = null;
  private failure: string | null = null;

  constructor(home: Home, options: NetworkOptions, onStart?: (net: NetService) => void) {
    this.home = home;
    this.options = options;
    this.onStart = onStart;
  }

  current(): NetService | null {
    return this.service;
  }

  /** Why there is no node yet, in words: waiting for the unlock, or the failure of its last start. */
  whyNotRunning(): string {
    return this.failure === null ? 'The peer node starts when you unlock your wallet.' : `The peer node could not start: ${this.failure}`;
  }

  /** Starts the node (once) with the device's peer key, or gives the running one the identity key. */
  async unlocked(keys: OwnerKeys): Promise<NetService> {
    const net = await this.start(keys);
    net.unlock(keys);
    if (this.mailHandler !== null) void net.fetchMail().catch((error: unknown) => this.home.logger.warn('mail fetch failed', errorFields(error)));
    return net;
  }

  /** Where mail fetched while the wallet is unlocked goes (the wallet routes it into inbox and chain). */
  setMailHandler(handler: (mail: Mail[]) => Promise<void> | void): void {
    this.mailHandler = handler;
    this.service?.onMail(handler);
  }

  /** Starts the node of a home with no identity yet (a relay, a bootstrap or replica node), with the home's node key. */
  startWithoutIdentity(): Promise<NetService> {
    return this.start(null);
  }

  private start(keys: OwnerKeys | null): Promise<NetService> {
    if (this.service !== null) return Promise.resolve(this.service);
    this.starting ??= NetService.start(this.home, this.options, keys).then((net) => {
      this.service = net;
      this.failure = null;
      if (this.mailHandler !== null) net.onMail(this.mailHandler);
      this.onStart?.(net);
      return net;
    }, (error: unknown) => {
      this.starting = null;
      this.failure = error instanceof Error ? error.message : String(error);
      throw error;
    });
    return this.starting;
  }

  locked(): void {
    this.service?.lock();
  }

  changed(): void {
    this.service?.changed();
  }

  /**
   * Fetches `id`'s chain from its replicas into this home, in the stages `progress` hears (recover.ts); false
   * when the network holds no head record for it. No peer within seconds is a NoPeersError.
   */
  async recoverChain(id: Did, keys: OwnerKeys, progress?: Progress): Promise<boolean> {
    const net = await this.unlocked(keys);
    return (await recoverChainFromNetwork(this.home, net, id, progress)).found;
  }

  /** Sends an envelope through the running node; false when there is none, it is locked or no mailbox took it (the log says why). */
  async send(to: Did, envelope: Uint8Array): Promise<boolean> {
    const net = this.service;
    if (net === null || !net.unlocked) return false;
    return net.send(to, envelope).then((r) => r.deposited > 0, (error: unknown) => {
      this.home.logger.warn('send failed', { to, ...errorFields(error) });
      return false;
    });
  }

  async stop(): Promise<void> {
    // A start that failed has nothing to stop; its failure went to the caller and is kept in `failure`.
    const net = this.service ?? (await this.starting?.catch(() => null)) ?? null;
    this.service = null;
    await net?.stop();
  }
}

export class NetworkOffError extends DefaustError {
  override name = 'NetworkOffError';
  constructor() {
    super('network-off', 'The peer network is not running here. It starts when you unlock your wallet (unless DeFaust was started offline).');
  }
}

/** Sends an envelope through `host`'s node (NetworkHost.send); false without a host. */
export async function sendThrough(host: NetworkHost | undefined, to: Did, envelope: Uint8Array): Promise<boolean> {
  return host === undefined ? false : host.send(to, envelope);
}

/** Fetches `did`'s chain from its replicas through the running node (throws NetworkOffError without one). */
export async function fetchThrough(host: NetworkHost, did: Did): Promise<void> {
  const net = host.current();
  if (net === null) throw new NetworkOffError();
  await net.recover(did);
}

/** Media blobs from the replicas through the running node (throws NetworkOffError without one); none offline. */
export function blobsThrough(host: NetworkHost | undefined): BlobSource | undefined {
  if (host === undefined) return undefined;
  return async (owner, cids) => {
    const net = host.current();
    if (net === null) throw new NetworkOffError();
    return net.fetchBlobs(owner, cids);
  };
}
