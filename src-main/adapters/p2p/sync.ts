// `/defaust/sync/1.0.0` and `/defaust/blob/1.0.0` on libp2p streams: the sync codec for framed-stream.ts, and
// the protocol handlers that serve pulls, take pushes under the replica's quota and concurrency limits, and
// serve media chunks. The protocol logic itself is in core/net/sync-session.ts and blob-session.ts.
import type { Libp2p } from 'libp2p';
import { runFramed, type FrameCodec, type FramedLimits, type Stream, type TrafficMeter } from './framed-stream.ts';
import type { Crypto, SignatureBatchVerifier } from '../../core/crypto/port.ts';
import type { Did } from '../../core/identity/did.ts';
import type { EquivocationError } from '../../core/chain/equivocation.ts';
import { SyncError } from '../../core/net/errors.ts';
import { decodeSyncMessage, encodeSyncMessage, errorMessage, SYNC_PROTOCOL, type SyncMessage } from '../../core/net/sync-messages.ts';
import { expectMessage, serveClaim, servePull, servePush, type SyncChannel } from '../../core/net/sync-session.ts';
import { LeaseTable } from '../../core/net/writer-lease.ts';
import { BLOB_PROTOCOL, serveBlobs } from '../../core/net/blob-session.ts';
import type { ChainStore } from '../../core/ports.ts';
import { errorFields, type Logger } from '../../core/log.ts';

export type { Stream, TrafficMeter } from './framed-stream.ts';

export type SyncLimits = FramedLimits;

/** The sync protocol's frames: its messages, its errors (a foreign failure becomes `reason`). */
export const SYNC_CODEC: FrameCodec<SyncMessage, SyncError> = {
  encode: encodeSyncMessage,
  decode: decodeSyncMessage,
  failure: (error, reason, message) => (error instanceof SyncError ? error : new SyncError(reason, message)),
};

/** Runs a sync (or blob) session over a stream with a deadline; closed afterwards, or aborted on failure. */
export function runSession<T>(stream: Stream, limits: SyncLimits, session: (channel: SyncChannel) => Promise<T>, meter?: TrafficMeter): Promise<T> {
  return runFramed(stream, SYNC_CODEC, limits, session, meter);
}

export interface SyncServiceOptions {
  crypto: Crypto;
  /** Checks the signatures of each batch a push brings (a worker pool); on the event loop when absent. */
  signatures?: SignatureBatchVerifier;
  store: ChainStore;
  limits: SyncLimits & {
    /** Bytes kept per foreign identity. */
    quotaBytes: number;
    /** Sessions served at once (each push buffers up to the quota in memory until it is verified). */
    maxConcurrentSessions: number;
    /** Sessions served at once to one peer, so one peer cannot take every slot. */
    sessionsPerPeer: number;
    maxInboundStreams: number;
    maxOutboundStreams: number;
  };
  /** Identities this node owns: no quota for them. */
  ownIdentities: () => readonly Did[];
  /** Bytes a foreign chain may take here; default `limits.quotaBytes`. Read at each push, so limits can change. */
  quotaFor?: (id: Did) => number;
  /** Announces this node as a replica of `id`; resolves false when it could not. */
  announce: (id: Did) => Promise<boolean>;
  /** Told about each session served, for logs and usage figures. */
  onSession?: (event: SyncSessionEvent) => void;
  /** Counts the bytes of every session; `overBudget` refuses new sessions while the bandwidth cap is spent. */
  meter?: TrafficMeter & { overBudget(): boolean };
  /** Where a failed session is told (a refused push, a peer that went away), with the peer and the code. */
  log?: Logger;
  /** Told of a fork a pushed chain revealed, with its proof (never of one of this node's own identities: its devices settle that by lease and rebase). */
  onEquivocation?: (error: EquivocationError) => void;
  /** The clock writer leases are granted by (default Date.now). */
  now?: () => number;
}

export interface SyncSessionEvent {
  kind: 'pull' | 'push' | 'claim' | 'refused';
  peer: string;
  id: Did | null;
  ok: boolean;
  code?: string;
  bytes?: number;
}

