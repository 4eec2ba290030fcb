// The shared input rules: dates (strict ISO 8601 with a zone, or a plain day) and numbers (decimal, finite,
// in the exact range), as examples and as properties over many generated inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeNumber, parseDecimal, parseWhole } from '../src-shared/rules/number.ts';
import { MAX_TIME_MS, parseDate } from '../src-shared/rules/time.ts';

const RUNS = { seed: 9, numRuns: 5000 };
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Any instant in range, written as a plain day (when it is midnight) or a full time with any zone. */
const writtenDate = fc.record({
  ms: fc.integer({ min: 24 * 3_600_000, max: MAX_TIME_MS - 24 * 3_600_000 }),
  offset: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
  form: fc.constantFrom('day', 'minutes', 'seconds', 'millis'),
}).map(({ ms, offset, form }) => {
  if (form === 'day') {
    const day = ms - (ms % 86_400_000);
    const d = new Date(day);
    return { text: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, ms: day };
  }
  const exact = form === 'minutes' ? ms - (ms % 60_000) : form === 'seconds' ? ms - (ms % 1000) : ms;
  const local = new Date(exact + offset * 60_000);
  const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}` +
    (form === 'minutes' ? '' : `:${pad(local.getUTCSeconds())}`) + (form === 'millis' ? `.${pad(local.getUTCMilliseconds(), 3)}` : '');
  return { text: `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${time}${zone}`, ms: exact };
});

describe('parseDate', () => {
  it('reads plain days and full times with a zone', () => {
    expect(parseDate('2027-01-31')).toBe(Date.UTC(2027, 0, 31));
    expect(parseDate('2027-01-31T12:00Z')).toBe(Date.UTC(2027, 0, 31, 12));
    expect(parseDate('2027-01-31T12:00:00.25+02:00')).toBe(Date.UTC(2027, 0, 31, 10, 0, 0, 250));
    expect(parseDate('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
    expect(parseDate('9999-12-31T23:59:59.999Z')).toBe(MAX_TIME_MS);
  });

  it('refuses junk after the date, impossible days, missing zones and dates out of range', () => {
    for (const text of ['2027-01-01 junk', '2027-01-01junk', '2027-02-30', '2027-02-29', '2100-02-29', '2027-13-01', '2027-00-10', '2027-04-31',
      '2027-01-31T12:00', '2027-01-31T12:00:00', '2027-01-31T24:00Z', '2027-01-31T12:60Z', '2027-01-31T12:00:60Z', '2027-01-31T12:00+24:00',
      '2027-01-31T12:00+01:60', '2027-01-31T12:00Z ', ' 2027-01-31', '2027-1-31', '27-01-31', '1969-12-31', '+002027-01-31', '2027-01-31t12:00z',
      '2027-01-31T12:00:00.Z', '', 'tomorrow', '1e12', '2027-01-31\n', '2027-01-31T12:00Z\u0000']) {
      expect(parseDate(text), text).toBeNull();
    }
  });

  it('property: every written date reads back as the instant it names', () => {
    fc.assert(fc.property(writtenDate, ({ text, ms }) => parseDate(text) === ms), RUNS);
  });

  it('property: the ISO form of every instant in range reads back exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_TIME_MS }), (ms) => parseDate(new Date(ms).toISOString()) === ms), RUNS);
  });

  it('property: anything after a full date is refused', () => {
    const junk = fc.string({ minLength: 1, maxLength: 12, unit: 'binary' });
    fc.assert(fc.property(writtenDate, junk, ({ text }, tail) => {
      // A plain day followed by a time is a longer date, not junk.
      fc.pre(!(text.length === 10 && tail.startsWith('T')));
      return parseDate(text + tail) === null && parseDate(tail + text) === null;
    }), RUNS);
  });
});

describe('parseDecimal', () => {
  it('reads decimal numbers', () => {
    expect(parseDecimal('42')).toBe(42);
    expect(parseDecimal('-3.5')).toBe(-3.5);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal('6.02e23')).toBeNull();
    expect(parseDecimal('6.02e9')).toBe(6.02e9);
    expect(parseDecimal('1e-300')).toBe(1e-300);
    expect(parseDecimal('-0')).toBe(0);
    expect(Object.is(parseDecimal('-0'), 0)).toBe(true);
    expect(parseDecimal(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseDecimal(String(-Number.MAX_SAFE_INTEGER))).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it('refuses other bases, blanks, non-finite, unsafe and underflowing literals', () => {
    for (const text of ['0x10', '0b101', '0o7', '1e-400', '9007199254740992', '9007199254740993', '-9007199254740992', '1e400', 'Infinity', '-Infinity',
      'NaN', '', ' ', ' 1', '1 ', '+1', '1.', '1e', '--1', '1_000', '١٢', '1,5', '12abc']) {
      expect(parseDecimal(text), text).toBeNull();
    }
    expect(parseDecimal('0e-999')).toBe(0);
  });

  it('property: every safe number round-trips through its decimal text', () => {
    const safe = fc.double({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, noNaN: true });
    fc.assert(fc.property(safe, (n) => parseDecimal(String(n)) === (n === 0 ? 0 : n)), RUNS);
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => parseDecimal(String(n)) === n), RUNS);
  });

  it('property: what it accepts is safe, and what Number reads differently from it is refused', () => {
    fc.assert(fc.property(fc.string({ maxLength: 24 }), (text) => {
      const n = parseDecimal(text);
      return n === null || (isSafeNumber(n) && n === Number(text) + 0);
    }), RUNS);
    fc.assert(fc.property(fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }), fc.boolean(), (big, negative) =>
      parseDecimal(`${negative ? '-' : ''}${big}`) === null), RUNS);
  });

  it('parseWhole takes plain digits up to a bound', () => {
    expect(parseWhole('65535', 65535)).toBe(65535);
    for (const text of ['65536', '0x10', '-1', '1.0', '', '1e3', '99999999999999999']) expect(parseWhole(text, 65535), text).toBeNull();
  });
});
