// Which 32-byte strings are acceptable Ed25519 public keys: the canonical encoding (RFC 8032 §5.1.3: y < p,
// and no sign bit on x = 0) of a point on the curve, in the prime-order subgroup (L·P = O, P ≠ O). Anything
// else is refused before it becomes a device, a grantee or a signer: a small-order key lets anyone forge
// signatures, and its X25519 image makes every sealed box to it open with any key.
import { ed25519 } from '@noble/curves/ed25519.js';

/** Why 32 bytes are not an acceptable Ed25519 public key. */
export type KeyProblem = 'non-canonical' | 'off-curve' | 'small-order' | 'mixed-order';

const P = 2n ** 255n - 19n;

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** Null when `key` is the canonical encoding of a prime-order Ed25519 point, else what is wrong with it. */
export function ed25519KeyProblem(key: Uint8Array): KeyProblem | null {
  if (key.length !== 32) return 'off-curve';
  const y = littleEndian(key) & (2n ** 255n - 1n);
  if (y >= P) return 'non-canonical';
  let point;
  try {
    point = ed25519.Point.fromBytes(key, true);
  } catch {
    return 'off-curve';
  }
  // Decoded leniently so that the two cases with x = 0 and the sign bit set read as what they are: a
  // non-canonical encoding (the strict decoder would call them off the curve).
  if (point.x === 0n && (key[31]! & 0x80) !== 0) return 'non-canonical';
  if (point.isSmallOrder()) return 'small-order';
  if (!point.isTorsionFree()) return 'mixed-order';
  return null;
}
