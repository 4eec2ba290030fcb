// Issuer-bound attribute credentials: an issuer (a doctor, a trainer, a registry) signs with EdDSA-Poseidon
// the commitment Poseidon(holderAx, holderAy, fieldTag, value, salt) for one holder. The credential document
// carries the value and salt (private: it goes to the holder only) and the issuer's signed genesis header, so
// the holder can check the signature on import. A verifier never reads a credential: it checks a proof over
// it (AttributeIssued) against the issuers it trusts.
import { base64 } from 'multiformats/bases/base64';
import { poseidon5 } from 'poseidon-lite';
import { utf8 } from '../bytes.ts';
import { decodeHeader, signatureValid } from '../chain/header.ts';
import { genesisMeta } from '../chain/meta.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { isDid, type Did } from '../identity/did.ts';
import { bytesToField } from '../identity/keys.ts';
import { digestToField, FIELD_MODULUS } from '../zk/field.ts';
import { FEAT_TYPE } from '../../../src-shared/rules/feat-type.ts';

export const CREDENTIAL_FORMAT = 'defaust/attribute-credential';

/** A credential's values are whole numbers below 2^64 (the circuits range-check 64 bits). */
export const ATTRIBUTE_VALUE_BITS = 64;

/** A credential document too damaged, foreign or forged to use; `reason` says which check failed. */
export class CredentialError extends DefaustError {
  override name = 'CredentialError';
  readonly reason: 'format' | 'field' | 'value' | 'issuer' | 'holder' | 'signature';
  constructor(reason: CredentialError['reason'], message: string) {
    super(`attribute/${reason}`, message);
    this.reason = reason;
  }
}

/** An attribute credential as it travels (a JSON file): what the issuer signed, and for whom. */
export interface AttributeCredential {
  format: typeof CREDENTIAL_FORMAT;
  v: 1;
  issuer: Did;
  holder: Did;
  /** The field's tag, e.g. "age" or "blood-group". */
  field: string;
  /** The value (decimal), private to the holder. */
  value: string;
  /** The commitment's blinding (decimal field element). */
  salt: string;
  /** When the issuer signed (ms), informative: it is not part of the commitment. */
  issuedAt: number;
  signature: { R8x: string; R8y: string; S: string };
  /** The issuer's genesis header, base64 of its canonical bytes: the key the signature verifies under. */
  issuerGenesis: string;
}

const DECIMAL = /^\d{1,78}$/u;

/** The rule a field tag follows, in words: a tag is named like a feat type, since issuer lists are scoped by it. */
export const FIELD_TAG_RULE = 'a field tag is 1–40 lower-case letters, digits or - (such as age or blood-group)';

/** Throws unless `field` is a tag (FEAT_TYPE's pattern: an authority's list of issuers for it is a trust list for that type). */
export function checkFieldTag(field: string): void {
  if (!FEAT_TYPE.test(field)) throw new CredentialError('field', `${FIELD_TAG_RULE}, not ${JSON.stringify(field)}`);
}

/** The field element a field tag stands for in the commitment and the proof. */
export function attributeFieldTag(crypto: Crypto, field: string): bigint {
  checkFieldTag(field);
  return digestToField(crypto.sha256(utf8(`defaust/attribute/v1|${field}`)));
}

/** Parses a whole number of 0 or more below 2^64 (a credential's value). */
export function attributeValue(text: string): bigint {
  if (!/^\d{1,20}$/u.test(text) || BigInt(text) >= 1n << BigInt(ATTRIBUTE_VALUE_BITS)) throw new CredentialError('value', `an attribute value is a whole number of 0 or more below 2^${ATTRIBUTE_VALUE_BITS}, not ${JSON.stringify(text)}`);
  return BigInt(text);
}

/** The commitment the issuer signs: Poseidon(holderAx, holderAy, fieldTag, value, salt). */
export function attributeCommitment(holder: readonly [Uint8Array, Uint8Array], fieldTag: bigint, value: bigint, salt: bigint): bigint {
  return poseidon5([bytesToField(holder[0]), bytesToField(holder[1]), fieldTag, value, salt]);
}

/** The Baby Jubjub key a did publishes in `genesisBytes`, after checking the header is that did's genesis, signed by it. */
export function genesisKeyOf(crypto: Crypto, did: Did, genesisBytes: Uint8Array, who: 'issuer' | 'holder'): [Uint8Array, Uint8Array] {
  let header;
  try {
    header = decodeHeader(crypto, genesisBytes).header;
  } catch {
    throw new CredentialError(who, `the ${who}'s genesis header is damaged`);
  }
  if (header.kind !== 'genesis' || header.id !== did || header.author !== did || !signatureValid(crypto, header)) throw new CredentialError(who, `the genesis header is not ${did}'s`);
  return genesisMeta(header).babyJubjub;
}

