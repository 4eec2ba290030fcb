// The holder's feats: claims (`feat` blocks), attestations taken in (`attestation` blocks), the trust list
// (`trust` blocks: sealed, unless the owner puts an entry on its public list for others to reuse as a
// community list), policy status, and the inputs of the
// proof a claim's policy calls for, over the trusted witnesses' (or authorities') Baby Jubjub keys.
import type { BodyOps, ChainFold, ChainWriter, BlockSummary } from '../chain/writer.ts';
import { decodeHeader, type Header } from '../chain/header.ts';
import { trustMeta } from '../chain/meta.ts';
import { hasPrivateMeta } from '../chain/private-meta.ts';
import type { Crypto } from '../crypto/port.ts';
import type { ChainStore } from '../ports.ts';
import { assertDid, type Did } from '../identity/did.ts';
import { openManifest } from '../media/media.ts';
import type { MediaRef } from '../chain/ops.ts';
import { keyLeaf } from '../zk/field.ts';
import { featAttestedInputs, featAuthorityInputs, type CircuitInputs, type FeatCircuitKind } from '../zk/inputs.ts';
import { PoseidonTree } from '../zk/merkle.ts';
import { MAX_ATTEST_EVIDENCE_BYTES } from '../../../src-shared/rules/limits.ts';
import { FEAT_TYPE, FEAT_TYPE_RULE } from '../../../src-shared/rules/feat-type.ts';
import {
  checkAttestation, FeatError, makeClaim, openAttestReply, readClaim, sealAttestRequest, type ClaimRecord, type EvidenceItem, type FeatClaim, type SignedAttestation,
} from './claims.ts';

export interface TrustEntry {
  did: Did;
  featType: string;
  authority: boolean;
  /** On the owner's public list (in the clear, a community list others reuse); else sealed, seen by the owner alone. */
  listed: boolean;
}

/** The entries a run of trust blocks leaves, each block replacing the entry for its did and feat type. */
function foldTrust(entries: TrustEntry[], m: ReturnType<typeof trustMeta>): TrustEntry[] {
  const rest = entries.filter((t) => !(t.did === m.did && t.featType === m.featType));
  return m.action === 'add' ? [...rest, { did: m.did, featType: m.featType, authority: m.authority, listed: m.listed }] : rest;
}

export interface FeatStatus {
  met: boolean;
  have: number;
  need: number;
  /** The id of the challenge the holder lost on this claim: a refuted claim meets no policy. */
  refuted?: string;
}

/**
 * The trust list `authority` published as `trust` blocks in its own chain, as this store holds it (pulled from
 * the network: public headers, no key needed). A community list: whoever trusts `authority` as an authority
 * for a feat type also accepts the witnesses it lists for that type.
 */
export function publishedTrustList(crypto: Crypto, store: ChainStore, authority: Did): { entries: TrustEntry[]; seq: number } {
  let entries: TrustEntry[] = [];
  let seq = 0;
  for (const stored of store.headersOfKind(authority, ['trust'])) {
    const { header } = decodeHeader(crypto, stored.bytes);
    if (hasPrivateMeta(header)) continue; // sealed: whom the authority trusts privately is no part of its list
    entries = foldTrust(entries, trustMeta(header));
    seq = header.seq;
  }
  return { entries, seq };
}

export class FeatBook implements ChainFold {
  readonly name = 'feats';
  claims = new Map<string, { bytes: Uint8Array; seq: number }>();
  attestations = new Map<string, { bytes: Uint8Array; sig: Uint8Array }[]>();
  trust: TrustEntry[] = [];

  fold(header: Header, bodyOps: BodyOps): void {
    if (header.kind === 'trust') {
      this.trust = foldTrust(this.trust, trustMeta(header));
      return;
    }
    if (header.kind !== 'feat' && header.kind !== 'attestation') return;
    for (const ref of header.bodies) {
      for (const op of bodyOps(ref) ?? []) {
        if (op.op === 'claim') this.claims.set(String(header.meta.claim), { bytes: op.claim, seq: header.seq });
        if (op.op === 'attestation') {
          const key = String(header.meta.claim);
          this.attestations.set(key, [...(this.attestations.get(key) ?? []), { bytes: op.attestation, sig: op.sig }]);
        }
      }
    }
  }

  snapshot(): unknown {
    return { claims: [...this.claims], attestations: [...this.attestations], trust: this.trust };
  }

