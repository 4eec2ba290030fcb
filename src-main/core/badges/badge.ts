// A feat as an Open Badges 3.0 `OpenBadgeCredential` (a W3C Verifiable Credential, data model 2.0), issued
// by the holder with an eddsa-jcs-2022 Data Integrity proof of the holder's did:key (decision 0007). The
// witnesses' yes-attestations travel as `evidence`: each one's DeFaust bytes and Ed25519 signature, which any
// DeFaust checks without trusting the holder; the claim document travels too, so the achievement's words are
// checked against what the witnesses signed. `credentialStatus` names the claim: a lost challenge refutes it
// (status.ts). Pure: the clock and the keys come from the caller.
import { base64url } from 'multiformats/bases/base64';
import type { Crypto } from '../crypto/port.ts';
import { cidOf } from '../chain/codec.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { checkAttestation, FeatError, readClaim, type ClaimRecord, type Policy, type SignedAttestation } from '../feats/claims.ts';
import { MAX_BADGE_BYTES } from '../../../src-shared/rules/badges.ts';
import { addProof, verifyProof, type DataIntegrityProof } from './data-integrity.ts';
import { BadgeError } from './errors.ts';

/** VC 2.0's base context first (VC 2.0 §4.3), then Open Badges 3.0.3's. */
export const BADGE_CONTEXTS = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'] as const;
export const BADGE_TYPES = ['VerifiableCredential', 'OpenBadgeCredential'] as const;
/** The credentialStatus type: refutation of the claim by a lost DeFaust challenge, checked by `badge verify`. */
export const STATUS_TYPE = 'DefaustRefutationStatus';
const CLAIM_EVIDENCE = 'DefaustFeatClaim';
const ATTESTATION_EVIDENCE = 'DefaustAttestation';

type Json = Record<string, unknown>;

export interface Evidence {
  id: string;
  type: string[];
  name: string;
  narrative: string;
  /** multibase base64url of the canonical DAG-CBOR bytes: the claim, or an attestation. */
  defaustDocument: string;
  /** An attestation's Ed25519 signature by its witness, multibase base64url. */
  defaustSignature?: string;
}

/** The credential without its proof: what the holder signs (and what the SignDialog shows). */
export interface UnsignedBadge {
  '@context': string[];
  id: string;
  type: string[];
  name: string;
  description: string;
  issuer: { id: Did; type: string[] };
  validFrom: string;
  credentialSubject: {
    id: Did;
    type: string[];
    achievement: { id: string; type: string[]; name: string; description: string; criteria: { narrative: string }; tag: string[] };
  };
  evidence: Evidence[];
  credentialStatus: { id: string; type: string; statusPurpose: 'revocation'; defaustClaim: string };
  [more: string]: unknown;
}

export type SignedBadge = UnsignedBadge & { proof: DataIntegrityProof };

/** An XML Schema dateTime in UTC, to the second (VC 2.0 §4.9). */
export function dateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const policyWords = (policy: Policy): string => (policy.kind === 'authority' ? 'one authority' : `${policy.k} witness${policy.k === 1 ? '' : 'es'}`);

/** The did:key verification method of `did` (`did:key:z…#z…`). */
export const verificationMethodOf = (did: Did): string => `${did}#${did.slice('did:key:'.length)}`;

/**
 * The unsigned credential for `claim` with its yes-attestations, dated `validFrom` (ms). Only yes-verdicts of
 * distinct witnesses about this claim are carried; others are refused, so nothing half-right is signed.
 */
export function unsignedBadge(crypto: Crypto, claim: ClaimRecord, attestations: readonly SignedAttestation[], validFrom: number): UnsignedBadge {
  const holder = claim.claim.holder;
  const seen = new Set<Did>();
  for (const { attestation: a } of attestations) {
    if (a.verdict !== 'yes' || a.claim !== claim.cid || a.claimHash !== claim.hash.toString() || a.subject !== holder || seen.has(a.witness)) {
      throw new BadgeError('evidence', `the attestation by ${a.witness} is not a distinct yes for this claim`, 'evidence');
    }
    seen.add(a.witness);
  }
  const c = claim.claim;
  const description = `${c.title}: a feat of kind ${c.featType} claimed in DeFaust, to be confirmed by ${policyWords(c.policy)}; ` +
    `${attestations.length} witness${attestations.length === 1 ? '' : 'es'} signed yes. The witnesses' signatures are carried as evidence.`;
  return {
    '@context': [...BADGE_CONTEXTS],
    id: `urn:defaust:badge:${claim.cid}`,
    type: [...BADGE_TYPES],
    name: c.title,
    description,
    issuer: { id: holder, type: ['Profile'] },
    validFrom: dateTime(validFrom),
    credentialSubject: {
      id: holder,
      type: ['AchievementSubject'],
      achievement: { id: `urn:defaust:feat:${claim.cid}`, type: ['Achievement'], name: c.title, description, criteria: { narrative: c.criteria || c.title }, tag: [c.featType] },
    },
    evidence: [
      { id: `urn:defaust:claim:${claim.cid}`, type: ['Evidence', CLAIM_EVIDENCE], name: 'The DeFaust claim', narrative: 'The claim document the witnesses signed, canonical DAG-CBOR.', defaustDocument: base64url.encode(claim.bytes) },
      ...attestations.map(({ attestation: a, bytes, sig }): Evidence => ({
        id: `urn:defaust:attestation:${cidOf(crypto.sha256, bytes).toString()}`,
        type: ['Evidence', ATTESTATION_EVIDENCE],
        name: `Attestation by ${a.witness}`,
        narrative: `${a.witness} signed yes on ${dateTime(a.ts)} (DeFaust attestation, Ed25519).`,
        defaustDocument: base64url.encode(bytes),
        defaustSignature: base64url.encode(sig),
      })),
    ],
    credentialStatus: { id: `urn:defaust:status:${claim.cid}`, type: STATUS_TYPE, statusPurpose: 'revocation', defaustClaim: claim.cid },
  };
}

