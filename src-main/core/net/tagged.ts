// The start every protocol message decoder shares: one canonical DAG-CBOR map per frame, tagged by `t`, whose
// fields must be exactly those its tag names. Each protocol names its own failure.
import { decodeCanonical } from '../chain/codec.ts';

export interface TaggedMessage {
  /** The decoded map (its `t` names the message). */
  m: Record<string, unknown>;
  /** Fails unless the map's keys, sorted and joined by commas, are exactly `expected`. */
  shape(expected: string): void;
}

export function decodeTagged(bytes: Uint8Array, fail: (why: string) => never): TaggedMessage {
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return fail('not a map');
  const m = value as Record<string, unknown>;
  const keys = Object.keys(m).sort().join(',');
  return {
    m,
    shape(expected) {
      if (keys !== expected) fail(`a ${String(m.t).slice(0, 40)} message has exactly the fields ${expected}`);
    },
  };
}
