// Sealed bodies: a section delta encrypted with the epoch key of its section (ChaCha20-Poly1305), bound by
// its associated data to the identity, section, generation and epoch it was written for. Bodies of v2 blocks
// are padded to a size bucket first (padding.ts); v1 bodies, written before, are not.
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { decodeCanonical, encode } from './codec.ts';
import { pad, PaddingError, unpad } from './padding.ts';

export interface BodyContext {
  /** The version of the header that references the body (v1 bodies are unpadded). */
  v: number;
  id: string;
  section: string;
  gen: number;
  epoch: number;
}

export class BodyDecryptError extends DefaustError {
  override name = 'BodyDecryptError';
  constructor(message: string) {
    super('body-decrypt', message);
  }
}

const padded = (ctx: BodyContext): boolean => ctx.v >= 2;
const aadOf = (ctx: BodyContext): Uint8Array => encode([padded(ctx) ? 'defaust/body/v2' : 'defaust/body/v1', ctx.id, ctx.section, ctx.gen, ctx.epoch]);

export function sealBody(crypto: Crypto, key: Uint8Array, ctx: BodyContext, plaintext: Uint8Array): Uint8Array {
  const nonce = crypto.randomBytes(12);
  return encode({ n: nonce, c: crypto.aead.seal(key, nonce, padded(ctx) ? pad(plaintext) : plaintext, aadOf(ctx)) });
}

export function openBody(crypto: Crypto, key: Uint8Array, ctx: BodyContext, sealed: Uint8Array): Uint8Array {
  let envelope: { n?: unknown; c?: unknown };
  try {
    envelope = decodeCanonical(sealed) as typeof envelope;
  } catch {
    throw new BodyDecryptError(`a body of section ${ctx.section} is not a sealed envelope`);
  }
  if (typeof envelope !== 'object' || envelope === null || !(envelope.n instanceof Uint8Array) || envelope.n.length !== 12 || !(envelope.c instanceof Uint8Array)) {
    throw new BodyDecryptError(`a body of section ${ctx.section} is not a sealed envelope`);
  }
  const plaintext = crypto.aead.open(key, envelope.n, envelope.c, aadOf(ctx));
  if (plaintext === null) throw new BodyDecryptError(`a body of section ${ctx.section} (epoch ${ctx.epoch}) does not open with its key`);
  if (!padded(ctx)) return plaintext;
  try {
    return unpad(plaintext);
  } catch (error) {
    if (error instanceof PaddingError) throw new BodyDecryptError(`a body of section ${ctx.section} (epoch ${ctx.epoch}) carries no valid padding`);
    throw error;
  }
}
