// Replication on a DeFaust node: the core Replicator (publish, lookupHead, recoverFromNetwork) wired to the
// node's libp2p network port. See core/net/replicator.ts for what each step checks.
import { Replicator } from '../../core/net/replicator.ts';
import type { Clock } from '../../core/ports.ts';
import type { Libp2pPeer } from './network.ts';
import type { DefaustNode } from './node.ts';

export type { PublishReport, RecoveryReport } from '../../core/net/replicator.ts';

export interface ReplicationOptions {
  clock: Clock;
  /** Replicas to keep (R); default 3. */
  replicas?: number;
}

/**
 * The replication service of one node: published chains are read from the node's store, recovered chains
 * land in it.
 */
export function createReplication(node: DefaustNode, options: ReplicationOptions): Replicator<Libp2pPeer> {
  return new Replicator({
    crypto: node.crypto, store: node.store, clock: options.clock, replicas: options.replicas, network: node.network, signatures: node.signatures,
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}
