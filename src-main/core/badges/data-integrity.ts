// Data Integrity proofs with the eddsa-jcs-2022 cryptosuite (W3C vc-di-eddsa §3.3): the proof options
// (the proof without `proofValue`, carrying the document's `@context`) and the document without `proof` are
// each canonicalized with JCS (RFC 8785) and hashed with SHA-256; Ed25519 signs
//   hashData = SHA-256(JCS(proofConfig)) ‖ SHA-256(JCS(unsecuredDocument))
// and `proofValue` is the signature in multibase base58btc ('z…'). One proof per document (no proof sets).
import { base58btc } from 'multiformats/bases/base58';
import type { Crypto } from '../crypto/port.ts';
import { concatBytes } from '../bytes.ts';
import { canonicalBytes } from './jcs.ts';
import { BadgeError } from './errors.ts';

export const CRYPTOSUITE = 'eddsa-jcs-2022';

/** The proof options a signer chooses; `@context` is set from the document. */
export interface ProofOptions {
  created: string;
  verificationMethod: string;
  proofPurpose: string;
}

export interface DataIntegrityProof extends ProofOptions {
  type: 'DataIntegrityProof';
  cryptosuite: typeof CRYPTOSUITE;
  '@context'?: unknown;
  proofValue: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The bytes Ed25519 signs for `document` (without `proof`) under `proofConfig` (without `proofValue`). */
export function hashData(crypto: Crypto, document: Json, proofConfig: Json): Uint8Array {
  return concatBytes(crypto.sha256(canonicalBytes(proofConfig)), crypto.sha256(canonicalBytes(document)));
}

/** The proof configuration for `document`: the options with the type, the cryptosuite and the document's @context. */
function proofConfigOf(document: Json, options: ProofOptions): Json {
  const config: Json = { type: 'DataIntegrityProof', cryptosuite: CRYPTOSUITE, created: options.created, verificationMethod: options.verificationMethod, proofPurpose: options.proofPurpose };
  if (document['@context'] !== undefined) config['@context'] = document['@context'];
  return config;
}

/** `document` with an eddsa-jcs-2022 proof by `seed` (the Ed25519 seed behind `options.verificationMethod`). */
export function addProof<T extends Json>(crypto: Crypto, seed: Uint8Array, document: T, options: ProofOptions): T & { proof: DataIntegrityProof } {
  if ('proof' in document) throw new BadgeError('model', 'the document already carries a proof', 'proof');
  const config = proofConfigOf(document, options);
  const signature = crypto.ed25519.sign(seed, hashData(crypto, document, config));
  return { ...document, proof: { ...config, proofValue: base58btc.encode(signature) } as unknown as DataIntegrityProof };
}

/**
 * Checks `secured`'s eddsa-jcs-2022 proof; `resolve` gives the Ed25519 public key of a verification method
 * (or null when it is not one this verifier accepts). Returns the proof; throws BadgeError otherwise.
 */
export function verifyProof(crypto: Crypto, secured: Json, resolve: (verificationMethod: string) => Uint8Array | null): DataIntegrityProof {
  const { proof, ...document } = secured;
  if (!isObject(proof)) throw new BadgeError('cryptosuite', 'the credential carries no single Data Integrity proof', 'proof');
  if (proof.type !== 'DataIntegrityProof' || proof.cryptosuite !== CRYPTOSUITE) {
    throw new BadgeError('cryptosuite', `the proof is ${String(proof.type)} / ${String(proof.cryptosuite)}, not a DataIntegrityProof with ${CRYPTOSUITE}`, 'proof.cryptosuite');
  }
  for (const field of ['created', 'verificationMethod', 'proofPurpose', 'proofValue'] as const) {
    if (typeof proof[field] !== 'string') throw new BadgeError('model', `the proof has no ${field}`, `proof.${field}`);
  }
  const { proofValue, ...config } = proof as Json & { proofValue: string };
  if (config['@context'] !== undefined) {
    // vc-di-eddsa §3.3.2: the document's @context must start with the proof's, and the proof's is the one hashed.
    const mine = Array.isArray(document['@context']) ? document['@context'] : [document['@context']];
    const theirs = Array.isArray(config['@context']) ? config['@context'] : [config['@context']];
    if (!theirs.every((c, i) => JSON.stringify(c) === JSON.stringify(mine[i]))) throw new BadgeError('signature', 'the proof’s @context is not the credential’s', 'proof.@context');
    document['@context'] = config['@context'];
  }
  const key = resolve(String(config.verificationMethod));
  if (key === null) throw new BadgeError('key', `the proof is made with ${String(config.verificationMethod)}, not with the issuer's did:key`, 'proof.verificationMethod');
  let signature: Uint8Array;
  try {
    signature = base58btc.decode(proofValue);
  } catch {
    throw new BadgeError('signature', 'the proof value is not multibase base58btc', 'proof.proofValue');
  }
  if (signature.length !== 64 || !crypto.ed25519.verify(key, hashData(crypto, document, config), signature)) {
    throw new BadgeError('signature', 'the proof’s Ed25519 signature does not verify: the credential was changed after it was signed, or signed with another key', 'proof.proofValue');
  }
  return proof as unknown as DataIntegrityProof;
}
