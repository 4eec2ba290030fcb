// The keystore file read back: KDF parameters a tampered file asks for are bounded before any scrypt runs
// (N = 2^34, or 16 GiB through r, are refused at once as a corrupt keystore), and its writes are 0600.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, Keystore, KeystoreCorruptError, SCRYPT_BOUNDS } from '../src-main/adapters/secrets/keystore.ts';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { crypto, ownerKeys, tempDir } from './helpers.ts';

const PASS = 'correct horse battery';

let original = '';
beforeAll(() => {
  const keys = ownerKeys();
  const keystore = new Keystore(crypto, join(tempDir(), 'keystore.json'));
  keystore.create(PASS, identityPublic(crypto, keys.identity).id, didFromPublicKey(crypto.ed25519.publicKey(keys.deviceSeed)), keys);
  expect(statSync(keystore.path).mode & 0o777).toBe(0o600);
  original = readFileSync(keystore.path, 'utf8');
});

/** A copy of the one keystore made for these tests, in a folder of its own. */
function makeKeystore(): Keystore {
  const keystore = new Keystore(crypto, join(tempDir(), 'keystore.json'));
  writeFileSync(keystore.path, original);
  return keystore;
}

function tamper(keystore: Keystore, kdf: Record<string, unknown>): void {
  const file = JSON.parse(readFileSync(keystore.path, 'utf8')) as { kdf: Record<string, unknown> };
  writeFileSync(keystore.path, JSON.stringify({ ...file, kdf: { ...file.kdf, ...kdf } }));
}

const salt = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

describe('keystore KDF bounds', () => {
  it('the default parameters are inside the bounds; an untouched keystore unlocks', () => {
    expect(128 * DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.r).toBeLessThanOrEqual(SCRYPT_BOUNDS.maxMemory);
    expect(makeKeystore().unlock(PASS).deviceSeed).toHaveLength(32);
  });

  const refused: [string, Record<string, unknown>][] = [
    ['N = 2^34', { N: 2 ** 34 }],
    ['N = 2^22, r = 32 (16 GiB)', { N: 2 ** 22, r: 32 }],
    ['N = 2^20, p = 16 (16 passes over 128 MiB)', { N: 2 ** 20, r: 1, p: 16 }],
    ['N = 2^21, r = 8 (2 GiB)', { N: 2 ** 21, r: 8 }],
    ['N not a power of two', { N: 3000 }],
    ['N as text', { N: '32768' }],
    ['a 1-byte salt', { salt: salt(1) }],
    ['a 1 MiB salt', { salt: salt(1 << 20) }],
    ['a salt that is not base64', { salt: '!!!!not base64 at all!!!!' }],
  ];
  it.each(refused)('%s: refused as a corrupt keystore before scrypt runs (< 1 s)', (_, kdf) => {
    const keystore = makeKeystore();
    tamper(keystore, kdf);
    const started = performance.now();
    expect(() => keystore.unlock(PASS)).toThrow(KeystoreCorruptError);
    expect(() => keystore.ids()).toThrow(expect.objectContaining({ code: 'keystore-corrupt', path: keystore.path }));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a keystore file far larger than one is refused without being parsed', () => {
    const keystore = makeKeystore();
    writeFileSync(keystore.path, ' '.repeat(1 << 20) + readFileSync(keystore.path, 'utf8'));
    expect(() => keystore.ids()).toThrow(KeystoreCorruptError);
  });
});