/** What an issuer needs to sign a credential; `salt` is a random field element. */
export interface CredentialTerms {
  issuer: Did;
  issuerGenesis: Uint8Array;
  holder: Did;
  holderKey: readonly [Uint8Array, Uint8Array];
  field: string;
  value: bigint;
  salt: bigint;
  issuedAt: number;
}

/** What the issuer's signature covers, in words: shown before signing, exactly. */
export function signedStatement(terms: Pick<CredentialTerms, 'holder' | 'field' | 'value'>): string {
  return `${terms.holder}'s ${terms.field} is ${terms.value}`;
}

/** Signs `terms` with the issuer's Baby Jubjub secret: the credential to hand to the holder. */
export function issueCredential(crypto: Crypto, issuerSecret: Uint8Array, terms: CredentialTerms): AttributeCredential {
  const fieldTag = attributeFieldTag(crypto, terms.field);
  if (terms.value < 0n || terms.value >= 1n << BigInt(ATTRIBUTE_VALUE_BITS)) throw new CredentialError('value', `an attribute value is a whole number below 2^${ATTRIBUTE_VALUE_BITS}`);
  const signature = crypto.babyJubjub.sign(issuerSecret, attributeCommitment(terms.holderKey, fieldTag, terms.value, terms.salt));
  return {
    format: CREDENTIAL_FORMAT, v: 1, issuer: terms.issuer, holder: terms.holder, field: terms.field, value: terms.value.toString(), salt: terms.salt.toString(), issuedAt: terms.issuedAt,
    signature: { R8x: signature.R8x.toString(), R8y: signature.R8y.toString(), S: signature.S.toString() },
    issuerGenesis: base64.baseEncode(terms.issuerGenesis),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fieldElement = (v: unknown): v is string => typeof v === 'string' && DECIMAL.test(v) && BigInt(v) < FIELD_MODULUS;

/** Decodes a credential document's shape (no signature check): a CredentialError names what is wrong. */
export function decodeCredential(text: string): AttributeCredential {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CredentialError('format', 'this is not an attribute credential (not JSON)');
  }
  if (!isRecord(value) || value.format !== CREDENTIAL_FORMAT) throw new CredentialError('format', 'this is not a DeFaust attribute credential');
  if (value.v !== 1) throw new CredentialError('format', `attribute credential version ${JSON.stringify(value.v)} is not known here (this DeFaust reads version 1)`);
  const sig = value.signature;
  if (!isDid(value.issuer) || !isDid(value.holder) || typeof value.field !== 'string' || typeof value.value !== 'string' || !fieldElement(value.salt)
    || !Number.isSafeInteger(value.issuedAt) || typeof value.issuerGenesis !== 'string' || !isRecord(sig) || !fieldElement(sig.R8x) || !fieldElement(sig.R8y) || !fieldElement(sig.S)) {
    throw new CredentialError('format', 'the attribute credential is malformed');
  }
  checkFieldTag(value.field);
  attributeValue(value.value);
  const { format, v, issuer, holder, field, salt, issuedAt, issuerGenesis } = value;
  return { format, v, issuer, holder, field, value: value.value, salt, issuedAt: issuedAt as number, signature: { R8x: sig.R8x, R8y: sig.R8y, S: sig.S }, issuerGenesis } as AttributeCredential;
}

/**
 * The holder's check on import: the credential is for `holder` (whose key is `holderKey`), the issuer's
 * genesis is the issuer's, and the issuer's signature verifies over the commitment. Returns the issuer's key.
 */
export function checkCredential(crypto: Crypto, credential: AttributeCredential, holder: Did, holderKey: readonly [Uint8Array, Uint8Array]): [Uint8Array, Uint8Array] {
  if (credential.holder !== holder) throw new CredentialError('holder', `the credential was issued to ${credential.holder}, not to ${holder}`);
  let genesis: Uint8Array;
  try {
    genesis = base64.baseDecode(credential.issuerGenesis);
  } catch {
    throw new CredentialError('issuer', "the issuer's genesis header is damaged");
  }
  const issuerKey = genesisKeyOf(crypto, credential.issuer, genesis, 'issuer');
  const commitment = attributeCommitment(holderKey, attributeFieldTag(crypto, credential.field), BigInt(credential.value), BigInt(credential.salt));
  const signature = { R8x: BigInt(credential.signature.R8x), R8y: BigInt(credential.signature.R8y), S: BigInt(credential.signature.S) };
  if (!crypto.babyJubjub.verify(issuerKey, commitment, signature)) throw new CredentialError('signature', `the issuer's signature does not verify: this credential is not ${credential.issuer}'s word on ${holder}'s ${credential.field}`);
  return issuerKey;
}
