// Open Badges 3.0 export at the core: a feat with its attestations becomes an OpenBadgeCredential whose JSON
// has every field the VC 2.0 and OB 3.0.3 models require (checked here against the specifications' lists,
// not against core's own checker), signed with eddsa-jcs-2022 by the holder's did:key and checked
// independently (JCS bytes + node:crypto Ed25519); tampering (a changed name, proofValue, key or evidence) is
// refused with a typed BadgeError; the status reads a lost challenge in the holder's chain as revoked.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { openAttestRequest, signAttestation } from '../src-main/core/feats/claims.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { BADGE_CONTEXTS, checkModel, signBadge, unsignedBadge, verifyBadge, type SignedBadge } from '../src-main/core/badges/badge.ts';
import { hashData } from '../src-main/core/badges/data-integrity.ts';
import { BadgeError } from '../src-main/core/badges/errors.ts';
import { badgeStatus } from '../src-main/core/badges/status.ts';
import { publicKeyFromDid } from '../src-main/core/identity/did.ts';
import { crypto, deps, ownerKeys } from './helpers.ts';

const person = () => {
  const keys = ownerKeys();
  return { keys, id: identityPublic(crypto, keys.identity).id };
};

function setup() {
  const holder = person();
  const store = new MemoryChainStore();
  const profile = Profile.create(deps(store), holder.keys);
  const { claim } = profile.feats.claim({ title: 'Deadlift 200 kg', criteria: 'competition rules, three judges', featType: 'lifting', policy: { kind: 'k-of-n', k: 2 }, evidence: [] });
  const witnesses = [person(), person()];
  for (const w of witnesses) {
    profile.feats.trustAdd(w.id, 'lifting');
    const [request] = profile.feats.requests(claim.cid, [w.id]);
    const seen = openAttestRequest(crypto, request!.envelope, w.id, w.keys.identity.ed25519Seed);
    profile.feats.receive(signAttestation(crypto, w.keys.identity.ed25519Seed, w.id, w.keys.identity.babyJubjubSecret, seen, 'yes', 1_700_000_000_000));
  }
  const attestations = profile.feats.attestations(claim.cid);
  const badge = signBadge(crypto, holder.keys.identity.ed25519Seed, unsignedBadge(crypto, claim, attestations, 1_700_000_100_000), 1_700_000_200_000);
  return { holder, store, profile, claim, witnesses, attestations, badge };
}

const clone = (b: SignedBadge): Record<string, unknown> => JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
const refusal = (doc: Record<string, unknown>): BadgeError => {
  try {
    verifyBadge(crypto, doc);
  } catch (error) {
    if (error instanceof BadgeError) return error;
    throw error;
  }
  throw new Error('the badge was accepted');
};

/** The required properties, as the specifications list them (VC 2.0 §4; OB 3.0.3 appendix B.1). */
const REQUIRED = {
  credential: ['@context', 'id', 'type', 'name', 'credentialSubject', 'issuer', 'validFrom'],
  profile: ['id', 'type'],
  subject: ['type', 'achievement'],
  achievement: ['id', 'type', 'criteria', 'description', 'name'],
  evidence: ['type'],
  proof: ['type', 'cryptosuite', 'verificationMethod', 'proofPurpose', 'proofValue'],
};
/** OB 3.0.3's AchievementSubject allows only its own properties (additionalProperties: false). */
const SUBJECT_PROPERTIES = ['id', 'type', 'activityEndDate', 'activityStartDate', 'creditsEarned', 'achievement', 'identifier', 'image', 'licenseNumber', 'narrative', 'result', 'role', 'source', 'term'];

