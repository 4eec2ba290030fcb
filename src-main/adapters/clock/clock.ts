// Clocks: the system clock, or a fixed instant from DEFAUST_NOW (an ISO time) so that expiry can be tried
// without waiting. DEFAUST_NOW changes only this client's view of time, nothing on the network. And the
// synchronous pause a writer takes before it tries again.
import type { Clock } from '../../core/ports.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { DATE_RULE, parseDate } from '../../../src-shared/rules/time.ts';

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(iso: string): Clock {
  const ms = parseDate(iso);
  if (ms === null) throw new InvalidInputError(`DEFAUST_NOW must be ${DATE_RULE}, not ${JSON.stringify(iso)}`);
  return { now: () => ms };
}

export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  return env.DEFAUST_NOW ? fixedClock(env.DEFAUST_NOW) : systemClock;
}

/** Blocks this thread for `ms`: the store and the writer are synchronous, so their retry waits this way. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
