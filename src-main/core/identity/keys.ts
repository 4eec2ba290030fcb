// Identity key derivation: a BIP-39 24-word mnemonic is the root; HKDF-SHA-256 with distinct labels
// gives the Ed25519 identity key, the X25519 encryption key and the Baby Jubjub (EdDSA-Poseidon) key.
import { entropyToMnemonic, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { Crypto } from '../crypto/port.ts';
import { utf8 } from '../bytes.ts';
import { didFromPublicKey, type Did } from './did.ts';
import { InvalidMnemonicError } from './errors.ts';

const SALT = utf8('defaust/identity/v1');
export const KEY_LABELS = {
  ed25519: 'defaust/ed25519-identity',
  x25519: 'defaust/x25519-encryption',
  babyJubjub: 'defaust/babyjubjub-eddsa-poseidon',
} as const;

/** The secrets of an identity. Lives only in the main process, encrypted at rest. */
export interface IdentitySecrets {
  ed25519Seed: Uint8Array;
  x25519Secret: Uint8Array;
  babyJubjubSecret: Uint8Array;
}

/** The public half of an identity, published in its genesis block. */
export interface IdentityPublic {
  id: Did;
  ed25519: Uint8Array;
  x25519: Uint8Array;
  /** Baby Jubjub public point (x, y) as 32-byte big-endian field elements. */
  babyJubjub: [Uint8Array, Uint8Array];
}

/** A fresh 24-word mnemonic from 256 bits of the caller's randomness. */
export function newMnemonic(randomBytes: (n: number) => Uint8Array): string {
  return entropyToMnemonic(randomBytes(32), wordlist);
}

/** Normalises spacing and case; throws InvalidMnemonicError unless it is a valid 24-word English mnemonic. */
export function normaliseMnemonic(mnemonic: string): string {
  const words = mnemonic.trim().toLowerCase().split(/\s+/u);
  const joined = words.join(' ');
  if (words.length !== 24 || !validateMnemonic(joined, wordlist)) throw new InvalidMnemonicError();
  return joined;
}

export function deriveIdentitySecrets(crypto: Crypto, mnemonic: string): IdentitySecrets {
  const seed = mnemonicToSeedSync(normaliseMnemonic(mnemonic));
  return {
    ed25519Seed: crypto.hkdf(seed, SALT, KEY_LABELS.ed25519, 32),
    x25519Secret: crypto.hkdf(seed, SALT, KEY_LABELS.x25519, 32),
    babyJubjubSecret: crypto.hkdf(seed, SALT, KEY_LABELS.babyJubjub, 32),
  };
}

export function fieldToBytes(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

export function bytesToField(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

export function identityPublic(crypto: Crypto, secrets: IdentitySecrets): IdentityPublic {
  const ed25519 = crypto.ed25519.publicKey(secrets.ed25519Seed);
  return {
    id: didFromPublicKey(ed25519),
    ed25519,
    x25519: crypto.box.publicKey(secrets.x25519Secret),
    babyJubjub: crypto.babyJubjub.publicKey(secrets.babyJubjubSecret),
  };
}
