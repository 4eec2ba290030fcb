// Sealed envelopes addressed to a did:key: `{format, v: 1, to, sealed}` where `sealed` is a NaCl box to the
// recipient's key. Change requests, their replies, attestation requests and attestations all travel this way;
// each caller names the format and turns a refusal into its own error.
import { decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import type { Did } from './did.ts';
import { recipientKey, recipientSecret } from './recipient.ts';

export function sealEnvelope(crypto: Crypto, format: string, to: Did, inner: unknown): Uint8Array {
  return encode({ format, v: 1, to, sealed: crypto.box.seal(recipientKey(to), encode(inner)) });
}

/** The format an envelope says it is (readable without opening it), or null when it is not an envelope. */
export function envelopeFormat(bytes: Uint8Array): string | null {
  try {
    const outer = decodeCanonical(bytes) as Record<string, unknown>;
    return typeof outer?.format === 'string' && outer.v === 1 && outer.sealed instanceof Uint8Array ? outer.format.slice(0, 64) : null;
  } catch {
    return null;
  }
}

export type OpenedEnvelope =
  | { ok: true; opened: Uint8Array }
  /** `undecodable`: not DAG-CBOR; `malformed`: not this format; `not-for-me`: addressed to `to`; `forged`: does not open with my key. */
  | { ok: false; reason: 'undecodable' | 'malformed' | 'not-for-me' | 'forged'; to?: unknown };

export function openEnvelope(crypto: Crypto, bytes: Uint8Array, format: string, me: Did, myEd25519Seed: Uint8Array): OpenedEnvelope {
  let outer: Record<string, unknown>;
  try {
    outer = decodeCanonical(bytes) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'undecodable' };
  }
  if (outer?.format !== format || outer.v !== 1 || !(outer.sealed instanceof Uint8Array)) return { ok: false, reason: 'malformed' };
  if (outer.to !== me) return { ok: false, reason: 'not-for-me', to: outer.to };
  const opened = crypto.box.open(recipientSecret(myEd25519Seed), outer.sealed);
  return opened === null ? { ok: false, reason: 'forged' } : { ok: true, opened };
}
