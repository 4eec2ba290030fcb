// The countdown to a challenge's deadline, in words, as the Challenges screen shows it.

/** Time left until `deadline` in words (days, hours, minutes), or that it passed. */
export function timeLeft(deadline: number, now: number): string {
  const ms = deadline - now;
  if (ms < 0) return 'the deadline has passed';
  const minutes = Math.floor(ms / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  return `${d > 0 ? `${d} d ` : ''}${d > 0 || h > 0 ? `${h} h ` : ''}${m} min left`;
}
