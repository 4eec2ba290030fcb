// `/defaust/sync/1.0.0` and `/defaust/blob/1.0.0` on libp2p streams: a SyncChannel over one stream (varint-framed DAG-CBOR messages,
// a frame size cap, an idle timeout per message and a deadline per session) and the protocol handler that
// serves pulls and takes pushes under the replica's quota and concurrency limits. The protocol logic itself
// is in core/net/sync-session.ts.
import type { Libp2p } from 'libp2p';
import type { Crypto } from '../../core/crypto/port.ts';
import type { Did } from '../../core/identity/did.ts';
import { SyncError } from '../../core/net/errors.ts';
import { encodeFrame, FrameReader, type Chunk } from '../../core/net/frames.ts';
import { decodeSyncMessage, encodeSyncMessage, errorMessage, SYNC_PROTOCOL, type SyncMessage } from '../../core/net/sync-messages.ts';
import { expectMessage, servePull, servePush, type SyncChannel } from '../../core/net/sync-session.ts';
import { BLOB_PROTOCOL, serveBlobs } from '../../core/net/blob-session.ts';
import type { ChainStore } from '../../core/ports.ts';

/** A libp2p stream, as `dialProtocol` returns it and a protocol handler receives it. */
export type Stream = Awaited<ReturnType<Libp2p['dialProtocol']>>;

/** Counts the bytes a node's protocol streams carry, each way (see traffic.ts). */
export interface TrafficMeter {
  received(bytes: number): void;
  sent(bytes: number): void;
}

export interface SyncLimits {
  /** Largest frame accepted (one block with its bodies, or one media chunk). */
  maxFrameBytes: number;
  /** Longest wait for the next message before the session is aborted. */
  idleTimeoutMs: number;
  /** Longest a whole session may take. */
  sessionTimeoutMs: number;
}

/** A SyncChannel over one libp2p stream. `abort` ends it at once (and fails any pending receive). */
export class StreamChannel implements SyncChannel {
  private readonly stream: Stream;
  private readonly reader: FrameReader;
  private readonly idleTimeoutMs: number;
  private readonly meter: TrafficMeter | undefined;
  private failure: SyncError | null = null;
  private readonly aborted: Promise<never>;
  private abortWith!: (error: SyncError) => void;

  constructor(stream: Stream, limits: Pick<SyncLimits, 'maxFrameBytes' | 'idleTimeoutMs'>, meter?: TrafficMeter) {
    this.stream = stream;
    this.meter = meter;
    this.idleTimeoutMs = limits.idleTimeoutMs;
    this.reader = new FrameReader((stream as AsyncIterable<Chunk>)[Symbol.asyncIterator](), limits.maxFrameBytes);
    this.aborted = new Promise<never>((_, reject) => {
      this.abortWith = reject;
    });
    this.aborted.catch(() => undefined);
  }

  async send(message: SyncMessage): Promise<void> {
    if (this.failure !== null) throw this.failure;
    try {
      const frame = encodeFrame(encodeSyncMessage(message));
      this.meter?.sent(frame.length);
      if (!this.stream.send(frame)) {
        await Promise.race([this.stream.onDrain({ signal: AbortSignal.timeout(this.idleTimeoutMs) }), this.aborted]);
      }
    } catch (error) {
      throw this.failure ?? (error instanceof SyncError ? error : new SyncError('closed', `the stream closed while sending: ${(error as Error).message}`));
    }
  }

  async receive(): Promise<SyncMessage> {
    if (this.failure !== null) throw this.failure;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SyncError('timeout', `no message for ${this.idleTimeoutMs} ms`)), this.idleTimeoutMs);
    });
    try {
      const payload = await Promise.race([this.reader.next(), idle, this.aborted]);
      if (payload === null) throw new SyncError('closed', 'the peer closed the stream');
      this.meter?.received(payload.length);
      return decodeSyncMessage(payload);
    } catch (error) {
      const failure = error instanceof SyncError ? error : new SyncError('closed', `the stream failed: ${(error as Error).message}`);
      if (failure.reason === 'timeout') this.abort(failure);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the session at once: pending and later calls fail with `error`. */
  abort(error: SyncError): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.abortWith(error);
    this.stream.abort(error);
  }

  /** Closes this side for writing, waiting at most the idle timeout for queued data to leave. */
  async close(): Promise<void> {
    if (this.failure !== null) return;
    await this.stream.close({ signal: AbortSignal.timeout(this.idleTimeoutMs) }).catch((error: Error) => this.abort(new SyncError('closed', error.message)));
  }
}

/** Runs `session` over a channel with a deadline; the channel is closed afterwards, or aborted on failure. */
export async function runSession<T>(stream: Stream, limits: SyncLimits, session: (channel: StreamChannel) => Promise<T>, meter?: TrafficMeter): Promise<T> {
  const channel = new StreamChannel(stream, limits, meter);
  const deadline = setTimeout(() => channel.abort(new SyncError('timeout', `the session took longer than ${limits.sessionTimeoutMs} ms`)), limits.sessionTimeoutMs);
  try {
    const result = await session(channel);
    await channel.close();
    return result;
  } catch (error) {
    const failure = error instanceof SyncError ? error : new SyncError('internal', (error as Error).message);
    channel.abort(failure);
    throw failure;
  } finally {
    clearTimeout(deadline);
  }
}

export interface SyncServiceOptions {
  crypto: Crypto;
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
}

export interface SyncSessionEvent {
  kind: 'pull' | 'push' | 'refused';
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
  const policy = {
    crypto,
    store,
    quotaFor: (id: Did) => (options.ownIdentities().includes(id) ? Number.POSITIVE_INFINITY : options.quotaFor?.(id) ?? limits.quotaBytes),
    afterStore: (id: Did) => options.announce(id),
  };
  await libp2p.handle(SYNC_PROTOCOL, async (stream, connection) => {
    const peer = connection.remotePeer.toString();
    const overBudget = options.meter?.overBudget() ?? false;
    const mine = perPeer.get(peer) ?? 0;
    if (sessions >= limits.maxConcurrentSessions || mine >= limits.sessionsPerPeer || overBudget) {
      const why = overBudget ? 'this peer has spent its bandwidth for now; try later'
        : mine >= limits.sessionsPerPeer ? 'you already have as many sync sessions open here as one peer may; try later'
        : 'this peer serves as many sync sessions as it can; try later';
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
        const first = await expectMessage(channel, 'pull', 'push').catch(async (error: SyncError) => {
          if (!error.remote) await channel.send(errorMessage(error)).catch(() => undefined);
          throw error;
        });
        event = { kind: first.t, peer, id: first.id, ok: false };
        if (first.t === 'pull') {
          await servePull(channel, store, first.id, first.from);
          event = { ...event, ok: true };
        } else {
          const result = await servePush(channel, first, policy);
          event = { ...event, ok: true, bytes: result.bytes };
        }
      }, options.meter);
    } catch (error) {
      event = { ...event, ok: false, code: (error as SyncError).code };
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
    }, options.meter).catch(() => undefined);
  }, { maxInboundStreams: options.limits.maxInboundStreams, maxOutboundStreams: options.limits.maxOutboundStreams });
}
