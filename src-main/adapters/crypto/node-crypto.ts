// The Crypto port on node:crypto (OpenSSL): Ed25519, ChaCha20-Poly1305, SHA-256, HKDF at native speed.
// Sealing to X25519 keys keeps the NaCl `box` format through tweetnacl, where the format is what matters.
import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import nacl from 'tweetnacl';
import { WeakKeyError } from '../../core/crypto/errors.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { bytesToField, fieldToBytes } from '../../core/identity/keys.ts';
import { createNodeEd25519, plain } from './node-ed25519.ts';

// The package's ESM builds import blakejs by named exports, which Node's ESM loader refuses; its CommonJS
// build is the same code. Blake-1 (Blake-512) derivation is the one circomlibjs uses.
type EddsaPoseidon = {
  derivePublicKey(secret: Uint8Array): [bigint | string, bigint | string];
  signMessage(secret: Uint8Array, message: bigint): { R8: [bigint, bigint]; S: bigint };
  verifySignature(message: bigint, signature: { R8: [bigint, bigint]; S: bigint }, publicKey: [bigint, bigint]): boolean;
};
let eddsa: EddsaPoseidon | null = null;
const eddsaPoseidon = (): EddsaPoseidon => (eddsa ??= createRequire(import.meta.url)('@zk-kit/eddsa-poseidon/blake-1') as EddsaPoseidon);

function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  if (aad) cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const out = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return plain(out);
}

function open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null {
  if (key.length !== 32 || nonce.length !== 12 || sealed.length < 16) return null;
  try {
    const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    if (aad) decipher.setAAD(aad, { plaintextLength: sealed.length - 16 });
    return plain(Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]));
  } catch {
    return null;
  }
}

export function createNodeCrypto(): Crypto {
  return {
    // The one-shot hash: no Hash object per call.
    sha256: (data) => plain(hash('sha256', data, 'buffer')),
    hkdf: (ikm, salt, info, length) => plain(hkdfSync('sha256', ikm, salt, info, length)),
    randomBytes: (length) => plain(randomBytes(length)),
    ed25519: createNodeEd25519(),
    aead: { seal, open },
    babyJubjub: {
      publicKey(secret) {
        const [x, y] = eddsaPoseidon().derivePublicKey(Buffer.from(secret));
        return [fieldToBytes(BigInt(x)), fieldToBytes(BigInt(y))];
      },
      sign(secret, message) {
        const { R8, S } = eddsaPoseidon().signMessage(Buffer.from(secret), message);
        return { R8x: BigInt(R8[0]), R8y: BigInt(R8[1]), S: BigInt(S) };
      },
      verify(publicKey, message, signature) {
        try {
          return eddsaPoseidon().verifySignature(message, { R8: [signature.R8x, signature.R8y], S: signature.S }, [bytesToField(publicKey[0]), bytesToField(publicKey[1])]);
        } catch {
          return false;
        }
      },
    },
    box: {
      publicKey: (secretKey) => nacl.scalarMult.base(secretKey),
      seal(recipientPublicKey, plaintext) {
        const ephemeral = nacl.box.keyPair();
        if (nacl.scalarMult(ephemeral.secretKey, recipientPublicKey).every((byte) => byte === 0)) {
          ephemeral.secretKey.fill(0);
          throw new WeakKeyError('x25519');
        }
        const nonce = plain(randomBytes(nacl.box.nonceLength));
        const boxed = nacl.box(plaintext, nonce, recipientPublicKey, ephemeral.secretKey);
        ephemeral.secretKey.fill(0);
        const out = new Uint8Array(32 + nonce.length + boxed.length);
        out.set(ephemeral.publicKey, 0);
        out.set(nonce, 32);
        out.set(boxed, 32 + nonce.length);
        return out;
      },
      open(recipientSecretKey, sealed) {
        if (sealed.length < 32 + nacl.box.nonceLength + nacl.box.overheadLength) return null;
        const ephemeralPublic = sealed.subarray(0, 32);
        const nonce = sealed.subarray(32, 32 + nacl.box.nonceLength);
        return nacl.box.open(sealed.subarray(32 + nacl.box.nonceLength), nonce, ephemeralPublic, recipientSecretKey);
      },
    },
  };
}