/** Registers the sync protocol handler on a node. */
export async function handleSync(libp2p: Libp2p, options: SyncServiceOptions): Promise<void> {
  const { crypto, store, limits } = options;
  let sessions = 0;
  const perPeer = new Map<string, number>();
  const onEquivocation = options.onEquivocation;
  const policy = {
    crypto,
    store,
    signatures: options.signatures,
    leases: new LeaseTable(),
    now: options.now ?? Date.now,
    quotaFor: (id: Did) => (options.ownIdentities().includes(id) ? Number.POSITIVE_INFINITY : options.quotaFor?.(id) ?? limits.quotaBytes),
    afterStore: (id: Did) => options.announce(id),
    ...(onEquivocation === undefined ? {} : {
      onEquivocation: (error: EquivocationError) => {
        if (!options.ownIdentities().includes(error.proof.id)) onEquivocation(error);
      },
    }),
  };
  await libp2p.handle(SYNC_PROTOCOL, async (stream, connection) => {
    const peer = connection.remotePeer.toString();
    const overBudget = options.meter?.overBudget() ?? false;
    const mine = perPeer.get(peer) ?? 0;
    if (sessions >= limits.maxConcurrentSessions || mine >= limits.sessionsPerPeer || overBudget) {
      const why = overBudget ? 'this peer has spent its bandwidth for now; try later'
        : mine >= limits.sessionsPerPeer ? 'you already have as many sync sessions open here as one peer may; try later'
        : 'this peer serves as many sync sessions as it can; try later';
      // The refusal is a courtesy: a peer that hung up before reading it is refused all the same (onSession says so).
      await runSession(stream, limits, async (channel) => {
        await channel.send(errorMessage(new SyncError('busy', why)));
      }).catch(() => undefined);
      options.onSession?.({ kind: 'refused', peer, id: null, ok: false, code: 'sync/busy' });
      return;
    }
    sessions++;
    perPeer.set(peer, mine + 1);
    let event: SyncSessionEvent = { kind: 'refused', peer, id: null, ok: false };
    try {
      await runSession(stream, limits, async (channel) => {
        const first = await expectMessage(channel, 'pull', 'push', 'claim').catch(async (error: SyncError) => {
          // Tells the peer why, if it still listens; the session fails with `error` either way.
          if (!error.remote) await channel.send(errorMessage(error)).catch(() => undefined);
          throw error;
        });
        event = { kind: first.t, peer, id: first.id, ok: false };
        if (first.t === 'pull') {
          await servePull(channel, store, first.id, first.from);
          event = { ...event, ok: true };
        } else if (first.t === 'claim') {
          await serveClaim(channel, first, policy);
          event = { ...event, ok: true };
        } else {
          const result = await servePush(channel, first, policy);
          event = { ...event, ok: true, bytes: result.bytes };
        }
      }, options.meter);
    } catch (error) {
      event = { ...event, ok: false, code: (error as SyncError).code };
      options.log?.debug('sync session failed', { peer, kind: event.kind, id: event.id, ...errorFields(error) });
    } finally {
      sessions--;
      const left = (perPeer.get(peer) ?? 1) - 1;
      if (left > 0) perPeer.set(peer, left);
      else perPeer.delete(peer);
      options.onSession?.(event);
    }
  }, { maxInboundStreams: limits.maxInboundStreams, maxOutboundStreams: limits.maxOutboundStreams });
}

export interface BlobServiceOptions {
  store: ChainStore;
  limits: SyncLimits & { maxInboundStreams: number; maxOutboundStreams: number };
  meter?: TrafficMeter & { overBudget(): boolean };
  /** Where a failed blob session is told (the requester sees its own side of it). */
  log?: Logger;
}

/** Registers `/defaust/blob/1.0.0`: one request per stream, refused as busy while the bandwidth cap is spent. */
export async function handleBlob(libp2p: Libp2p, options: BlobServiceOptions): Promise<void> {
  await libp2p.handle(BLOB_PROTOCOL, async (stream) => {
    await runSession(stream, options.limits, async (channel) => {
      if (options.meter?.overBudget()) {
        await channel.send(errorMessage(new SyncError('busy', 'this peer has spent its bandwidth for now; try later')));
        return;
      }
      await serveBlobs(channel, options.store);
    }, options.meter).catch((error: unknown) => options.log?.debug('blob session failed', errorFields(error)));
  }, { maxInboundStreams: options.limits.maxInboundStreams, maxOutboundStreams: options.limits.maxOutboundStreams });
}
