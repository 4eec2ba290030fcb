// The cryptography port: every primitive the domain needs, implemented natively by an adapter.
// Core never touches node:crypto; the adapter in src-main/adapters/crypto does, and a tweetnacl
// implementation of the NaCl parts proves that both agree.

/** Length in bytes of the keys, nonces and tags this port deals in. */
export const SIZES = {
  ed25519Seed: 32,
  ed25519PublicKey: 32,
  ed25519Signature: 64,
  x25519Key: 32,
  aeadKey: 32,
  aeadNonce: 12,
  aeadTag: 16,
} as const;

/** Ed25519 (RFC 8032) over 32-byte seeds. */
export interface Ed25519 {
  /** Public key of a 32-byte seed. */
  publicKey(seed: Uint8Array): Uint8Array;
  /** Deterministic signature of `message` by `seed`. */
  sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * True when `signature` is a valid signature of `message` under `publicKey`; never throws on bad input.
   * False for any key that is not a prime-order point (core/identity/key-point.ts): under a small-order key
   * signatures can be forged without any secret.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/** ChaCha20-Poly1305 (RFC 8439), 32-byte key, 12-byte nonce, 16-byte tag appended to the ciphertext. */
export interface Aead {
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** The plaintext, or null when the tag does not verify (wrong key, nonce, aad or tampered bytes). */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null;
}

/**
 * Anonymous sealing to an X25519 public key in the NaCl `box` format:
 * `ephemeralPublicKey(32) ‖ nonce(24) ‖ box(plaintext)`.
 */
export interface SealedBox {
  publicKey(secretKey: Uint8Array): Uint8Array;
  /** Throws WeakKeyError (core/crypto/errors.ts) when the recipient key is of small order (an all-zero shared secret). */
  seal(recipientPublicKey: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext, or null when it was not sealed to this key or was altered. */
  open(recipientSecretKey: Uint8Array, sealed: Uint8Array): Uint8Array | null;
}

/** EdDSA-Poseidon on Baby Jubjub (circomlib-compatible), for signatures that circuits can check. */
export interface BabyJubjub {
  /** Public point (x, y) of a 32-byte secret, each coordinate a 32-byte big-endian field element. */
  publicKey(secret: Uint8Array): [Uint8Array, Uint8Array];
  /** EdDSA-Poseidon signature of a field element, as circomlib's EdDSAPoseidonVerifier checks it. */
  sign(secret: Uint8Array, message: bigint): { R8x: bigint; R8y: bigint; S: bigint };
  /** True when the signature verifies on `message` under the public point; never throws. */
  verify(publicKey: readonly [Uint8Array, Uint8Array], message: bigint, signature: { R8x: bigint; R8y: bigint; S: bigint }): boolean;
}

/** Everything cryptographic the domain uses. */
export interface Crypto {
  sha256(data: Uint8Array): Uint8Array;
  hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array;
  randomBytes(length: number): Uint8Array;
  ed25519: Ed25519;
  aead: Aead;
  box: SealedBox;
  babyJubjub: BabyJubjub;
}

/** One Ed25519 check of a batch. */
export interface SignatureCheck {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/**
 * Verifies many Ed25519 signatures at once — an adapter may spread them over every core. Answers exactly
 * what `Ed25519.verify` answers for each check (small-order keys refused), in the order given; never rejects
 * for a bad signature or key, only when the verifier itself broke.
 */
export interface SignatureBatchVerifier {
  verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]>;
}

/** A SignatureBatchVerifier on the calling thread: the reference a parallel one must agree with. */
export function inlineSignatureVerifier(ed25519: Ed25519): SignatureBatchVerifier {
  return { verifyAll: async (checks) => checks.map((c) => ed25519.verify(c.publicKey, c.message, c.signature)) };
}
