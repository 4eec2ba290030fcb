// Length-prefixed frames: an unsigned LEB128 varint length, then that many bytes (the framing libp2p
// protocols use). The reader takes any async source of byte chunks, however the transport splits them, and
// refuses a frame over its size cap before buffering it.
import { SyncError } from './errors.ts';
import { MAX_FRAME_BYTES } from '../../../src-shared/rules/limits.ts';

/** The largest frame a session accepts unless told otherwise: one block message or one media chunk (src-shared/rules/limits.ts). */
export const DEFAULT_MAX_FRAME_BYTES = MAX_FRAME_BYTES;
const MAX_VARINT_BYTES = 5; // lengths below 2^35, far above any cap

export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('a varint encodes a non-negative safe integer');
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

/** One frame: varint length, then the payload. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const prefix = encodeVarint(payload.length);
  const out = new Uint8Array(prefix.length + payload.length);
  out.set(prefix, 0);
  out.set(payload, prefix.length);
  return out;
}

/** A chunk as transports hand them over: a Uint8Array, or a list of them that can be flattened (`subarray()`). */
export type Chunk = Uint8Array | { subarray(): Uint8Array };

/** Reads frames from an async iterator of chunks, keeping only the unread bytes. */
export class FrameReader {
  private readonly source: AsyncIterator<Chunk>;
  private readonly maxFrameBytes: number;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private ended = false;

  constructor(source: AsyncIterator<Chunk>, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.source = source;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The next frame's payload, or null when the source ended cleanly between frames. */
  async next(): Promise<Uint8Array | null> {
    let length: number | null = null;
    let prefix = 0;
    for (;;) {
      if (length === null) {
        const parsed = this.peekVarint();
        if (parsed !== null) {
          [length, prefix] = parsed;
          if (length > this.maxFrameBytes) throw new SyncError('frame-too-large', `a frame of ${length} bytes exceeds ${this.maxFrameBytes}`);
        }
      }
      if (length !== null && this.buffered >= prefix + length) {
        this.take(prefix);
        return this.take(length);
      }
      if (this.ended || !(await this.pull())) {
        if (this.buffered === 0) return null;
        throw new SyncError('closed', 'the stream ended inside a frame');
      }
    }
  }

  /** Whether a whole frame is already buffered, so `next` will not wait on the source (a bad prefix counts: `next` throws it). */
  hasFrame(): boolean {
    try {
      const parsed = this.peekVarint();
      return parsed !== null && this.buffered >= parsed[1] + parsed[0];
    } catch {
      return true;
    }
  }

  private async pull(): Promise<boolean> {
    const result = await this.source.next();
    if (result.done === true) {
      this.ended = true;
      return false;
    }
    const chunk = result.value instanceof Uint8Array ? result.value : result.value.subarray();
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    return true;
  }

  /** [length, prefix bytes] when a whole varint is buffered. */
  private peekVarint(): [number, number] | null {
    let value = 0;
    let scale = 1;
    let read = 0;
    for (const chunk of this.chunks) {
      for (const byte of chunk) {
        value += (byte & 0x7f) * scale;
        read++;
        if ((byte & 0x80) === 0) return [value, read];
        if (read >= MAX_VARINT_BYTES) throw new SyncError('protocol', 'a frame length prefix is too long');
        scale *= 0x80;
      }
    }
    return null;
  }

  private take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const head = this.chunks[0]!;
      const n = Math.min(head.length, count - filled);
      out.set(head.subarray(0, n), filled);
      filled += n;
      if (n === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
    }
    this.buffered -= count;
    return out;
  }
}
