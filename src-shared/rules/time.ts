// Dates as people and programs write them: a plain day (2027-01-31, that day's start in UTC) or a full ISO 8601
// time with its zone (2027-01-31T12:00Z, 2027-01-31T12:00:00.250+02:00), nothing before or after, a real
// calendar day, between 1970 and the end of 9999. The CLI, the contract, the renderer and the clock all read
// dates through `parseDate`.

/** The earliest time a date may name (ms since 1970, UTC). */
export const MIN_TIME_MS = 0;
/** The latest: 9999-12-31T23:59:59.999Z. */
export const MAX_TIME_MS = 253_402_300_799_999;

/** How a date is written, for error messages. */
export const DATE_RULE = 'a date such as 2027-01-31 or 2027-01-31T12:00:00Z (with Z or ±hh:mm)';

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2})))?$/u;

/** True when `ms` is a whole number of milliseconds in the range a date may name. */
export function isTimeMs(ms: number): boolean {
  return Number.isInteger(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS;
}

/** The instant `text` names (ms since 1970, UTC), or null when it is not a date by the rule above. */
export function parseDate(text: string): number | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const zone = m[8] === undefined || m[8] === 'Z' ? 0 : (m[8].startsWith('-') ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || Math.abs(zone) > 23 * 60 + 59 || Number(m[10] ?? 0) > 59) return null;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  const time = utc.getTime() - zone * 60_000;
  return isTimeMs(time) ? time : null;
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
