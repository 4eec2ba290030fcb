// The proof file a holder hands to a verifier: the Groth16 proof and public signals, what they claim, and
// (for attribute proofs) the holder's signed genesis header, which binds the holder's Baby Jubjub key in the
// public signals to the holder's did:key; (for feat proofs) the claim document, whose sha-256 is both the claim's CID
// and the public claim hash. A verifier needs this file and the verification keys, nothing else.
import { base64 } from 'multiformats/bases/base64';
import { parseCid } from '../chain/codec.ts';
import { readClaim, type FeatClaim } from '../feats/claims.ts';
import { decodeHeader, signatureValid } from '../chain/header.ts';
import { genesisMeta } from '../chain/meta.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { isDid } from '../identity/did.ts';
import { bytesToField } from '../identity/keys.ts';
import { digestToField } from './field.ts';
import { attributeStatement, featStatement, type AttributeStatement, type FeatStatement } from './statements.ts';
import { attributeFieldTag } from '../attributes/credential.ts';

export const PROOF_FORMAT = 'defaust/proof';

export class ProofFileError extends DefaustError {
  override name = 'ProofFileError';
  constructor(message: string) {
    super('zk/proof-file', message);
  }
}

export interface AttributeProofFile {
  format: typeof PROOF_FORMAT;
  v: 1;
  kind: 'attribute';
  holder: string;
  /** Who issued the credential, informative: a verifier checks the key in the public signals against its own trusted issuers. */
  issuer: string;
  /** The field's tag (attributeFieldTag gives its public field element). */
  field: string;
  proof: unknown;
  publicSignals: string[];
  /** The holder's genesis header, base64 of its canonical bytes: binds the holder key in the public signals to the holder's did. */
  genesis: string;
}

export interface FeatProofFile {
  format: typeof PROOF_FORMAT;
  v: 1;
  kind: 'feat';
  holder: string;
  claim: string;
  proof: unknown;
  publicSignals: string[];
  /** The claim document, base64 of its canonical bytes: what the witnesses signed, in words. Absent in older files. */
  claimDocument?: string;
  /** Which list the holder proved against (an authority's published list, or members): informative only, a verifier computes its own root. */
  against?: { authority: string; seq: number; featType: string } | { members: string[] };
}

export type ProofFile = AttributeProofFile | FeatProofFile;

export function parseProofFile(text: string): ProofFile {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ProofFileError('this is not a proof file (not JSON)');
  }
  if (value?.format !== PROOF_FORMAT || value.v !== 1) throw new ProofFileError('this is not a DeFaust proof file');
  if (!Array.isArray(value.publicSignals) || typeof value.proof !== 'object' || value.proof === null) throw new ProofFileError('the proof file has no proof');
  if (value.kind === 'attribute') {
    if (!isDid(value.holder) || !isDid(value.issuer) || typeof value.field !== 'string' || typeof value.genesis !== 'string') {
      throw new ProofFileError('the attribute proof file is malformed');
    }
  } else if (value.kind === 'feat') {
    if (!isDid(value.holder) || typeof value.claim !== 'string' || !(value.claimDocument === undefined || typeof value.claimDocument === 'string')) throw new ProofFileError('the feat proof file is malformed');
  } else {
    throw new ProofFileError(`unknown proof kind ${JSON.stringify(value.kind)}`);
  }
  return value as unknown as ProofFile;
}

/**
 * Checks everything about an attribute proof except the pairing, the issuer and the nonce: the statement's
 * form, that the holder key in it is the one the holder's signed genesis publishes, and that the field tag
 * names the field the file claims.
 */
export function checkAttributeClaims(crypto: Crypto, file: AttributeProofFile, setSize: number): AttributeStatement {
  const statement = attributeStatement(file.publicSignals, setSize);
  let genesis;
  try {
    genesis = decodeHeader(crypto, base64.baseDecode(file.genesis));
  } catch {
    throw new ProofFileError("the holder's genesis header in the proof file is damaged");
  }
  const { header } = genesis;
  if (header.kind !== 'genesis' || header.id !== file.holder || header.author !== file.holder || !signatureValid(crypto, header)) {
    throw new ProofFileError(`the genesis header is not ${file.holder}'s`);
  }
  const [x, y] = genesisMeta(header).babyJubjub;
  if (bytesToField(x) !== statement.holder[0] || bytesToField(y) !== statement.holder[1]) throw new ProofFileError("the proof's holder key is not the holder's");
  let fieldTag: bigint;
  try {
    fieldTag = attributeFieldTag(crypto, file.field);
  } catch {
    throw new ProofFileError('the field named in the proof file is not a field tag');
  }
  if (statement.fieldTag !== fieldTag) throw new ProofFileError(`the proof is not about the field ${file.field}`);
  return statement;
}

/**
 * Checks everything about a feat proof except the pairing and the expected root and nonce: the statement's
 * form, that the claim CID names the claim hash in the public signals, and (when the file carries it) that
 * the claim document is that claim, made by the holder the file names.
 */
export function checkFeatClaims(crypto: Crypto, file: FeatProofFile): { statement: FeatStatement; claim: FeatClaim | null } {
  const statement = featStatement(file.publicSignals);
  let cid;
  try {
    cid = parseCid(file.claim);
  } catch {
    throw new ProofFileError('the claim named in the proof file is not a CID');
  }
  if (cid.multihash.code !== 0x12 || cid.multihash.digest.length !== 32 || digestToField(cid.multihash.digest) !== statement.claimHash) {
    throw new ProofFileError(`the proof is not about the claim ${file.claim}`);
  }
  if (file.claimDocument === undefined) return { statement, claim: null };
  let record;
  try {
    record = readClaim(crypto, base64.baseDecode(file.claimDocument));
  } catch {
    throw new ProofFileError('the claim document in the proof file is damaged');
  }
  if (record.cid !== file.claim) throw new ProofFileError(`the claim document in the proof file is not the claim ${file.claim}`);
  if (record.claim.holder !== file.holder) throw new ProofFileError(`the claim was made by ${record.claim.holder}, not by ${file.holder}`);
  return { statement, claim: record.claim };
}

