// One framed channel over a libp2p stream, shared by the DeFaust protocols (sync, blob, msg): varint-framed
// messages under a frame cap, an idle timeout per message, a deadline per session, bytes counted by a meter,
// and every failure turned into the protocol's own error type by its codec.
import type { Libp2p } from 'libp2p';
import { pushable, type Pushable } from 'it-pushable';
import { concatBytes } from '../../core/bytes.ts';
import { encodeFrame, FrameReader } from '../../core/net/frames.ts';

/** A libp2p stream, as `dialProtocol` returns it and a protocol handler receives it. */
export type Stream = Awaited<ReturnType<Libp2p['dialProtocol']>>;

/** Counts the bytes a node's protocol streams carry, each way (see traffic.ts). */
export interface TrafficMeter {
  received(bytes: number): void;
  sent(bytes: number): void;
}

export type TransportReason = 'closed' | 'timeout' | 'internal';

/** How one protocol encodes its messages and names its failures. */
export interface FrameCodec<M, E extends Error> {
  encode(message: M): Uint8Array;
  /** Decodes one frame, throwing the protocol's error for a malformed one. */
  decode(bytes: Uint8Array): M;
  /** `error` as this protocol's error when it is one (or maps to one), else a new one of `reason`. */
  failure(error: unknown, reason: TransportReason, message: string): E;
}

export interface FramedLimits {
  /** Largest frame accepted. */
  maxFrameBytes: number;
  /** Longest wait for the next message before the session is aborted. */
  idleTimeoutMs: number;
  /** Longest a whole session may take. */
  sessionTimeoutMs: number;
}

/** Frames joined into one write by `sendAll`: a transport message's worth (Noise carries at most 64 KiB). */
const WRITE_BYTES = 60 * 1024;

/** A message channel over one stream. `abort` ends it at once (and fails any pending receive). */
export class FramedChannel<M, E extends Error> {
  private readonly stream: Stream;
  private readonly codec: FrameCodec<M, E>;
  private readonly reader: FrameReader;
  /** What the stream delivered and the reader has not taken yet: the stream's own iterator, with its queue in view. */
  private readonly incoming: Pushable<Uint8Array>;
  private readonly idleTimeoutMs: number;
  private readonly meter: TrafficMeter | undefined;
  private failed: E | null = null;
  private readonly aborted: Promise<never>;
  private abortWith!: (error: E) => void;

  constructor(stream: Stream, codec: FrameCodec<M, E>, limits: Pick<FramedLimits, 'maxFrameBytes' | 'idleTimeoutMs'>, meter?: TrafficMeter) {
    this.stream = stream;
    this.codec = codec;
    this.meter = meter;
    this.idleTimeoutMs = limits.idleTimeoutMs;
    this.incoming = pushable();
    stream.addEventListener('message', (event) => this.incoming.push(event.data.subarray()));
    stream.addEventListener('close', (event) => this.incoming.end(event.error));
    stream.addEventListener('remoteCloseWrite', () => this.incoming.end());
    this.reader = new FrameReader(this.incoming, limits.maxFrameBytes);
    this.aborted = new Promise<never>((_, reject) => {
      this.abortWith = reject;
    });
    // Only ever raced against a pending send or receive, which rethrow it; handled here so an abort with
    // nothing waiting is no unhandled rejection.
    this.aborted.catch(() => undefined);
  }

  async send(message: M): Promise<void> {
    await this.sendAll([message]);
  }

  /**
   * Sends `messages` in order, their frames joined into writes of about WRITE_BYTES: one write to the stream
   * (one muxer frame, one encrypted transport message) carries many small messages, such as a sync's blocks.
   */
  async sendAll(messages: readonly M[]): Promise<void> {
    if (this.failed !== null) throw this.failed;
    try {
      let frames: Uint8Array[] = [];
      let bytes = 0;
      for (let i = 0; i < messages.length; i++) {
        const frame = encodeFrame(this.codec.encode(messages[i]!));
        frames.push(frame);
        bytes += frame.length;
        if (bytes < WRITE_BYTES && i < messages.length - 1) continue;
        await this.write(frames.length === 1 ? frame : concatBytes(...frames));
        frames = [];
        bytes = 0;
      }
    } catch (error) {
      throw this.failed ?? this.codec.failure(error, 'closed', `the stream closed while sending: ${(error as Error).message}`);
    }
  }

  private async write(bytes: Uint8Array): Promise<void> {
    this.meter?.sent(bytes.length);
    if (!this.stream.send(bytes)) {
      await Promise.race([this.stream.onDrain({ signal: AbortSignal.timeout(this.idleTimeoutMs) }), this.aborted]);
    }
  }

  async receive(): Promise<M> {
    if (this.failed !== null) throw this.failed;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Made only when the wait runs out: an error (and its stack) per message received costs a sync its speed.
    let idleError: E | null = null;
    const idle = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject((idleError = this.codec.failure(null, 'timeout', `no message for ${this.idleTimeoutMs} ms`))), this.idleTimeoutMs);
    });
    try {
      const payload = await Promise.race([this.reader.next(), idle, this.aborted]);
      if (payload === null) throw this.codec.failure(null, 'closed', 'the peer closed the stream');
      this.meter?.received(payload.length);
      return this.codec.decode(payload);
    } catch (error) {
      const failure = this.codec.failure(error, 'closed', `the stream failed: ${(error as Error)?.message}`);
      if (failure === idleError) this.abort(failure);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Whether the next message is already here, or has begun to arrive: receive will not wait on a quiet line.
   * A sender that writes many messages at once is read as one run of them (a sync's blocks, one batch).
   */
  ready(): boolean {
    return this.failed === null && (this.reader.hasFrame() || this.incoming.readableLength > 0);
  }

  /** Ends the session at once: pending and later calls fail with `error`. */
  abort(error: E): void {
    if (this.failed !== null) return;
    this.failed = error;
    this.abortWith(error);
    this.stream.abort(error);
  }

  /** Closes this side for writing, waiting at most the idle timeout for queued data to leave. */
  async close(): Promise<void> {
    if (this.failed !== null) return;
    await this.stream.close({ signal: AbortSignal.timeout(this.idleTimeoutMs) }).catch((error: Error) => this.abort(this.codec.failure(null, 'closed', error.message)));
  }
}

/** Runs `session` over a channel with a deadline; the channel is closed afterwards, or aborted on failure. */
export async function runFramed<M, E extends Error, T>(
  stream: Stream, codec: FrameCodec<M, E>, limits: FramedLimits, session: (channel: FramedChannel<M, E>) => Promise<T>, meter?: TrafficMeter,
): Promise<T> {
  const channel = new FramedChannel(stream, codec, limits, meter);
  const deadline = setTimeout(() => channel.abort(codec.failure(null, 'timeout', `the session took longer than ${limits.sessionTimeoutMs} ms`)), limits.sessionTimeoutMs);
  try {
    const result = await session(channel);
    await channel.close();
    return result;
  } catch (error) {
    const failure = codec.failure(error, 'internal', (error as Error)?.message ?? String(error));
    channel.abort(failure);
    throw failure;
  } finally {
    clearTimeout(deadline);
  }
}