/** Signs `badge` with the holder's identity seed: eddsa-jcs-2022, verification method the holder's did:key. */
export function signBadge(crypto: Crypto, seed: Uint8Array, badge: UnsignedBadge, created: number): SignedBadge {
  return addProof(crypto, seed, badge, { created: dateTime(created), verificationMethod: verificationMethodOf(badge.issuer.id), proofPurpose: 'assertionMethod' });
}

/** What a badge verified offline says. Endorsers are the witnesses whose yes-attestation verified. */
export interface VerifiedBadge {
  id: string;
  issuer: Did;
  holder: Did;
  validFrom: string;
  created: string;
  achievement: { id: string; name: string; description: string; criteria: string; featType: string };
  claim: ClaimRecord;
  policy: Policy;
  endorsers: { did: Did; ts: number }[];
  /** The endorsers meet the claim's policy by count (whether the verifier trusts them is the verifier's matter). */
  meetsPolicyByCount: boolean;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const typesOf = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) && v.every((t) => typeof t === 'string') ? (v as string[]) : []);
const model = (field: string, what: string): BadgeError => new BadgeError('model', `${field} ${what}`, field);

function needString(o: Json, key: string, at: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw model(`${at}${key}`, 'is missing or not a text');
  return v;
}

function needObject(o: Json, key: string, at: string): Json {
  const v = o[key];
  if (!isObject(v)) throw model(`${at}${key}`, 'is missing or not an object');
  return v;
}

function needType(o: Json, type: string, at: string): void {
  if (!typesOf(o.type).includes(type)) throw model(`${at}type`, `does not include ${type}`);
}

const XSD_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/u;

/**
 * The fields the VC 2.0 and Open Badges 3.0.3 models require of an OpenBadgeCredential (VC 2.0 §4; OB 3.0
 * §B.1.1 OpenBadgeCredential, AchievementSubject, Achievement, Criteria, Profile, Evidence); throws BadgeError
 * `model` naming the first field that is not right.
 */
export function checkModel(doc: Json): void {
  const ctx = doc['@context'];
  if (!Array.isArray(ctx) || ctx[0] !== BADGE_CONTEXTS[0]) throw model('@context', `must be a list starting with ${BADGE_CONTEXTS[0]}`);
  if (!ctx.some((c) => typeof c === 'string' && c.startsWith('https://purl.imsglobal.org/spec/ob/v3p0/context'))) throw model('@context', 'does not include the Open Badges 3.0 context');
  needString(doc, 'id', '');
  needType(doc, 'VerifiableCredential', '');
  if (!typesOf(doc.type).some((t) => t === 'OpenBadgeCredential' || t === 'AchievementCredential')) throw model('type', 'does not include OpenBadgeCredential');
  needString(doc, 'name', '');
  const validFrom = needString(doc, 'validFrom', '');
  if (!XSD_DATE_TIME.test(validFrom) || Number.isNaN(Date.parse(validFrom))) throw model('validFrom', 'is not a date and time');
  const issuer = needObject(doc, 'issuer', '');
  needString(issuer, 'id', 'issuer.');
  needType(issuer, 'Profile', 'issuer.');
  const subject = needObject(doc, 'credentialSubject', '');
  needType(subject, 'AchievementSubject', 'credentialSubject.');
  if (typeof subject.id !== 'string' && !Array.isArray(subject.identifier)) throw model('credentialSubject.id', 'is missing (and no identifier is given)');
  const achievement = needObject(subject, 'achievement', 'credentialSubject.');
  for (const key of ['id', 'name', 'description']) needString(achievement, key, 'credentialSubject.achievement.');
  needType(achievement, 'Achievement', 'credentialSubject.achievement.');
  const criteria = needObject(achievement, 'criteria', 'credentialSubject.achievement.');
  if (typeof criteria.id !== 'string' && typeof criteria.narrative !== 'string') throw model('credentialSubject.achievement.criteria', 'has neither an id nor a narrative');
  if (doc.evidence !== undefined) {
    if (!Array.isArray(doc.evidence)) throw model('evidence', 'is not a list');
    doc.evidence.forEach((e, i) => {
      if (!isObject(e)) throw model(`evidence.${i}`, 'is not an object');
      needType(e, 'Evidence', `evidence.${i}.`);
    });
  }
  if (doc.credentialStatus !== undefined) {
    const status = needObject(doc, 'credentialStatus', '');
    needString(status, 'type', 'credentialStatus.');
  }
}

