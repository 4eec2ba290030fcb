// How deeply a field value may nest: one rule for the core's check of every op and the contract's schema.
// The check is a loop, not a recursion, so a value nested 100,000 levels deep is refused, never a stack overflow.

/** Levels below the top a field value may reach: in `[[1]]` the `1` is two levels down. */
export const MAX_VALUE_DEPTH = 8;

/** True when some part of a JSON-like value lies more than MAX_VALUE_DEPTH levels down; looks no deeper. */
export function nestsTooDeeply(value: unknown): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (depth > MAX_VALUE_DEPTH) return true;
    if (Array.isArray(item)) for (const child of item) pending.push([child, depth + 1]);
    else if (typeof item === 'object' && item !== null && !ArrayBuffer.isView(item)) for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}