  restore(value: unknown): void {
    const v = value as { claims: [string, { bytes: Uint8Array; seq: number }][]; attestations: [string, { bytes: Uint8Array; sig: Uint8Array }[]][]; trust: TrustEntry[] };
    this.claims = new Map(v.claims);
    this.attestations = new Map(v.attestations);
    // Snapshots from before trust entries were sealed hold public entries only.
    this.trust = v.trust.map((t) => ({ ...t, listed: t.listed ?? true }));
  }

  reset(): void {
    this.claims.clear();
    this.attestations.clear();
    this.trust = [];
  }
}

export class Feats {
  private readonly writer: ChainWriter;
  private readonly book: FeatBook;
  private readonly identitySeed: Uint8Array;
  private readonly media: (cid: string) => MediaRef | undefined;
  private readonly barred: (did: Did) => boolean;
  private readonly refutedBy: (cid: string) => string | null;

  /**
   * `media` finds the owner's attached media by CID (evidence must be one of them); `barred` says which
   * witnesses are barred in this home's view (core/honor): they count toward no policy and leave trust trees;
   * `refutedBy`, the challenge that refuted a claim (core/social), if one did.
   */
  constructor(
    writer: ChainWriter,
    book: FeatBook,
    identitySeed: Uint8Array,
    media: (cid: string) => MediaRef | undefined = () => undefined,
    barred: (did: Did) => boolean = () => false,
    refutedBy: (cid: string) => string | null = () => null,
  ) {
    this.writer = writer;
    this.book = book;
    this.identitySeed = identitySeed;
    this.media = media;
    this.barred = barred;
    this.refutedBy = refutedBy;
  }

  /** Writes a `feat` block whose sealed body carries the claim document. Evidence is media attached to this profile. */
  claim(input: Omit<FeatClaim, 'holder' | 'ts'>): { claim: ClaimRecord; block: BlockSummary } {
    for (const cid of input.evidence) if (this.media(cid) === undefined) throw new FeatError('invalid', `evidence ${cid} is not media attached to this profile`);
    if (new Set(input.evidence).size !== input.evidence.length) throw new FeatError('invalid', 'the same evidence is named twice');
    const claim = makeClaim(this.writer.deps.crypto, { ...input, holder: this.writer.id, ts: this.writer.now() });
    if (this.book.claims.has(claim.cid)) throw new FeatError('exists', 'this claim is already recorded');
    const block = this.writer.commit(() => this.writer.stageSealed('feat', 'feats', [{ op: 'claim', claim: claim.bytes }], { claim: claim.cid }));
    return { claim, block };
  }

  list(): { claim: ClaimRecord; status: FeatStatus }[] {
    return [...this.book.claims.keys()].map((cid) => ({ claim: this.get(cid), status: this.status(cid) }));
  }

  get(cid: string): ClaimRecord {
    const found = this.book.claims.get(cid);
    if (found === undefined) throw new FeatError('unknown', `no feat claim ${cid} here`);
    return readClaim(this.writer.deps.crypto, found.bytes);
  }

  /** One sealed request per witness, with copies of the evidence up to MAX_ATTEST_EVIDENCE_BYTES bytes. */
  requests(cid: string, witnesses: Did[]): { witness: Did; envelope: Uint8Array }[] {
    for (const witness of witnesses) {
      assertDid(witness);
      if (witness === this.writer.id) throw new FeatError('invalid', 'you cannot witness your own feat');
    }
    const claim = this.get(cid);
    const evidence = this.evidence(claim);
    return witnesses.map((witness) => ({ witness, envelope: sealAttestRequest(this.writer.deps.crypto, witness, claim, evidence) }));
  }

  /** The claim's evidence for a request: copied in claim order while the total stays under the cap, else described. */
  private evidence(claim: ClaimRecord): EvidenceItem[] {
    let room = MAX_ATTEST_EVIDENCE_BYTES;
    const items: EvidenceItem[] = [];
    for (const cid of claim.claim.evidence) {
      const ref = this.media(cid);
      if (ref === undefined) continue;
      const item: EvidenceItem = { cid, name: ref.name, type: ref.type, size: ref.size };
      const manifest = ref.size <= room ? this.writer.deps.store.blob(cid) : undefined;
      if (manifest !== undefined) {
        const chunks = openManifest(this.writer.deps.crypto, ref, manifest).chunks.map((c) => this.writer.deps.store.blob(c.toString()));
        if (chunks.every((c) => c !== undefined)) {
          item.copy = { key: ref.key, chunks: ref.chunks, blobs: [manifest, ...(chunks as Uint8Array[])] };
          room -= ref.size;
        }
      }
      items.push(item);
    }
    return items;
  }

