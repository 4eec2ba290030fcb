// The idle lock: a countdown restarted by every call a person makes; when it runs out, `onIdle` drops the keys.
// Zero or less never locks by itself.
export class IdleLock {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly ms: number;
  private readonly onIdle: () => void;

  constructor(ms: number, onIdle: () => void) {
    this.ms = ms;
    this.onIdle = onIdle;
  }

  /** Restarts the countdown. */
  touch(): void {
    this.stop();
    if (this.ms <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onIdle();
    }, this.ms);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
