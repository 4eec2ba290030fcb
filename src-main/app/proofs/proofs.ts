// Proving and verifying, wired: the owner proves a predicate over one of their own numeric fields; anyone
// verifies a proof file with the verification keys alone (no home, no network, no contact with the prover).
import { base64 } from 'multiformats/bases/base64';
import { readLock, type CircuitName } from '../../adapters/zk/artifacts.ts';
import { ProofCancelledError, type ProgressListener, type Prover } from '../../adapters/zk/prover.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { bytesToField } from '../../core/identity/keys.ts';
import { attributeCommitment, attributeInputs, type FeatCircuitKind, type PredicateOp } from '../../core/zk/inputs.ts';
import type { FeatStatement } from '../../core/zk/statements.ts';
import type { Policy } from '../../core/feats/claims.ts';
import { checkAttributeClaims, checkFeatClaims, fieldTagOf, parseProofFile, PROOF_FORMAT, type AttributeProofFile, type FeatProofFile } from '../../core/zk/proof-file.ts';
import type { Profile } from '../../core/profile/profile.ts';
import type { ChainStore } from '../../core/ports.ts';
import type { Home } from '../home.ts';
import { NonceRefusedError, type NonceMemory } from './nonces.ts';
import { canonicalTrustTree, describeList, type CanonicalTree, type TrustSource } from './trust.ts';

export interface Predicate {
  op: PredicateOp;
  bound: bigint;
  set: bigint[];
}

/** Proves that the owner's field `section/path` satisfies `predicate`, without revealing it. */
export async function proveAttribute(home: Home, passphrase: string, section: string, path: string, predicate: Predicate, progress?: ProgressListener, signal?: AbortSignal): Promise<AttributeProofFile> {
  const { keys, profile } = home.openSession(passphrase);
  const value = profile.current()[section]?.fields[path];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(`${section}/${path} must hold a whole number of 0 or more to be proven (it holds ${JSON.stringify(value) ?? 'nothing'})`);
  }
  const { bits, setSize } = readLock().circuits.attributePredicate.params as { bits: number; setSize: number };
  const fieldTag = fieldTagOf(home.crypto, section, path);
  const salt = bytesToField(home.crypto.randomBytes(31));
  const signature = home.crypto.babyJubjub.sign(keys.identity.babyJubjubSecret, attributeCommitment(fieldTag, BigInt(value), salt));
  const inputs = attributeInputs({ owner: profile.identity.babyJubjub, fieldTag, ...predicate, value: BigInt(value), salt, signature }, bits, setSize);
  const prover = home.prover;
  try {
    const { proof, publicSignals } = await prover.prove('attributePredicate', inputs, progress, signal);
    const genesis = home.store.header(profile.id, 0)!.bytes;
    return { format: PROOF_FORMAT, v: 1, kind: 'attribute', owner: profile.id, section, path, proof, publicSignals, genesis: base64.baseEncode(genesis) };
  } finally {
    await prover.release();
  }
}

/**
 * Proves the claim's policy — k distinct trusted witnesses, or one trusted authority — bound to the verifier's
 * nonce; `against` a list the verifier can recompute (an authority's published list, or named members).
 */
export function proveFeat(home: Home, passphrase: string, claim: string, nonce: bigint, progress?: ProgressListener, against?: Omit<Against, 'crypto'>, signal?: AbortSignal): Promise<FeatProofFile> {
  return proveFeatOf(home.openProfile(passphrase), home.prover, claim, nonce, progress, against === undefined ? undefined : { crypto: home.crypto, ...against }, signal);
}

/** The artifacts that prove each feat policy. */
const FEAT_CIRCUIT_NAMES = { 'k-of-n': 'featAttested', authority: 'featAuthority' } as const satisfies Record<FeatCircuitKind, CircuitName>;

/** The feat circuits' sizes, as the committed artifacts were built. */
function featCircuits(): { maxK: number; depth: number; authorityDepth: number } {
  const { circuits } = readLock();
  const { maxK, depth } = circuits.featAttested.params as { maxK: number; depth: number };
  return { maxK, depth, authorityDepth: (circuits.featAuthority.params as { depth: number }).depth };
}

