// Proving and verifying feats, wired, and the one entry that verifies any proof file (attribute proofs are
// checked by attributes.ts) with the verification keys alone (no home, no network, no contact with the prover).
import { base64 } from 'multiformats/bases/base64';
import { ArtifactIntegrityError, readLock, type CircuitName } from '../../adapters/zk/artifacts.ts';
import { ProofCancelledError, type ProgressListener, type Prover } from '../../adapters/zk/prover.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import type { FeatCircuitKind } from '../../core/zk/inputs.ts';
import type { FeatStatement } from '../../core/zk/statements.ts';
import type { Policy } from '../../core/feats/claims.ts';
import { refutationOf, verifyOutcome } from '../../core/social/outcome.ts';
import { checkFeatClaims, parseProofFile, PROOF_FORMAT, type FeatProofFile } from '../../core/zk/proof-file.ts';
import type { Profile } from '../../core/profile/profile.ts';
import type { ChainStore } from '../../core/ports.ts';
import type { Home } from '../home.ts';
import type { Did } from '../../core/identity/did.ts';
import { verifyAttributeProof, type AttributeExpectation } from './attributes.ts';
import { spendNonce, type NonceMemory } from './nonces.ts';
import { canonicalTrustTree, describeList, type CanonicalTree, type TrustSource } from './trust.ts';

/**
 * Proves the claim's policy — k distinct trusted witnesses, or one trusted authority — bound to the verifier's
 * nonce; `against` a list the verifier can recompute (an authority's published list, or named members).
 */
export function proveFeat(home: Home, passphrase: string, claim: string, nonce: bigint, progress?: ProgressListener, against?: Omit<Against, 'crypto'>, signal?: AbortSignal): Promise<FeatProofFile> {
  return proveFeatOf(home.openProfile(passphrase), home.prover, claim, nonce, progress, against === undefined ? undefined : { crypto: home.crypto, ...against }, signal);
}

/**
 * The k-of-n circuits, one template in several sizes: k witnesses are proven, and checked, with the smallest
 * that has k slots, so a proof of few witnesses does not pay for the largest k's signature checks. A verifier
 * reads k from the public signals and takes the same circuit's key.
 */
const THRESHOLD_CIRCUITS = ['featAttestedFew', 'featAttested'] as const satisfies readonly CircuitName[];

/** The feat circuits' sizes, as the committed artifacts were built. */
interface FeatCircuits {
  /** The trusted-witness tree's depth (every k-of-n circuit's), and the authorities' tree's. */
  depth: number;
  authorityDepth: number;
  /** The most witnesses any k-of-n circuit here shows. */
  maxK: number;
  /** The circuit that proves `kind` with `k` witnesses, and its slots; for a k beyond every circuit, the largest (which refuses it). */
  circuitFor(kind: FeatCircuitKind, k: number): { name: CircuitName; slots: number };
}

function featCircuits(): FeatCircuits {
  const { circuits } = readLock();
  const thresholds = THRESHOLD_CIRCUITS.map((name) => {
    const lock = circuits[name];
    if (lock === undefined) throw new ArtifactIntegrityError(`artifacts.lock.json lists no circuit ${name}; run: npm run circuits`);
    return { name, ...(lock.params as { maxK: number; depth: number }) };
  }).sort((a, b) => a.maxK - b.maxK);
  const { depth } = thresholds[0]!;
  if (thresholds.some((t) => t.depth !== depth)) throw new ArtifactIntegrityError('the k-of-n circuits are built for different tree depths; rebuild them with: npm run circuits');
  const largest = thresholds[thresholds.length - 1]!;
  return {
    depth,
    authorityDepth: (circuits.featAuthority.params as { depth: number }).depth,
    maxK: largest.maxK,
    circuitFor: (kind, k) => {
      if (kind === 'authority') return { name: 'featAuthority', slots: 1 };
      const chosen = thresholds.find((t) => t.maxK >= k) ?? largest;
      return { name: chosen.name, slots: chosen.maxK };
    },
  };
}

/** Where a list's members' chains are read from (this home's store), and the list. */
export interface Against {
  crypto: Crypto;
  store: ChainStore;
  source: TrustSource;
  /** Members barred in this verifier's view (they leave the tree). */
  barred?: (did: Did) => boolean;
}

/** The canonical tree of `against` for a claim of `featType` proven with the `kind` circuit. */
function treeFor(against: Against, featType: string, kind: FeatCircuitKind): CanonicalTree {
  const { depth, authorityDepth } = featCircuits();
  return canonicalTrustTree(against.crypto, against.store, against.source, featType, kind === 'authority' ? authorityDepth : depth, against.barred);
}

