// The written form of an identity, a device or a client key: an Ed25519 did:key (multicodec 0xed01, base58btc).
// This is the syntax every floor can check without a curve library; the core also checks that the 32 bytes are
// a point of prime order on Ed25519 (src-main/core/identity/key-point.ts) and says why when they are not.

/** `did:key:z6Mk` and 44 base58btc digits: every 34-byte `0xed01 ‖ key` encodes to exactly this shape. */
const DID_KEY_PATTERN = /^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/u;

/** What to tell a person whose did:key does not have that shape. */
export const DID_KEY_HINT = 'an identity is a did:key such as did:key:z6Mk… (56 characters)';

/** True when `value` is written like an Ed25519 did:key (not yet a check of the key itself). */
export function looksLikeDid(value: string): boolean {
  return DID_KEY_PATTERN.test(value);
}