/** Where a list's members' chains are read from (this home's store), and the list. */
export interface Against {
  crypto: Crypto;
  store: ChainStore;
  source: TrustSource;
}

/** The canonical tree of `against` for a claim of `featType` proven with the `kind` circuit. */
function treeFor(against: Against, featType: string, kind: FeatCircuitKind): CanonicalTree {
  const { depth, authorityDepth } = featCircuits();
  return canonicalTrustTree(against.crypto, against.store, against.source, featType, kind === 'authority' ? authorityDepth : depth);
}

/** The same, for a profile that is already open (the wallet's session). The file carries the claim document. */
export async function proveFeatOf(profile: Profile, prover: Prover, claim: string, nonce: bigint, progress?: ProgressListener, against?: Against, signal?: AbortSignal): Promise<FeatProofFile> {
  const record = profile.feats.get(claim);
  const named = against === undefined ? undefined : treeFor(against, record.claim.featType, record.claim.policy.kind);
  const { kind, inputs } = profile.feats.proofInputs(claim, nonce, featCircuits(), named?.tree);
  const document = base64.baseEncode(record.bytes);
  try {
    const { proof, publicSignals } = await prover.prove(FEAT_CIRCUIT_NAMES[kind], inputs, progress, signal);
    return { format: PROOF_FORMAT, v: 1, kind: 'feat', holder: profile.id, claim, proof, publicSignals, claimDocument: document, ...(named === undefined ? {} : { against: named.list }) };
  } finally {
    await prover.release();
  }
}

/** The root of this profile's trusted-witness tree (all feat types, or one), or of its authorities' tree. */
export function trustRoot(home: Home, passphrase: string, featType?: string, authorities = false): { root: string; members: string[]; missing: string[] } {
  return trustRootOf(home.openProfile(passphrase), featType, authorities);
}

export function trustRootOf(profile: Profile, featType?: string, authorities = false): { root: string; members: string[]; missing: string[] } {
  const { depth, authorityDepth } = featCircuits();
  const { tree, members, missing } = profile.feats.trustTree(authorities ? authorityDepth : depth, featType, authorities);
  return { root: tree.root.toString(), members, missing };
}

export interface VerifiedProof {
  valid: boolean;
  kind: 'attribute' | 'feat';
  reason?: string;
  [key: string]: unknown;
}

/** The root of a list as a verifier computes it (`defaust trust root --of`): no holder's data involved. */
export function listRoot(crypto: Crypto, store: ChainStore, source: TrustSource, featType: string, authorities = false): { root: string; members: string[]; list: string } {
  const { tree, members, list } = treeFor({ crypto, store, source }, featType, authorities ? 'authority' : 'k-of-n');
  return { root: tree.root.toString(), members, list: describeList(list, members.length) };
}

/**
 * What a verifier expects of a proof: the root it computed earlier (`trustRoot`) or the list it trusts, whose
 * root it computes here from the members' chains in `store` (`trust`); its nonce; the policy it asks.
 */
export interface ProofExpectation {
  trustRoot?: bigint;
  /** `source` a list, or one chosen by the proof's feat type and circuit (the verifier's own trusted witnesses); `fetch` pulls its chains first. */
  trust?: { store: ChainStore; source: TrustSource | ((featType: string, authorities: boolean) => TrustSource); fetch?: (source: TrustSource) => Promise<void> };
  /** The nonce the verifier expects, checked statelessly (the verifier keeps its own memory of nonces). */
  nonce?: bigint;
  /** Without `nonce`: the verifier's memory; a feat proof must answer a nonce it issued, unexpired, unused (then used). */
  memory?: NonceMemory;
  /** k-of-n: the proof shows at least k distinct witnesses; authority: the proof is an authority's. */
  policy?: Policy;
}

const shown = (kind: FeatCircuitKind, k: number): string => (kind === 'authority' ? "an authority's yes" : `${k} witness${k === 1 ? '' : 'es'}`);