describe('Open Badges 3.0 export', () => {
  it('follows the VC 2.0 and OB 3.0.3 models: required fields, contexts, types', () => {
    const { badge, holder, claim } = setup();
    const has = (o: object, keys: string[]) => expect(Object.keys(o)).toEqual(expect.arrayContaining(keys));
    has(badge, REQUIRED.credential);
    expect(badge['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(badge.type).toEqual(expect.arrayContaining(['VerifiableCredential', 'OpenBadgeCredential']));
    has(badge.issuer, REQUIRED.profile);
    expect(badge.issuer).toEqual({ id: holder.id, type: ['Profile'] });
    has(badge.credentialSubject, REQUIRED.subject);
    expect(Object.keys(badge.credentialSubject).every((k) => SUBJECT_PROPERTIES.includes(k))).toBe(true);
    expect(badge.credentialSubject.type).toContain('AchievementSubject');
    has(badge.credentialSubject.achievement, REQUIRED.achievement);
    expect(badge.credentialSubject.achievement).toMatchObject({ id: `urn:defaust:feat:${claim.cid}`, type: ['Achievement'], name: 'Deadlift 200 kg', criteria: { narrative: 'competition rules, three judges' } });
    for (const e of badge.evidence) has(e, REQUIRED.evidence);
    expect(badge.evidence.every((e) => e.type.includes('Evidence'))).toBe(true);
    has(badge.proof, REQUIRED.proof);
    expect(badge.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', proofPurpose: 'assertionMethod', verificationMethod: `${holder.id}#${holder.id.slice(8)}`, '@context': [...BADGE_CONTEXTS] });
    expect(badge.validFrom).toBe('2023-11-14T22:15:00Z');
    expect(badge.proof.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u);
    expect(() => checkModel(clone(badge))).not.toThrow();
  });

  it('verifies with DeFaust: issuer, achievement, endorsers', () => {
    const { badge, holder, witnesses, claim } = setup();
    const verified = verifyBadge(crypto, clone(badge));
    expect(verified).toMatchObject({ issuer: holder.id, holder: holder.id, achievement: { name: 'Deadlift 200 kg', featType: 'lifting' }, meetsPolicyByCount: true });
    expect(verified.claim.cid).toBe(claim.cid);
    expect(verified.endorsers.map((e) => e.did).sort()).toEqual(witnesses.map((w) => w.id).sort());
  });

  it('an independent check: JCS bytes hashed and verified with node:crypto Ed25519 from the did:key alone', () => {
    const { badge, holder } = setup();
    const { proof, ...unsigned } = clone(badge) as Record<string, unknown> & { proof: Record<string, unknown> };
    const { proofValue, ...config } = proof;
    const raw = publicKeyFromDid(holder.id);
    const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(raw)]), format: 'der', type: 'spki' });
    expect(nodeVerify(null, hashData(crypto, unsigned, config), key, base58btc.decode(String(proofValue)))).toBe(true);
  });

  it('refuses a changed name, proofValue, key or evidence with a typed error', () => {
    const { badge, holder } = setup();
    const renamed = clone(badge);
    renamed.name = 'Deadlift 250 kg';
    expect(refusal(renamed)).toMatchObject({ code: 'badge/signature' });
    const achievement = clone(badge);
    (achievement.credentialSubject as { achievement: { name: string } }).achievement.name = 'Deadlift 250 kg';
    expect(refusal(achievement)).toMatchObject({ code: 'badge/signature' });
    const value = clone(badge);
    const sig = base58btc.decode((value.proof as { proofValue: string }).proofValue);
    sig[10]! ^= 1;
    (value.proof as { proofValue: string }).proofValue = base58btc.encode(sig);
    expect(refusal(value)).toMatchObject({ code: 'badge/signature' });
    // Signed by someone else, who names themselves as the issuer: the signature holds, the evidence does not.
    const other = person();
    const { proof: _p, ...unsigned } = clone(badge) as Record<string, unknown>;
    const forged = signBadge(crypto, other.keys.identity.ed25519Seed, { ...unsigned, issuer: { id: other.id, type: ['Profile'] } } as never, 1);
    expect(refusal(clone(forged))).toMatchObject({ code: 'badge/evidence', field: 'issuer.id' });
    // Signed by someone else under the holder's name: the proof does not verify with the holder's key.
    const underName = signBadge(crypto, other.keys.identity.ed25519Seed, unsigned as never, 1);
    expect(refusal(clone(underName))).toMatchObject({ code: 'badge/signature' });
    // A verification method that is not the issuer's did:key.
    const method = clone(badge);
    (method.proof as { verificationMethod: string }).verificationMethod = `${other.id}#${other.id.slice(8)}`;
    expect(refusal(method)).toMatchObject({ code: 'badge/key' });
    // A missing required field, and another cryptosuite.
    const nameless = clone(badge);
    delete nameless.name;
    expect(refusal(nameless)).toMatchObject({ code: 'badge/model', field: 'name' });
    const suite = clone(badge);
    (suite.proof as { cryptosuite: string }).cryptosuite = 'eddsa-rdfc-2022';
    expect(refusal(suite)).toMatchObject({ code: 'badge/cryptosuite' });
    expect(holder.id).toMatch(/^did:key:z/u);
  });

  it('refuses a badge whose signed words disagree with the claim, or whose attestation was altered (re-signed by the holder)', () => {
    const { badge, holder } = setup();
    const { proof: _p, ...unsigned } = clone(badge) as Record<string, unknown> & { credentialSubject: { achievement: { name: string } }; evidence: { defaustSignature?: string }[] };
    const words = structuredClone(unsigned);
    words.credentialSubject.achievement.name = 'Deadlift 300 kg';
    expect(refusal(clone(signBadge(crypto, holder.keys.identity.ed25519Seed, words as never, 1)))).toMatchObject({ code: 'badge/evidence', field: 'credentialSubject.achievement.name' });
    const sig = structuredClone(unsigned);
    const att = sig.evidence[1]!;
    att.defaustSignature = sig.evidence[2]!.defaustSignature!;
    expect(refusal(clone(signBadge(crypto, holder.keys.identity.ed25519Seed, sig as never, 1)))).toMatchObject({ code: 'badge/evidence' });
  });

  it('any change to any text in the signed credential is refused (property)', () => {
    const { badge } = setup();
    const paths: string[][] = [['name'], ['description'], ['validFrom'], ['id'], ['credentialSubject', 'achievement', 'description'], ['credentialStatus', 'id'], ['proof', 'created']];
    fc.assert(fc.property(fc.constantFrom(...paths), fc.string({ minLength: 1, maxLength: 8 }), (path, suffix) => {
      const doc = clone(badge);
      let at = doc as Record<string, unknown>;
      for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
      at[path.at(-1)!] = String(at[path.at(-1)!]) + suffix;
      expect(() => verifyBadge(crypto, doc)).toThrow(BadgeError);
    }), { numRuns: 40 });
  });

  it('status: unknown without the holder chain, not revoked with it, revoked once a lost challenge names the claim', () => {
    const { store, profile, claim, holder } = setup();
    expect(badgeStatus(crypto, holder.id, claim.cid, [], null)).toEqual({ state: 'unknown' });
    expect(badgeStatus(crypto, holder.id, claim.cid, [], new MemoryChainStore())).toEqual({ state: 'unknown' });
    expect(badgeStatus(crypto, holder.id, claim.cid, [], store)).toMatchObject({ state: 'not-revoked' });
    profile.social.recordChallenge('bafy-challenge', 'lost', [], claim.cid);
    expect(badgeStatus(crypto, holder.id, claim.cid, [], store)).toEqual({ state: 'revoked', challenge: 'bafy-challenge', source: 'chain' });
  });
});
