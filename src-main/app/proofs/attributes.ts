// Issuer-bound attributes, wired: an issuer signs a credential for a holder (the value goes to the holder
// only); the holder imports and lists its credentials and proves a predicate over one, bound to a verifier's
// nonce; a verifier takes the proof only when the issuer's key is one of the issuers it trusts (a list it
// names, computed from public genesis blocks) and the nonce is one it issued, once.
import { base64 } from 'multiformats/bases/base64';
import { readLock } from '../../adapters/zk/artifacts.ts';
import type { ProgressListener, Prover } from '../../adapters/zk/prover.ts';
import { attributeFieldTag, checkCredential, CredentialError, decodeCredential, genesisKeyOf, issueCredential, type AttributeCredential } from '../../core/attributes/credential.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import { bytesToField } from '../../core/identity/keys.ts';
import type { ChainStore } from '../../core/ports.ts';
import { attributeInputs, type Predicate } from '../../core/zk/inputs.ts';
import { checkAttributeClaims, PROOF_FORMAT, type AttributeProofFile } from '../../core/zk/proof-file.ts';
import type { Session } from '../session.ts';
import { spendNonce, type NonceMemory } from './nonces.ts';
import { describeList, trustedKeys, type TrustListName, type TrustSource } from './trust.ts';

/** The attribute circuit's sizes, as the committed artifacts were built. */
function attributeCircuit(): { bits: number; setSize: number } {
  return readLock().circuits.attributeIssued.params as { bits: number; setSize: number };
}

/**
 * The issuer's act: signs `holder`'s `field` = `value`. The holder's key is read from its genesis block in
 * `chains` (the issuer's store, or archives); the credential goes to the holder alone (it holds the value).
 */
export function issueAttribute(session: Session, chains: ChainStore, holder: Did, field: string, value: bigint): AttributeCredential {
  const { home, profile, keys } = session;
  const genesis = chains.header(holder, 0);
  if (genesis === undefined) throw new CredentialError('holder', `no copy of ${holder}'s chain here, so its key is unknown: fetch it with --bootstrap ADDR or give --archive FILE`);
  const holderKey = genesisKeyOf(home.crypto, holder, genesis.bytes, 'holder');
  return issueCredential(home.crypto, keys.identity.babyJubjubSecret, {
    issuer: profile.id, issuerGenesis: home.store.header(profile.id, 0)!.bytes, holder, holderKey, field, value,
    salt: bytesToField(home.crypto.randomBytes(31)), issuedAt: home.clock.now(),
  });
}

/** A credential as its holder sees it (the value is the holder's own). */
export interface CredentialSummary {
  issuer: string;
  field: string;
  value: string;
  issuedAt: number;
}

const summary = (c: AttributeCredential): CredentialSummary => ({ issuer: c.issuer, field: c.field, value: c.value, issuedAt: c.issuedAt });

/**
 * The holder's act: checks the credential (for this holder, the issuer's signature over the commitment) and
 * keeps it; `kept` is false when a credential issued later by the same issuer for the field is held already.
 */
export function importCredential(session: Session, text: string): CredentialSummary & { kept: boolean } {
  const { home, profile } = session;
  const credential = decodeCredential(text);
  checkCredential(home.crypto, credential, profile.id, profile.identity.babyJubjub);
  const kept = home.credentials().put({ issuer: credential.issuer, field: credential.field, issuedAt: credential.issuedAt, importedAt: home.clock.now(), document: JSON.stringify(credential) });
  return { ...summary(credential), kept };
}

/** The credentials this holder keeps (for one field, or all), newest first. */
export function listCredentials(session: Session, field?: string): CredentialSummary[] {
  return session.home.credentials().list(field).map((c) => summary(decodeCredential(c.document)));
}

/**
 * Proves that `field` (as `issuer` signed it, or the newest credential for it) satisfies `predicate`, bound
 * to the verifier's `nonce`, without revealing the value.
 */
