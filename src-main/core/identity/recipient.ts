// Sealing to a did:key: the Ed25519 key of a did maps to an X25519 key (the birational map libsodium calls
// crypto_sign_ed25519_pk_to_curve25519), so anything can be sealed to a person knowing only their id. The did's
// key is a prime-order point (did.ts), so its image is too: never one of the low-order u that every key opens.
import { ed25519 } from '@noble/curves/ed25519.js';
import { publicKeyFromDid, type Did } from './did.ts';

/** The X25519 public key that a did:key's holder can open with `recipientSecret(theirSeed)`. */
export function recipientKey(did: Did): Uint8Array {
  return ed25519.utils.toMontgomery(publicKeyFromDid(did));
}

/** The X25519 secret matching `recipientKey` of the did whose Ed25519 seed this is. */
export function recipientSecret(ed25519Seed: Uint8Array): Uint8Array {
  return ed25519.utils.toMontgomerySecret(ed25519Seed);
}
