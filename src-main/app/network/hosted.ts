// The chains a home's node hosts, across restarts (issue 13 item 1): the node keeps the last owner-signed
// head record of each chain it holds — from the records its DHT admits, or looked up once a pushed chain is
// stored — and puts them again and re-announces itself as their provider on start and before they expire.
// Records are owner-signed, so any replica may republish them: no key is needed, and a record is kept only
// when this home holds the very head it names.
import type { Libp2pNetwork, Libp2pPeer } from '../../adapters/p2p/network.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import type { Did } from '../../core/identity/did.ts';
import { errorFields, type Logger } from '../../core/log.ts';
import { headKeyBytes, validateHeadRecord, type HeadRecord } from '../../core/net/head-record.ts';
import { replicaKey, type Replicator } from '../../core/net/replicator.ts';
import type { ChainStore, Clock, HeldRecordStore } from '../../core/ports.ts';

export interface HostedRepublish {
  id: Did;
  seq: number;
  /** Peers that took the record (0: none reachable, or the DHT holds a newer one). */
  recordPeers: number;
  announced: boolean;
}

export interface HostedRepair {
  id: Did;
  /** Other peers that announced a replica and answered before the repair. */
  live: number;
  /** Replicas that hold it after a repair (the push's), or null when none was needed. */
  replicas: number | null;
}

export interface HostedChainsDeps {
  crypto: Crypto;
  store: ChainStore;
  held: HeldRecordStore;
  network: Libp2pNetwork;
  clock: Clock;
  log: Logger;
}

export class HostedChains {
  private readonly deps: HostedChainsDeps;

  constructor(deps: HostedChainsDeps) {
    this.deps = deps;
  }

  /** Keeps a valid record when this home holds the head it names; true when it was kept (a higher seq than held). */
  offer(record: HeadRecord, bytes: Uint8Array): boolean {
    const { store, held, clock } = this.deps;
    if (store.header(record.id, record.seq)?.cid !== record.head.toString()) return false;
    return held.keep({ id: record.id, seq: record.seq, record: bytes }, clock.now());
  }

  /** A pushed chain was stored here: keeps the best record the DHT holds for it that names a head held here. */
  async stored(id: Did): Promise<boolean> {
    const { crypto, network } = this.deps;
    const key = headKeyBytes(id);
    let kept = false;
    for (const bytes of await network.getRecords(key)) {
      let record: HeadRecord;
      try {
        record = validateHeadRecord(crypto, key, bytes);
      } catch {
        continue; // kad-dht validated it already; a record that fails here is simply not one to keep
      }
      kept = this.offer(record, bytes) || kept;
    }
    return kept;
  }

  /**
   * Restores R replicas of every chain hosted here (Replicator.repair with the held record), one chain at a
   * time; `skip` names the chains someone else repairs (the owner's own, which NetService.repair keeps).
   * Without this only the owner's node restored replicas: a chain whose owner was away lost one copy with
   * every replica that left, until none was left (found building `npm run net -- --simulate`).
   */
  async repair(replicator: Replicator<Libp2pPeer>, skip: (id: Did) => boolean = () => false): Promise<HostedRepair[]> {
    const { store, held, log } = this.deps;
    const done: HostedRepair[] = [];
    for (const { id, seq, record } of held.all()) {
      if (skip(id) || store.head(id) === undefined) continue;
      try {
        const { live, report } = await replicator.repair(id, record);
        done.push({ id, live: live.length, replicas: report === null ? null : report.replicas.length });
      } catch (error) {
        log.warn('hosted chain repair failed', { id, seq, ...errorFields(error) });
      }
    }
    return done;
  }

  /** Puts every held record of a chain still held here again and announces this node as its provider. */
  async republish(): Promise<HostedRepublish[]> {
    const { crypto, store, held, network, log } = this.deps;
    const done: HostedRepublish[] = [];
    for (const { id, seq, record } of held.all()) {
      if (store.head(id) === undefined) continue;
      // A refused put (the DHT saw a newer record of this chain) leaves the provider announce to do.
      const recordPeers = await network.putRecord(headKeyBytes(id), record).catch((error: unknown) => {
        log.warn('held record republish refused', { id, seq, ...errorFields(error) });
        return 0;
      });
      const announced = await network.provide(replicaKey(crypto, id)).then(() => true, (error: unknown) => {
        log.warn('hosted chain announce failed', { id, ...errorFields(error) });
        return false;
      });
      done.push({ id, seq, recordPeers, announced });
    }
    return done;
  }
}
