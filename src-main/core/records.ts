// Prototype-free records, for objects keyed by names that people and peers choose (sections, field paths,
// the keys of a JSON value). Without a prototype, `toString`, `constructor` and `__proto__` are keys like any
// other: a read finds only what was stored there, and a write stores an own property.

/** An empty record with no prototype. */
export function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A prototype-free record holding `entries` (a later entry wins over an earlier one with the same key). */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = record<T>();
  for (const [key, value] of entries) out[key] = value;
  return out;
}
