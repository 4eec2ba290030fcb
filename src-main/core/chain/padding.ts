// Padding to size buckets (DESIGN §3): what is sealed in a v2 block is padded to one of a few fixed sizes
// before it is encrypted, so a replica that sees only sizes cannot tell a phone number from a page of notes.
// The padding is `0x80` then zeros (ISO/IEC 7816-4), so it comes off without a length field.
import { DefaustError } from '../errors.ts';
import { MAX_BODY_BYTES } from '../../../src-shared/rules/limits.ts';

/** What a sealed body's envelope adds to its padded plaintext: the tag and the CBOR `{c, n}` map around it. */
const BODY_ENVELOPE_BYTES = 39;

/** The plaintext sizes everything sealed in a v2 block is padded to; the last one fills a body to its cap. */
export const PAD_BUCKETS: readonly number[] = [256, 1024, 4096, 16_384, 65_536, 262_144, MAX_BODY_BYTES - BODY_ENVELOPE_BYTES];

export class PaddingError extends DefaustError {
  override name = 'PaddingError';
  constructor() {
    super('padding', 'sealed bytes carry no valid padding');
  }
}

/** `bytes`, then `0x80` and zeros up to the smallest bucket that holds them (unpadded past the last bucket: the size cap refuses it). */
export function pad(bytes: Uint8Array): Uint8Array {
  const size = PAD_BUCKETS.find((bucket) => bucket > bytes.length) ?? bytes.length + 1;
  const out = new Uint8Array(size);
  out.set(bytes);
  out[bytes.length] = 0x80;
  return out;
}

/** The bytes `pad` was given; PaddingError when the padding is not there. */
export function unpad(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80) throw new PaddingError();
  return padded.subarray(0, end);
}