function decodeBase64url(text: unknown, field: string): Uint8Array {
  try {
    if (typeof text !== 'string') throw new Error('not text');
    return base64url.decode(text);
  } catch {
    throw new BadgeError('evidence', `${field} is not multibase base64url`, field);
  }
}

/** Reads a badge file's text as JSON, within the size cap. */
export function parseBadge(text: string): Json {
  if (text.length > MAX_BADGE_BYTES) throw new BadgeError('too-large', `this file of ${text.length} characters is larger than a badge may be (${MAX_BADGE_BYTES})`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new BadgeError('not-json', 'this file is not JSON, so it is not an Open Badge');
  }
  if (!isObject(doc)) throw new BadgeError('not-json', 'this file is not a JSON object, so it is not an Open Badge');
  return doc;
}

/**
 * Verifies a badge offline: the VC 2.0 / OB 3.0 model, the eddsa-jcs-2022 proof by the issuer's did:key, and
 * the DeFaust evidence (the claim matches the achievement and names the issuer as holder; every attestation
 * verifies and is a yes of a distinct witness on this claim). Status is not checked here (status.ts).
 */
export function verifyBadge(crypto: Crypto, doc: Json): VerifiedBadge {
  checkModel(doc);
  const issuer = (doc.issuer as Json).id as string;
  if (!isDid(issuer)) throw new BadgeError('key', `the issuer ${issuer} is not a did:key DeFaust can check`, 'issuer.id');
  const proof = verifyProof(crypto, doc, (vm) => (vm === verificationMethodOf(issuer) ? publicKeyFromDid(issuer) : null));
  const subject = doc.credentialSubject as Json;
  const achievement = subject.achievement as Json;
  const evidence = (doc.evidence ?? []) as Json[];
  const claimItems = evidence.filter((e) => typesOf(e.type).includes(CLAIM_EVIDENCE));
  if (claimItems.length !== 1) throw new BadgeError('evidence', 'the badge does not carry exactly one DeFaust claim', 'evidence');
  let claim: ClaimRecord;
  try {
    claim = readClaim(crypto, decodeBase64url(claimItems[0]!.defaustDocument, 'evidence.defaustDocument'));
  } catch (error) {
    if (error instanceof FeatError) throw new BadgeError('evidence', 'the DeFaust claim it carries is malformed', 'evidence');
    throw error;
  }
  const c = claim.claim;
  const mismatch = c.holder !== issuer ? 'issuer.id' : subject.id !== c.holder ? 'credentialSubject.id'
    : achievement.id !== `urn:defaust:feat:${claim.cid}` ? 'credentialSubject.achievement.id'
    : achievement.name !== c.title ? 'credentialSubject.achievement.name'
    : (achievement.criteria as Json).narrative !== (c.criteria || c.title) ? 'credentialSubject.achievement.criteria.narrative' : null;
  if (mismatch !== null) throw new BadgeError('evidence', `${mismatch} does not match the DeFaust claim the witnesses signed`, mismatch);
  const endorsers: { did: Did; ts: number }[] = [];
  for (const item of evidence.filter((e) => typesOf(e.type).includes(ATTESTATION_EVIDENCE))) {
    let signed: SignedAttestation;
    try {
      signed = checkAttestation(crypto, decodeBase64url(item.defaustDocument, 'evidence.defaustDocument'), decodeBase64url(item.defaustSignature, 'evidence.defaustSignature'));
    } catch (error) {
      if (error instanceof FeatError) throw new BadgeError('evidence', `an attestation it carries does not verify (${error.message})`, 'evidence');
      throw error;
    }
    const a = signed.attestation;
    if (a.verdict !== 'yes' || a.claim !== claim.cid || a.claimHash !== claim.hash.toString() || a.subject !== c.holder || endorsers.some((e) => e.did === a.witness)) {
      throw new BadgeError('evidence', `the attestation by ${a.witness} is not a distinct yes on this claim`, 'evidence');
    }
    endorsers.push({ did: a.witness, ts: a.ts });
  }
  const status = doc.credentialStatus as Json | undefined;
  if (status !== undefined && status.type === STATUS_TYPE && status.defaustClaim !== claim.cid) throw new BadgeError('evidence', 'credentialStatus names another claim', 'credentialStatus.defaustClaim');
  const need = c.policy.kind === 'authority' ? 1 : c.policy.k;
  return {
    id: doc.id as string, issuer, holder: c.holder, validFrom: doc.validFrom as string, created: proof.created,
    achievement: { id: achievement.id as string, name: c.title, description: achievement.description as string, criteria: c.criteria, featType: c.featType },
    claim, policy: c.policy, endorsers, meetsPolicyByCount: endorsers.length >= need,
  };
}
