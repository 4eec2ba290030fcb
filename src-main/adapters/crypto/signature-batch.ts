// The wire form of a batch of Ed25519 checks between the verify pool and its workers: one transferable
// buffer instead of thousands of cloned arrays. Per check: message length (u32, big-endian), the 32-byte
// key, the 64-byte signature, the message. A key or signature of another length cannot be packed; the pool
// answers those itself (false, as the port's verify does).
import type { SignatureCheck } from '../../core/crypto/port.ts';

const FIXED = 4 + 32 + 64;

export function packChecks(checks: readonly SignatureCheck[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const check of checks) size += FIXED + check.message.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const { publicKey, message, signature } of checks) {
    view.setUint32(at, message.length);
    out.set(publicKey, at + 4);
    out.set(signature, at + 36);
    out.set(message, at + FIXED);
    at += FIXED + message.length;
  }
  return out;
}

export function unpackChecks(packed: Uint8Array): SignatureCheck[] {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const out: SignatureCheck[] = [];
  for (let at = 0; at < packed.length;) {
    const length = view.getUint32(at);
    out.push({ publicKey: packed.subarray(at + 4, at + 36), signature: packed.subarray(at + 36, at + FIXED), message: packed.subarray(at + FIXED, at + FIXED + length) });
    at += FIXED + length;
  }
  return out;
}

/** Whether a check has the sizes the wire form carries. */
export const packable = (check: SignatureCheck): boolean => check.publicKey.length === 32 && check.signature.length === 64;
