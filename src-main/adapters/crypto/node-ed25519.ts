// Ed25519 on node:crypto (OpenSSL) for the Crypto port: keys parsed once into bounded caches, small-order
// keys refused. Its own module so the signature workers (verify-worker.ts) load nothing else.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { equalBytes } from '../../core/bytes.ts';
import type { Ed25519 } from '../../core/crypto/port.ts';
import { ed25519KeyProblem } from '../../core/identity/key-point.ts';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_CACHE_LIMIT = 4096;

/** A Buffer's bytes as a plain Uint8Array view. */
export const plain = (buffer: Buffer | ArrayBuffer): Uint8Array =>
  buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/**
 * A bounded cache of KeyObjects: parsing a key costs about as much as verifying with it. The key last
 * asked about is kept with a copy of its bytes and compared first, byte for byte: a chain's blocks come
 * mostly from one signer, so most lookups build no lookup string, and a changed array is never mistaken
 * for the old.
 */
class KeyCache {
  private readonly map = new Map<string, KeyObject>();
  private last: { bytes: Uint8Array; key: KeyObject } | null = null;
  private readonly make: (raw: Uint8Array) => KeyObject;
  constructor(make: (raw: Uint8Array) => KeyObject) {
    this.make = make;
  }
  get(raw: Uint8Array): KeyObject {
    const last = this.last;
    if (last !== null && equalBytes(last.bytes, raw)) return last.key;
    const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
    let key = this.map.get(id);
    if (key === undefined) {
      key = this.make(raw);
      if (this.map.size >= KEY_CACHE_LIMIT) this.map.delete(this.map.keys().next().value!);
      this.map.set(id, key);
    }
    this.last = { bytes: new Uint8Array(raw), key }; // a copy, also of a Buffer
    return key;
  }
}

/** Ed25519 on node:crypto, with its keys parsed once (bounded caches) and small-order keys refused. */
export function createNodeEd25519(): Ed25519 {
  const privateKeys = new KeyCache((seed) => createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' }));
  // OpenSSL verifies under small-order and mixed-order keys too; those are refused here, once per key.
  const publicKeys = new KeyCache((pub) => {
    const problem = ed25519KeyProblem(pub);
    if (problem !== null) throw new RangeError(`an Ed25519 key that is ${problem}`);
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519, pub]), format: 'der', type: 'spki' });
  });
  return {
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
  };
}