/** Why a feat statement does not prove `policy`, or null when it does (a k-of-n proof may show more than k). */
function policyShortfall(statement: FeatStatement, policy: Policy): string | null {
  const asked = policy.kind === 'authority' ? 1 : policy.k;
  if (statement.kind !== policy.kind) return `the proof shows ${shown(statement.kind, statement.k)}, not ${shown(policy.kind, asked)}`;
  if (statement.k < asked) return `the proof shows ${shown(statement.kind, statement.k)}; ${asked} are asked for`;
  return null;
}

/** A verified feat proof, valid only when it spends an issued nonce of the verifier's memory (last, so a bad proof spends none). */
function spend(memory: NonceMemory, nonce: bigint, verified: VerifiedProof): VerifiedProof {
  try {
    memory.use(nonce);
    return verified;
  } catch (error) {
    if (error instanceof NonceRefusedError) return { ...verified, valid: false, reason: error.message, refused: error.refusal };
    throw error;
  }
}

/**
 * Verifies a proof file: its claims (keys, field, nullifier, the circuit and k against the claim's own policy
 * and the verifier's, expected root and nonce) and the pairing, with the circuit's verification key. `run`
 * reports the verifying stage and cancels (ProofCancelledError) when its signal aborts.
 */
export async function verifyProofFile(crypto: Crypto, prover: Prover, text: string, expect: ProofExpectation = {}, run: { progress?: ProgressListener; signal?: AbortSignal } = {}): Promise<VerifiedProof> {
  const file = parseProofFile(text);
  try {
    if (file.kind === 'attribute') {
      const { setSize } = readLock().circuits.attributePredicate.params as { setSize: number };
      const s = checkAttributeClaims(crypto, file, setSize);
      const claim = { kind: 'attribute' as const, owner: file.owner, field: `${file.section}/${file.path}`, op: s.op, ...(s.op === 'in' ? { set: s.set.map(String) } : { bound: s.bound.toString() }) };
      const valid = await prover.verify('attributePredicate', file, run.progress, run.signal);
      return { valid, ...claim, ...(valid ? {} : { reason: 'the proof does not verify' }) };
    }
    const { statement: s, claim: document } = checkFeatClaims(crypto, file);
    const claim = {
      kind: 'feat' as const, claim: file.claim, holder: file.holder, root: s.root.toString(), nonce: s.nonce.toString(), proves: s.kind, witnesses: s.k,
      ...(document === null ? {} : { title: document.title, featType: document.featType, criteria: document.criteria, policy: document.policy, claimedAt: document.ts, evidence: document.evidence.length }),
    };
    const short = (document === null ? null : policyShortfall(s, document.policy)) ?? (expect.policy === undefined ? null : policyShortfall(s, expect.policy));
    if (short !== null) return { valid: false, ...claim, reason: short };
    if (expect.trustRoot !== undefined && s.root !== expect.trustRoot) return { valid: false, ...claim, reason: 'the proof is about another trust set (root differs)' };
    const trust = expect.trust;
    let mine: CanonicalTree | null = null;
    if (trust !== undefined) {
      if (document === null) return { valid: false, ...claim, reason: 'the proof file carries no claim document, so the feat type whose list to check is unknown' };
      const source = typeof trust.source === 'function' ? trust.source(document.featType, s.kind === 'authority') : trust.source;
      await trust.fetch?.(source);
      if (run.signal?.aborted) throw new ProofCancelledError();
      mine = treeFor({ crypto, store: trust.store, source }, document.featType, s.kind);
    }
    const result = mine === null ? claim : { ...claim, checkedAgainst: describeList(mine.list, mine.members.length), list: mine.list, members: mine.members.length };
    if (mine !== null && s.root !== mine.tree.root) return { valid: false, ...result, reason: 'made against a tree your list does not give (root mismatch)' };
    if (expect.nonce !== undefined && s.nonce !== expect.nonce) return { valid: false, ...result, reason: 'the proof was made for another nonce (replay)' };
    const valid = await prover.verify(FEAT_CIRCUIT_NAMES[s.kind], file, run.progress, run.signal);
    if (!valid) return { valid, ...result, reason: 'the proof does not verify' };
    return expect.nonce === undefined && expect.memory !== undefined ? spend(expect.memory, s.nonce, { valid, ...result }) : { valid, ...result };
  } finally {
    await prover.release();
  }
}