/** The same, for a profile that is already open (the wallet's session). The file carries the claim document. */
export async function proveFeatOf(profile: Profile, prover: Prover, claim: string, nonce: bigint, progress?: ProgressListener, against?: Against, signal?: AbortSignal): Promise<FeatProofFile> {
  const record = profile.feats.get(claim);
  const named = against === undefined ? undefined : treeFor(against, record.claim.featType, record.claim.policy.kind);
  const circuits = featCircuits();
  const { kind, k, inputs } = profile.feats.proofInputs(claim, nonce, { ...circuits, slotsFor: (shown) => circuits.circuitFor('k-of-n', shown).slots }, named?.tree);
  const document = base64.baseEncode(record.bytes);
  try {
    const { proof, publicSignals } = await prover.prove(circuits.circuitFor(kind, k).name, inputs, progress, signal);
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
  /** `source` a list, or one chosen by the proof's feat type (an attribute's field) and circuit (the verifier's own trusted witnesses); `fetch` pulls its chains first; `barred` leaves out who is barred in the verifier's view. */
  trust?: AttributeExpectation['trust'];
  /** The nonce the verifier expects, checked statelessly (the verifier keeps its own memory of nonces). */
  nonce?: bigint;
  /** Without `nonce`: the verifier's memory; a feat proof must answer a nonce it issued, unexpired, unused (then used). */
  memory?: NonceMemory;
  /** k-of-n: the proof shows at least k distinct witnesses; authority: the proof is an authority's. */
  policy?: Policy;
  /** Challenge outcomes the verifier holds (signed, as `challenge resolve --public` writes them): one that refutes the claim makes the proof invalid. */
  outcomes?: readonly Uint8Array[];
}

/** The first of `outcomes` that verifies and refutes `claim`: its challenge's id and result; null when none does. */
function refutationIn(crypto: Crypto, outcomes: readonly Uint8Array[], claim: string): { challenge: string; result: string } | null {
  for (const bytes of outcomes) {
    const outcome = verifyOutcome(crypto, bytes);
    if (refutationOf(outcome)?.claim === claim) return { challenge: outcome.challengeId, result: outcome.result };
  }
  return null;
}

const shown = (kind: FeatCircuitKind, k: number): string => (kind === 'authority' ? "an authority's yes" : `${k} witness${k === 1 ? '' : 'es'}`);

/** Why a feat statement does not prove `policy`, or null when it does (a k-of-n proof may show more than k). */
function policyShortfall(statement: FeatStatement, policy: Policy): string | null {
  const asked = policy.kind === 'authority' ? 1 : policy.k;
  if (statement.kind !== policy.kind) return `the proof shows ${shown(statement.kind, statement.k)}, not ${shown(policy.kind, asked)}`;
  if (statement.k < asked) return `the proof shows ${shown(statement.kind, statement.k)}; ${asked} are asked for`;
  return null;
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
      if (expect.trustRoot !== undefined) return { valid: false, kind: 'attribute', holder: file.holder, field: file.field, reason: 'an attribute proof is checked against the issuers you trust, not a root: name them (--trust did,… or --trust-list AUTHORITY)' };
      return await verifyAttributeProof(crypto, prover, file, expect, run);
    }
    const { statement: s, claim: document } = checkFeatClaims(crypto, file);
    const claim = {
      kind: 'feat' as const, claim: file.claim, holder: file.holder, root: s.root.toString(), nonce: s.nonce.toString(), proves: s.kind, witnesses: s.k,
      ...(document === null ? {} : { title: document.title, featType: document.featType, criteria: document.criteria, policy: document.policy, claimedAt: document.ts, evidence: document.evidence.length }),
    };
    const short = (document === null ? null : policyShortfall(s, document.policy)) ?? (expect.policy === undefined ? null : policyShortfall(s, expect.policy));
    if (short !== null) return { valid: false, ...claim, reason: short };
    const refuted = refutationIn(crypto, expect.outcomes ?? [], file.claim);
    if (refuted !== null) return { valid: false, ...claim, refutedBy: refuted.challenge, reason: `the claim is refuted: its holder lost challenge ${refuted.challenge} (${refuted.result})` };
    if (expect.trustRoot !== undefined && s.root !== expect.trustRoot) return { valid: false, ...claim, reason: 'the proof is about another trust set (root differs)' };
    const trust = expect.trust;
    let mine: CanonicalTree | null = null;
    if (trust !== undefined) {
      if (document === null) return { valid: false, ...claim, reason: 'the proof file carries no claim document, so the feat type whose list to check is unknown' };
      const source = typeof trust.source === 'function' ? trust.source(document.featType, s.kind === 'authority') : trust.source;
      await trust.fetch?.(source);
      if (run.signal?.aborted) throw new ProofCancelledError();
      mine = treeFor({ crypto, store: trust.store, source, ...(trust.barred === undefined ? {} : { barred: trust.barred }) }, document.featType, s.kind);
      if (s.root !== mine.tree.root && trust.barred !== undefined) {
        const before = treeFor({ crypto, store: trust.store, source }, document.featType, s.kind);
        if (s.root === before.tree.root) {
          const gone = before.members.filter((did) => !mine!.members.includes(did));
          return { valid: false, ...claim, checkedAgainst: describeList(mine.list, mine.members.length), stale: gone, reason: `stale root: made against the list while it still held ${gone.join(', ')}, barred since in your view` };
        }
      }
    }
    const result = mine === null ? claim : { ...claim, checkedAgainst: describeList(mine.list, mine.members.length), list: mine.list, members: mine.members.length };
    if (mine !== null && s.root !== mine.tree.root) return { valid: false, ...result, reason: 'made against a tree your list does not give (root mismatch)' };
    if (expect.nonce !== undefined && s.nonce !== expect.nonce) return { valid: false, ...result, reason: 'the proof was made for another nonce (replay)' };
    const circuits = featCircuits();
    if (s.k > circuits.maxK) return { valid: false, ...result, reason: `the proof shows ${s.k} witnesses; the circuits here check at most ${circuits.maxK}` };
    const valid = await prover.verify(circuits.circuitFor(s.kind, s.k).name, file, run.progress, run.signal);
    if (!valid) return { valid, ...result, reason: 'the proof does not verify' };
    return expect.nonce === undefined && expect.memory !== undefined ? spendNonce(expect.memory, s.nonce, { valid, ...result }) : { valid, ...result };
  } finally {
    await prover.release();
  }
}
