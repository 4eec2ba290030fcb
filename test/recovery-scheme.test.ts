// Recovery by friends, the scheme (core/recovery/scheme.ts) and the custody table (migration 014): any k of n
// shares rebuild the phrase and any k − 1 do not; altered, foreign, mixed and duplicate shares are typed
// refusals; the custody store keeps a share once.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqliteCustodyStore } from '../src-main/adapters/db/custody-store.ts';
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { migrate } from '../src-main/adapters/db/migrations/index.ts';
import { identityPublic, deriveIdentitySecrets, newMnemonic } from '../src-main/core/identity/keys.ts';
import { BadShareError, BadSplitError, NotEnoughSharesError, RebuildFailedError } from '../src-main/core/recovery/errors.ts';
import { didOfSeed, openShare, openWithParts, rebuildPhrase, releaseTo, RELEASE_FORMAT, SHARE_FORMAT, splitPhrase, type Share } from '../src-main/core/recovery/scheme.ts';
import { decodeCanonical, encode } from '../src-main/core/chain/codec.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import { crypto } from './helpers.ts';

const N = 5;
const owner = (() => {
  const mnemonic = newMnemonic(crypto.randomBytes);
  const secrets = deriveIdentitySecrets(crypto, mnemonic);
  return { mnemonic, seed: secrets.ed25519Seed, id: identityPublic(crypto, secrets).id };
})();
const custodianSeeds = Array.from({ length: N }, () => crypto.randomBytes(32));
const custodians = custodianSeeds.map((seed) => didOfSeed(crypto, seed));

async function makeSet(k: number): Promise<Share[]> {
  const made = await splitPhrase(crypto, { owner: owner.id, ownerSeed: owner.seed, mnemonic: owner.mnemonic, custodians, k, ts: 1 });
  return made.shares.map((s, i) => openShare(crypto, s.envelope, SHARE_FORMAT, custodians[i]!, custodianSeeds[i]!));
}

/** A subset of 0..n−1 of exactly `size` distinct indices, in any order. */
const subset = (size: number) => fc.shuffledSubarray([...Array(N).keys()], { minLength: size, maxLength: size });

describe('recovery scheme', () => {
  it('any k of n shares open the entropy; any k − 1 do not (the AEAD tag catches the wrong key)', async () => {
    const sets = new Map<number, Share[]>();
    for (let k = 2; k <= N; k++) sets.set(k, await makeSet(k));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: N }).chain((k) => fc.tuple(fc.constant(k), subset(k), subset(k - 1))), async ([k, enough, fewer]) => {
        const shares = sets.get(k)!;
        const rebuilt = await rebuildPhrase(crypto, enough.map((i) => shares[i]!));
        expect(rebuilt).toEqual({ owner: owner.id, mnemonic: owner.mnemonic });
        expect(await openWithParts(crypto, fewer.map((i) => shares[i]!.part), shares[0]!)).toBeNull();
        await expect(rebuildPhrase(crypto, fewer.map((i) => shares[i]!))).rejects.toBeInstanceOf(NotEnoughSharesError);
      }),
      { numRuns: 40, seed: 15 },
    );
  });

  it('a share altered by its custodian fails the owner signature; a part altered under a valid signature fails the AEAD', async () => {
    const shares = await makeSet(3);
    const signed = shares[0]!.signed;
    const payload = decodeCanonical(signed.payload) as Record<string, unknown>;
    const part = new Uint8Array(payload.part as Uint8Array);
    part[3]! ^= 1;
    const altered = { payload: encode({ ...payload, part }), sig: signed.sig };
    const temp = crypto.randomBytes(32);
    const tempId = didOfSeed(crypto, temp);
    const forged = sealEnvelope(crypto, RELEASE_FORMAT, tempId, altered);
    expect(() => openShare(crypto, forged, RELEASE_FORMAT, tempId, temp)).toThrow(expect.objectContaining({ code: 'bad-share', problem: 'forged' }));
    // A signature cannot be bypassed here, so exercise the second guard directly: a wrong part under the set's header.
    const wrong = shares.slice(0, 3).map((s, i) => (i === 0 ? { ...s, part } : s));
    await expect(rebuildPhrase(crypto, wrong)).rejects.toBeInstanceOf(RebuildFailedError);
  });

  it('a release opens only with the temporary key it was sealed to, and bytes flipped in transit are refused', async () => {
    const [share] = await makeSet(2);
    const temp = crypto.randomBytes(32);
    const tempId = didOfSeed(crypto, temp);
    const released = releaseTo(crypto, share!, tempId);
    expect(openShare(crypto, released, RELEASE_FORMAT, tempId, temp).index).toBe(1);
    const other = crypto.randomBytes(32);
    expect(() => openShare(crypto, released, RELEASE_FORMAT, didOfSeed(crypto, other), other)).toThrow(expect.objectContaining({ problem: 'not-for-me' }));
    const flipped = new Uint8Array(released);
    flipped[flipped.length - 5]! ^= 0x40;
    expect(() => openShare(crypto, flipped, RELEASE_FORMAT, tempId, temp)).toThrow(BadShareError);
    expect(() => openShare(crypto, released, SHARE_FORMAT, tempId, temp)).toThrow(expect.objectContaining({ problem: 'undecodable' }));
  });

  it('refuses mixed sets, a share given twice, a bad split and a phrase that is not the owner’s', async () => {
    const a = await makeSet(2);
    const b = await makeSet(2);
    await expect(rebuildPhrase(crypto, [a[0]!, b[1]!])).rejects.toMatchObject({ problem: 'mixed-sets' });
    await expect(rebuildPhrase(crypto, [a[0]!, a[0]!])).rejects.toMatchObject({ problem: 'duplicate' });
    const split = (over: Partial<Parameters<typeof splitPhrase>[1]>) =>
      splitPhrase(crypto, { owner: owner.id, ownerSeed: owner.seed, mnemonic: owner.mnemonic, custodians, k: 2, ts: 1, ...over });
    await expect(split({ k: 1 })).rejects.toBeInstanceOf(BadSplitError);
    await expect(split({ k: N + 1 })).rejects.toBeInstanceOf(BadSplitError);
    await expect(split({ custodians: [custodians[0]!, custodians[0]!] })).rejects.toBeInstanceOf(BadSplitError);
    await expect(split({ custodians: [custodians[0]!, owner.id] })).rejects.toBeInstanceOf(BadSplitError);
    await expect(split({ mnemonic: newMnemonic(crypto.randomBytes) })).rejects.toBeInstanceOf(BadSplitError);
  });
});

describe('migration 014 custody', () => {
  it('creates the custody table; a share is kept once per holder, owner and set, newest first', () => {
    const db = new Database(':memory:');
    migrate(db);
    const store = new SqliteCustodyStore(new SqliteChainStore(db).database);
    const held = { holder: 'did:key:h', owner: 'did:key:o', set: 's1', k: 2, n: 3, index: 1, madeAt: 10, receivedAt: 20, envelope: new Uint8Array([1, 2]) };
    expect(store.put(held)).toBe(true);
    expect(store.put({ ...held, envelope: new Uint8Array([9]) })).toBe(false);
    expect(store.put({ ...held, set: 's2', madeAt: 30 })).toBe(true);
    expect(store.list('did:key:h').map((s) => [s.set, [...s.envelope]])).toEqual([['s2', [1, 2]], ['s1', [1, 2]]]);
    expect(store.list('did:key:other')).toEqual([]);
  });
});
