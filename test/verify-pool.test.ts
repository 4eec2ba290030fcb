// The verify pool (adapters/crypto/verify-pool.ts): real worker threads give the port's own Ed25519 verdicts
// (Wycheproof, small-order keys included, signatures of odd sizes), in order, and stop cleanly; the Ed25519
// key cache never answers for a key array changed in place.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { VerifyPool } from '../src-main/adapters/crypto/verify-pool.ts';
import { fromHex } from '../src-main/core/bytes.ts';
import { SignatureWorkerError } from '../src-main/core/crypto/errors.ts';
import type { SignatureCheck } from '../src-main/core/crypto/port.ts';
import { crypto } from './helpers.ts';

const pool = new VerifyPool(crypto.ed25519, { size: 2, minParallel: 2 });
afterAll(() => pool.close());

describe('the verify pool', () => {
  const suite = JSON.parse(readFileSync(new URL('./vectors/wycheproof-ed25519_test.json', import.meta.url), 'utf8'));
  const checks: SignatureCheck[] = suite.testGroups.flatMap((g: { publicKey: { pk: string }; tests: { msg: string; sig: string }[] }) =>
    g.tests.map((t) => ({ publicKey: fromHex(g.publicKey.pk), message: fromHex(t.msg), signature: fromHex(t.sig) })));

  it('answers every Wycheproof check as the port does, in order, from worker threads', async () => {
    const packable = checks.filter((c) => c.signature.length === 64);
    expect(packable.length).toBeGreaterThan(100);
    const want = packable.map((c) => crypto.ed25519.verify(c.publicKey, c.message, c.signature));
    expect(want).toContain(true);
    expect(want).toContain(false);
    expect(await pool.verifyAll(packable)).toEqual(want);
  });

  it('batches started back to back share the workers and each gets its own verdicts, in order', async () => {
    const packable = checks.filter((c) => c.signature.length === 64);
    const mixes = [packable.slice(0, 150), packable.slice(150, 200).reverse(), packable.slice(40, 300)];
    const answers = await Promise.all(mixes.map((mix) => pool.verifyAll(mix)));
    answers.forEach((answer, i) => expect(answer).toEqual(mixes[i]!.map((c) => crypto.ed25519.verify(c.publicKey, c.message, c.signature))));
  });

  it('refuses a small-order key in a worker as the port does', async () => {
    const identity = new Uint8Array(32);
    identity[0] = 1; // the neutral point: every signature (R = identity, S = 0) would verify under OpenSSL
    const forged = { publicKey: identity, message: new Uint8Array([1, 2, 3]), signature: Uint8Array.of(1, ...new Uint8Array(63)) };
    expect(await pool.verifyAll([forged, forged, forged])).toEqual([false, false, false]);
  });

  it('a batch with a signature of another length is answered on the calling thread, the same way', async () => {
    const odd = checks.filter((c) => c.signature.length !== 64).slice(0, 3);
    expect(odd.length).toBeGreaterThan(0);
    expect(await pool.verifyAll([...odd, checks[0]!])).toEqual([...odd, checks[0]!].map((c) => crypto.ed25519.verify(c.publicKey, c.message, c.signature)));
  });

  it('a closed pool rejects the batch in flight (chunks held and queued) with SignatureWorkerError, and the next batch starts new workers', async () => {
    const own = new VerifyPool(crypto.ed25519, { size: 1, minParallel: 2 });
    const many = Array.from({ length: 2000 }, () => checks[0]!);
    const refused = expect(own.verifyAll(many)).rejects.toBeInstanceOf(SignatureWorkerError);
    await own.close();
    await refused;
    expect(await own.verifyAll(many.slice(0, 4))).toEqual(many.slice(0, 4).map(() => crypto.ed25519.verify(checks[0]!.publicKey, checks[0]!.message, checks[0]!.signature)));
    await own.close();
  });
});

describe('the Ed25519 key cache', () => {
  it('a key array changed in place after a verify is read again, not taken from the cache', () => {
    const [a, b] = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    const message = new Uint8Array([7, 7, 7]);
    const signature = crypto.ed25519.sign(a, message);
    const key = crypto.ed25519.publicKey(a);
    expect(crypto.ed25519.verify(key, message, signature)).toBe(true);
    key.set(crypto.ed25519.publicKey(b));
    expect(crypto.ed25519.verify(key, message, signature)).toBe(false);
    expect(crypto.ed25519.verify(key, message, crypto.ed25519.sign(b, message))).toBe(true);
  });

  it('keys taken turn about, each a fresh view into one packed buffer (as a worker gets them), answer as their own', () => {
    const seeds = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));
    const message = new Uint8Array([1, 2, 3]);
    const packed = new Uint8Array(96);
    seeds.forEach((seed, i) => packed.set(crypto.ed25519.publicKey(seed), i * 32));
    const signatures = seeds.map((seed) => crypto.ed25519.sign(seed, message));
    const picks = [0, 0, 1, 0, 2, 2, 1, 1, 0, 2];
    for (const [i, signer] of picks.entries()) {
      const claimed = picks[(i + 1) % picks.length]!;
      const key = packed.subarray(claimed * 32, claimed * 32 + 32);
      expect(crypto.ed25519.verify(key, message, signatures[signer]!)).toBe(signer === claimed);
    }
  });
});
