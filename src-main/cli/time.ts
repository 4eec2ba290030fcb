// Times and durations on the command line: dates by the shared rule (2027-01-31, 2027-01-31T12:00Z) and
// durations (1d, 12h, 30m, 2w; at most a year).
import { InvalidInputError } from '../core/errors.ts';
import { DATE_RULE, parseDate } from '../../src-shared/rules/time.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const MAX_DURATION_MS = 366 * 86_400_000;

export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([mhdw])$/u.exec(text);
  const ms = match === null ? NaN : Number(match[1]) * UNITS[match[2]!]!;
  if (!(ms > 0 && ms <= MAX_DURATION_MS)) throw new InvalidInputError(`a duration is a number and a unit (m, h, d, w) up to a year, such as 1d, not ${JSON.stringify(text)}`);
  return ms;
}

export function parseTime(text: string, what: string): number {
  const ms = parseDate(text);
  if (ms === null) throw new InvalidInputError(`${what} must be ${DATE_RULE}, not ${JSON.stringify(text)}`);
  return ms;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
