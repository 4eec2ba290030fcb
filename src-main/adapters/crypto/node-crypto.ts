// The Crypto port on node:crypto (OpenSSL): Ed25519, ChaCha20-Poly1305, SHA-256, HKDF at native speed.
// Sealing to X25519 keys keeps the NaCl `box` format through tweetnacl, where the format is what matters.
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, hkdfSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import nacl from 'tweetnacl';
import { WeakKeyError } from '../../core/crypto/errors.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { ed25519KeyProblem } from '../../core/identity/key-point.ts';
import { bytesToField, fieldToBytes } from '../../core/identity/keys.ts';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_CACHE_LIMIT = 4096;

// The package's ESM builds import blakejs by named exports, which Node's ESM loader refuses; its CommonJS
// build is the same code. Blake-1 (Blake-512) derivation is the one circomlibjs uses.
const eddsaPoseidon = createRequire(import.meta.url)('@zk-kit/eddsa-poseidon/blake-1') as {
  derivePublicKey(secret: Uint8Array): [bigint | string, bigint | string];
  signMessage(secret: Uint8Array, message: bigint): { R8: [bigint, bigint]; S: bigint };
  verifySignature(message: bigint, signature: { R8: [bigint, bigint]; S: bigint }, publicKey: [bigint, bigint]): boolean;
};

const plain = (buffer: Buffer | ArrayBuffer): Uint8Array =>
  buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/** A bounded cache of KeyObjects: parsing a key costs about as much as verifying with it. */
class KeyCache {
  private readonly map = new Map<string, KeyObject>();
  private readonly make: (raw: Uint8Array) => KeyObject;
  constructor(make: (raw: Uint8Array) => KeyObject) {
    this.make = make;
  }
  get(raw: Uint8Array): KeyObject {
    const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
    let key = this.map.get(id);
    if (key === undefined) {
      key = this.make(raw);
      if (this.map.size >= KEY_CACHE_LIMIT) this.map.delete(this.map.keys().next().value!);
      this.map.set(id, key);
    }
    return key;
  }
}

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
  const privateKeys = new KeyCache((seed) => createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' }));
  // OpenSSL verifies under small-order and mixed-order keys too; those are refused here, once per key.
  const publicKeys = new KeyCache((pub) => {
    const problem = ed25519KeyProblem(pub);
    if (problem !== null) throw new RangeError(`an Ed25519 key that is ${problem}`);
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519, pub]), format: 'der', type: 'spki' });
  });
  return {
    sha256: (data) => plain(createHash('sha256').update(data).digest()),
    hkdf: (ikm, salt, info, length) => plain(hkdfSync('sha256', ikm, salt, info, length)),
    randomBytes: (length) => plain(randomBytes(length)),
    ed25519: {
      publicKey(seed) {
        if (seed.length !== 32) throw new RangeError('an Ed25519 seed has 32 bytes');
        const der = createPublicKey(privateKeys.get(seed)).export({ format: 'der', type: 'spki' });
        return plain(der.subarray(SPKI_ED25519.length));
      },
      sign(seed, message) {
        if (seed.length !== 32) throw new RangeError('an Ed25519 seed has 32 bytes');
        return plain(sign(null, message, privateKeys.get(seed)));
      },
      verify(publicKey, message, signature) {
        if (publicKey.length !== 32 || signature.length !== 64) return false;
        try {
          return verify(null, message, publicKeys.get(publicKey), signature);
        } catch {
          return false;
        }
      },
    },
    aead: { seal, open },
    babyJubjub: {
      publicKey(secret) {
        const [x, y] = eddsaPoseidon.derivePublicKey(Buffer.from(secret));
        return [fieldToBytes(BigInt(x)), fieldToBytes(BigInt(y))];
      },
      sign(secret, message) {
        const { R8, S } = eddsaPoseidon.signMessage(Buffer.from(secret), message);
        return { R8x: BigInt(R8[0]), R8y: BigInt(R8[1]), S: BigInt(S) };
      },
      verify(publicKey, message, signature) {
        try {
          return eddsaPoseidon.verifySignature(message, { R8: [signature.R8x, signature.R8y], S: signature.S }, [bytesToField(publicKey[0]), bytesToField(publicKey[1])]);
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
