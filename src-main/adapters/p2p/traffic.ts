// What a node's DeFaust protocols carry over time: bytes in and out (sync sessions, mailbox messages), the
// bandwidth caps served sessions are held to, and a short history of samples for `net status` and the
// Network screen. Counting happens at the protocol frames, so libp2p's own DHT and identify chatter is not
// in these figures (docs/network.md says so).
import type { TrafficMeter } from './sync.ts';

export interface BandwidthCaps {
  /** Bytes a node takes in per minute from sessions others open; 0 = no cap. */
  bandwidthInPerMinute: number;
  /** Bytes a node sends per minute in sessions others open; 0 = no cap. */
  bandwidthOutPerMinute: number;
}

const MINUTE = 60_000;

export class Traffic implements TrafficMeter {
  private caps: BandwidthCaps;
  private readonly now: () => number;
  /** Totals since the node started. */
  totalIn = 0;
  totalOut = 0;
  private windowStart: number;
  private windowIn = 0;
  private windowOut = 0;

  constructor(caps: BandwidthCaps, now: () => number = Date.now) {
    this.caps = caps;
    this.now = now;
    this.windowStart = now();
  }

  setCaps(caps: BandwidthCaps): void {
    this.caps = caps;
  }

  received(bytes: number): void {
    this.roll();
    this.totalIn += bytes;
    this.windowIn += bytes;
  }

  sent(bytes: number): void {
    this.roll();
    this.totalOut += bytes;
    this.windowOut += bytes;
  }

  /** True while this minute's traffic has reached a cap: new sessions from others are refused as busy. */
  overBudget(): boolean {
    this.roll();
    const { bandwidthInPerMinute: capIn, bandwidthOutPerMinute: capOut } = this.caps;
    return (capIn > 0 && this.windowIn >= capIn) || (capOut > 0 && this.windowOut >= capOut);
  }

  /** Bytes in and out in the current minute. */
  thisMinute(): { in: number; out: number } {
    this.roll();
    return { in: this.windowIn, out: this.windowOut };
  }

  private roll(): void {
    const now = this.now();
    if (now - this.windowStart >= MINUTE) {
      this.windowStart = now - ((now - this.windowStart) % MINUTE);
      this.windowIn = 0;
      this.windowOut = 0;
    }
  }
}
