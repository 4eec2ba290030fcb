// Times and durations on the command line: ISO dates (2027-01-31, 2027-01-31T12:00Z) and durations (1d, 12h, 30m).
import { InvalidInputError } from '../core/errors.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseDuration(text: string): number {
  const match = /^(\d+)([mhdw])$/u.exec(text);
  if (!match) throw new InvalidInputError(`a duration is a number and a unit (m, h, d, w), such as 1d, not ${JSON.stringify(text)}`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

export function parseTime(text: string, what: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/u.test(text) || !Number.isFinite(ms)) throw new InvalidInputError(`${what} must be a date such as 2027-01-31 or 2027-01-31T12:00:00Z, not ${JSON.stringify(text)}`);
  return ms;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