  /**
   * Records a claim document made elsewhere for this holder (a won duel's claim, derived from the duel), with
   * attestations of it that came with it; a `feat` block, then an `attestation` block each.
   */
  adopt(claim: ClaimRecord, attestations: readonly SignedAttestation[]): BlockSummary {
    if (claim.claim.holder !== this.writer.id) throw new FeatError('invalid', 'this claim is someone else’s');
    if (this.book.claims.has(claim.cid)) throw new FeatError('exists', 'this claim is already recorded');
    if (attestations.some((a) => a.attestation.claimHash !== claim.hash.toString())) throw new FeatError('forged', 'an attestation names another claim hash');
    return this.writer.commitAll(() => [
      ...this.writer.stageSealed('feat', 'feats', [{ op: 'claim', claim: claim.bytes }], { claim: claim.cid }),
      ...attestations.flatMap((signed) => this.writer.stageSealed('attestation', 'feats', [{ op: 'attestation', attestation: signed.bytes, sig: signed.sig }], { claim: claim.cid, witness: signed.attestation.witness })),
    ])[0]!;
  }

  /** Takes a witness's reply in: checks it and records an `attestation` block. */
  receive(reply: Uint8Array): SignedAttestation {
    const signed = openAttestReply(this.writer.deps.crypto, reply, this.writer.id, this.identitySeed);
    return this.record(this.get(signed.attestation.claim), signed);
  }

  private record(claim: ClaimRecord, signed: SignedAttestation): SignedAttestation {
    if (signed.attestation.claimHash !== claim.hash.toString()) throw new FeatError('forged', 'the attestation names another claim hash');
    if (this.attestations(claim.cid).some((a) => a.attestation.witness === signed.attestation.witness)) {
      throw new FeatError('replayed', `${signed.attestation.witness} already attested this claim`);
    }
    this.writer.commit(() => this.writer.stageSealed('attestation', 'feats', [{ op: 'attestation', attestation: signed.bytes, sig: signed.sig }], { claim: claim.cid, witness: signed.attestation.witness }));
    return signed;
  }

  attestations(cid: string): SignedAttestation[] {
    return (this.book.attestations.get(cid) ?? []).map((a) => checkAttestation(this.writer.deps.crypto, a.bytes, a.sig));
  }

  /**
   * k-of-n: k distinct witnesses trusted for the feat type (by this holder's list or a community list) said
   * yes. authority: an authority this holder trusts for the feat type said yes. Other verdicts, and barred witnesses, do not count.
   */
  status(cid: string): FeatStatus {
    const claim = this.get(cid);
    const yes = new Set(this.attestations(cid).filter((a) => a.attestation.verdict === 'yes').map((a) => a.attestation.witness));
    const policy = claim.claim.policy;
    const trusted = this.trustedFor(claim.claim.featType, policy.kind === 'authority');
    const have = [...yes].filter((w) => trusted.has(w)).length;
    const need = policy.kind === 'authority' ? 1 : policy.k;
    const refuted = this.refutedBy(cid);
    return refuted === null ? { met: have >= need, have, need } : { met: false, have, need, refuted };
  }

  /** The dids trusted for `featType` (or for every type): as authorities only, or as witnesses at all; barred ones left out. */
  trustedFor(featType: string | undefined, authorities: boolean): Set<Did> {
    const entries = authorities ? this.book.trust.filter((t) => t.authority) : [...this.book.trust, ...this.communityList()];
    return new Set(entries.filter((t) => (featType === undefined || t.featType === featType || t.featType === '*') && !this.barred(t.did)).map((t) => t.did));
  }

  trustList(): TrustEntry[] {
    return this.book.trust.map((t) => ({ ...t }));
  }

  /** Authorities this holder trusts, with the feat types it trusts each for. */
  authorities(): { did: Did; featTypes: string[] }[] {
    const by = new Map<Did, string[]>();
    for (const t of this.book.trust) if (t.authority) by.set(t.did, [...(by.get(t.did) ?? []), t.featType]);
    return [...by].map(([did, featTypes]) => ({ did, featTypes }));
  }

  /**
   * Witnesses the community lists add: for each authority trusted for a feat type, the witnesses its own
   * published list trusts for that type (listed as plain witnesses: an authority's authority is not this
   * holder's). Only lists whose chain this store holds count (`defaust trust sync` fetches them).
   */
  communityList(): (TrustEntry & { via: Did })[] {
    const { crypto, store } = this.writer.deps;
    return this.authorities().flatMap(({ did: via, featTypes }) => {
      const scope = (type: string) => featTypes.includes('*') || featTypes.includes(type) || type === '*';
      return publishedTrustList(crypto, store, via).entries.filter((e) => scope(e.featType)).map((e) => ({ did: e.did, featType: e.featType, authority: false, listed: true, via }));
    });
  }

