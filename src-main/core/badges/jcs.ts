// JSON Canonicalization Scheme (RFC 8785), the canonical form the eddsa-jcs-2022 cryptosuite hashes. On JSON
// values (null, booleans, finite numbers, strings, arrays, plain objects) RFC 8785 is ECMAScript's own
// serialization (§3.2.2: JSON.stringify for strings and numbers) with object members sorted by the UTF-16 code
// units of their names (§3.2.3) — which is JavaScript's default string order. Anything else is refused.
import { BadgeError } from './errors.ts';

/** The RFC 8785 canonical text of a JSON value; throws BadgeError `not-json` on a value JSON cannot carry. */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new BadgeError('not-json', 'a number that JSON cannot carry (NaN or infinite)');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalize(v)).join(',')}]`;
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
  }
  throw new BadgeError('not-json', `a value JSON cannot carry (${typeof value})`);
}

/** The canonical text as UTF-8 bytes (what is hashed). */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalize(value));
}