export async function proveAttribute(session: Session, field: string, predicate: Predicate, nonce: bigint, options: { issuer?: Did; progress?: ProgressListener; signal?: AbortSignal } = {}): Promise<AttributeProofFile> {
  const { home, profile } = session;
  const stored = home.credentials().list(field).find((c) => options.issuer === undefined || c.issuer === options.issuer);
  if (stored === undefined) throw new NotFoundError(`no credential for ${field}${options.issuer === undefined ? '' : ` from ${options.issuer}`} is held here: import one with defaust attribute import FILE`);
  const credential = decodeCredential(stored.document);
  const issuerKey = checkCredential(home.crypto, credential, profile.id, profile.identity.babyJubjub);
  const { bits, setSize } = attributeCircuit();
  const inputs = attributeInputs({
    issuer: issuerKey, holder: profile.identity.babyJubjub, fieldTag: attributeFieldTag(home.crypto, field), value: BigInt(credential.value), salt: BigInt(credential.salt),
    signature: { R8x: BigInt(credential.signature.R8x), R8y: BigInt(credential.signature.R8y), S: BigInt(credential.signature.S) },
  }, predicate, nonce, bits, setSize);
  try {
    const { proof, publicSignals } = await home.prover.prove('attributeIssued', inputs, options.progress, options.signal);
    const genesis = home.store.header(profile.id, 0)!.bytes;
    return { format: PROOF_FORMAT, v: 1, kind: 'attribute', holder: profile.id, issuer: credential.issuer, field, proof, publicSignals, genesis: base64.baseEncode(genesis) };
  } finally {
    await home.prover.release();
  }
}

/**
 * What a verifier expects of an attribute proof: the issuers it trusts (a list, or one chosen by field — the
 * verifier's own trust list for it), and its nonce (stated, or spent from its memory).
 */
export interface AttributeExpectation {
  /** `source` a list, or one chosen by the proof's field (feat type) and kind; `fetch` pulls its chains first. */
  trust?: { store: ChainStore; source: TrustSource | ((featType: string, authorities: boolean) => TrustSource); fetch?: (source: TrustSource) => Promise<void>; barred?: (did: Did) => boolean };
  nonce?: bigint;
  memory?: NonceMemory;
}

/** An attribute proof's verdict: who issued, trusted by which list, the predicate, the holder, the nonce. */
export interface VerifiedAttribute {
  valid: boolean;
  kind: 'attribute';
  reason?: string;
  [key: string]: unknown;
}

/** Refused without a list: an attribute is only as good as its issuer, and only the verifier says whom it trusts. */
export const NO_TRUSTED_ISSUERS = 'an attribute proof needs the issuers you trust: name them (--trust did,… or --trust-list AUTHORITY)';

const keyEquals = (key: readonly [Uint8Array, Uint8Array], xy: readonly [bigint, bigint]) => bytesToField(key[0]) === xy[0] && bytesToField(key[1]) === xy[1];

/** Verifies an attribute proof file (its claims already parsed) against `expect`; the pairing last but the nonce's spending. */
export async function verifyAttributeProof(crypto: Crypto, prover: Prover, file: AttributeProofFile, expect: AttributeExpectation, run: { progress?: ProgressListener; signal?: AbortSignal } = {}): Promise<VerifiedAttribute> {
  const s = checkAttributeClaims(crypto, file, attributeCircuit().setSize);
  const claim = {
    kind: 'attribute' as const, holder: file.holder, field: file.field, op: s.op, nonce: s.nonce.toString(),
    ...(s.op === 'in' ? { set: [...new Set(s.set.map(String))] } : { bound: s.bound.toString() }),
  };
  const trust = expect.trust;
  if (trust === undefined) return { valid: false, ...claim, issuer: null, reason: NO_TRUSTED_ISSUERS };
  const source = typeof trust.source === 'function' ? trust.source(file.field, false) : trust.source;
  await trust.fetch?.(source);
  const { members, keys, list } = trustedKeys(crypto, trust.store, source, file.field);
  const at = keys.findIndex((key) => keyEquals(key, s.issuer));
  const checked: { checkedAgainst: string; list: TrustListName; members: number } = { checkedAgainst: describeList(list, members.length), list, members: members.length };
  if (at < 0) return { valid: false, ...claim, issuer: null, ...checked, reason: `the credential was not signed by an issuer on ${checked.checkedAgainst} (the file names ${file.issuer})` };
  const result = { ...claim, issuer: members[at]!, ...checked };
  if (expect.nonce !== undefined && s.nonce !== expect.nonce) return { valid: false, ...result, reason: 'the proof was made for another nonce (replay)' };
  const valid = await prover.verify('attributeIssued', file, run.progress, run.signal);
  if (!valid) return { valid, ...result, reason: 'the proof does not verify' };
  return expect.nonce === undefined && expect.memory !== undefined ? spendNonce(expect.memory, s.nonce, { valid, ...result }) : { valid, ...result };
}
