// Numbers as people write them: decimal only (no 0x, 0b, 0o, Infinity, NaN or blanks), finite, and within the
// range where every whole number is exact, ±(2^53−1); a non-zero literal never silently becomes 0. The CLI,
// the contract and core's value check all hold numbers to this rule.

/** How a number is written, for error messages. */
export const NUMBER_RULE = `a decimal number such as 42, -3.5 or 1.5e6, between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`;

const DECIMAL = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/u;

/** True when `n` is finite and within ±(2^53−1). */
export function isSafeNumber(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER;
}

/** The number `text` writes, or null when it breaks the rule above. `-0` reads as 0. */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const n = Number(text);
  if (!isSafeNumber(n)) return null;
  const mantissa = text.split(/[eE]/u)[0]!;
  if (n === 0 && /[1-9]/u.test(mantissa)) return null;
  return n === 0 ? 0 : n;
}

/** A whole number of at most `max`, written in plain digits, or null. */
export function parseWhole(text: string, max = Number.MAX_SAFE_INTEGER): number | null {
  if (!/^\d{1,16}$/u.test(text)) return null;
  const n = Number(text);
  return n <= max ? n : null;
}

/** A proof's nonce as decimal digits: at most 76, so every one is below the BN254 field modulus (77 digits). */
export const NONCE_DIGITS = /^\d{1,76}$/u;

/** A field element (a trust root, a public signal) as decimal digits: up to 78, checked against the field after. */
export const WHOLE_DIGITS = /^\d{1,78}$/u;