  /**
   * Trusts `did` for `featType`: sealed (only this owner sees it), or `listed` on the owner's public list. An
   * entry taken off the public list is first removed from it in the clear, so the published list says so.
   */
  trustAdd(did: Did, featType: string, authority = false, listed = false): BlockSummary {
    assertDid(did);
    if (featType !== '*' && !FEAT_TYPE.test(featType)) throw new FeatError('invalid', `${FEAT_TYPE_RULE}, or *`);
    const unlisting = !listed && this.book.trust.some((t) => t.did === did && t.featType === featType && t.listed);
    return this.writer.commit(() => [
      ...(unlisting ? [this.writer.stage('trust', { meta: { action: 'remove', did, featType, authority: false, list: true } })] : []),
      this.writer.stage('trust', { meta: { action: 'add', did, featType, authority, list: listed } }),
    ]);
  }

  /** Ends trust in `did` for `featType`, in the clear when the entry was on the public list. */
  trustRemove(did: Did, featType: string): BlockSummary {
    const entry = this.book.trust.find((t) => t.did === did && t.featType === featType);
    if (entry === undefined) throw new FeatError('unknown', `${did} is not trusted for ${featType}`);
    return this.writer.commit(() => [this.writer.stage('trust', { meta: { action: 'remove', did, featType, authority: false, list: entry.listed } })]);
  }

  /**
   * The trusted-witness tree: Baby Jubjub keys of trusted dids (this holder's list and the community lists of
   * the authorities it trusts), as bound to each did by an attestation it signed; with `authorities`, the
   * tree of the authorities this holder trusts (its own list only). Trusted dids whose key is not known yet
   * are listed in `missing`.
   */
  trustTree(depth: number, featType?: string, authorities = false): { tree: PoseidonTree; members: Did[]; missing: Did[] } {
    if (featType !== undefined && !FEAT_TYPE.test(featType)) throw new FeatError('invalid', FEAT_TYPE_RULE);
    const keys = new Map<Did, [Uint8Array, Uint8Array]>();
    for (const cid of this.book.attestations.keys()) for (const a of this.attestations(cid)) keys.set(a.attestation.witness, a.attestation.babyJubjub);
    const trusted = [...this.trustedFor(featType, authorities)].sort();
    const members = trusted.filter((d) => keys.has(d));
    return { tree: new PoseidonTree(depth, members.map((d) => keyLeaf(keys.get(d)!))), members, missing: trusted.filter((d) => !keys.has(d)) };
  }

  /**
   * The inputs of the proof the claim's policy calls for: FeatThreshold with k = the policy's k (yes-signatures
   * from distinct trusted witnesses), or FeatAuthority (a yes-signature from a trusted authority), bound to
   * `nonce`, with the k it shows. `circuits` gives the trees' depths and how many slots the circuit that
   * shows k witnesses has; `against`, a tree the verifier can recompute (its own list, an authority's
   * published list) instead of this holder's trust tree.
   */
  proofInputs(cid: string, nonce: bigint, circuits: { depth: number; authorityDepth: number; slotsFor(k: number): number }, against?: PoseidonTree): { kind: FeatCircuitKind; k: number; inputs: CircuitInputs; root: bigint } {
    const claim = this.get(cid);
    const refuted = this.refutedBy(cid);
    if (refuted !== null) throw new FeatError('refuted', `this claim was refuted: you lost challenge ${refuted} on it, so it is not proven any more`);
    const policy = claim.claim.policy;
    const signatures = this.attestations(cid).filter((a) => a.attestation.verdict === 'yes' && a.attestation.poseidon !== null).map((a) => ({
      babyJubjub: a.attestation.babyJubjub,
      R8x: BigInt(a.attestation.poseidon!.R8x), R8y: BigInt(a.attestation.poseidon!.R8y), S: BigInt(a.attestation.poseidon!.S),
    }));
    if (policy.kind === 'authority') {
      const tree = against ?? this.trustTree(circuits.authorityDepth, claim.claim.featType, true).tree;
      return { kind: 'authority', k: 1, inputs: featAuthorityInputs(tree, claim.hash, nonce, signatures), root: tree.root };
    }
    const tree = against ?? this.trustTree(circuits.depth, claim.claim.featType).tree;
    return { kind: 'k-of-n', k: policy.k, inputs: featAttestedInputs(tree, policy.k, circuits.slotsFor(policy.k), claim.hash, nonce, signatures), root: tree.root };
  }
}
