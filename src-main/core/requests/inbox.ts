// The owner's inbox of change requests: takes sealed proposals in (refusing forged, replayed, stale or
// unauthorised ones with their reason), shows the exact diff, and approves — a `merge` block carrying the
// proposal and its author's signature — or rejects with a signed reply. Grantees with `write` are approved
// by the owner's client at once.
import type { GrantBook } from '../access/grant-book.ts';
import { decodeHeader, type Header } from '../chain/header.ts';
import type { BlockSummary, BodyOps, ChainFold, ChainWriter } from '../chain/writer.ts';
import type { Did } from '../identity/did.ts';
import type { Op } from '../chain/ops.ts';
import type { ProfileData } from '../profile/data-fold.ts';
import { diffOps, type FieldChange } from '../profile/state.ts';
import { StoreConflictError, type RequestStatus, type RequestStore } from '../ports.ts';
import { checkSignedProposal, openProposal, RequestError, sealRejection, type SignedProposal } from './proposal.ts';
import { checkSize } from '../errors.ts';
import { MAX_REASON_CHARS } from '../../../src-shared/rules/text.ts';

export interface RequestView {
  id: string;
  from: Did;
  section: string;
  ops: Op[];
  base: number;
  status: RequestStatus;
  changes: FieldChange[];
  /** For approved requests: the merge block and whether the author's signature inside it verifies. */
  merge?: { seq: number; signatureValid: boolean };
}

/** Folds `merge` blocks: which requests were merged, where, and whether the signed proposal inside checks out. */
export class MergeBook implements ChainFold {
  readonly name = 'merges';
  private merged = new Map<string, { seq: number; from: Did; signatureValid: boolean }>();
  private readonly crypto: ChainWriter['deps']['crypto'];

  constructor(crypto: ChainWriter['deps']['crypto']) {
    this.crypto = crypto;
  }

  get(id: string) {
    return this.merged.get(id);
  }

  fold(header: Header, bodyOps: BodyOps): void {
    if (header.kind !== 'merge' || typeof header.meta.request !== 'string') return;
    let signatureValid = false;
    for (const ref of header.bodies) {
      const ops = bodyOps(ref);
      const carried = ops?.find((op) => op.op === 'proposal');
      if (ops === null || carried === undefined || carried.op !== 'proposal') continue;
      try {
        const signed = checkSignedProposal(this.crypto, carried.proposal, carried.sig);
        const applied = ops.filter((op) => op.op !== 'proposal');
        signatureValid = signed.id === header.meta.request && signed.proposal.section === ref.section &&
          JSON.stringify(signed.proposal.ops) === JSON.stringify(applied);
      } catch {
        signatureValid = false;
      }
    }
    this.merged.set(header.meta.request, { seq: header.seq, from: header.meta.from as Did, signatureValid });
  }

  snapshot(): unknown {
    return [...this.merged];
  }

  restore(value: unknown): void {
    this.merged = new Map(value as [string, { seq: number; from: Did; signatureValid: boolean }][]);
  }

  reset(): void {
    this.merged.clear();
  }
}

export class Inbox {
  private readonly writer: ChainWriter;
  private readonly grants: GrantBook;
  private readonly merges: MergeBook;
  private readonly data: ProfileData;
  private readonly store: RequestStore;
  private readonly ownerSeed: Uint8Array;

  constructor(parts: { writer: ChainWriter; grants: GrantBook; merges: MergeBook; data: ProfileData; store: RequestStore; ownerSeed: Uint8Array }) {
    this.writer = parts.writer;
    this.grants = parts.grants;
    this.merges = parts.merges;
    this.data = parts.data;
    this.store = parts.store;
    this.ownerSeed = parts.ownerSeed;
  }

  /** Takes a sealed request in; refuses it with its reason, or keeps it pending (approves it for `write`). */
  receive(envelope: Uint8Array): RequestView {
    const signed = openProposal(this.writer.deps.crypto, envelope, this.ownerSeed, this.writer.id);
    if (this.store.get(this.writer.id, signed.id) !== undefined || this.merges.get(signed.id) !== undefined) {
      throw new RequestError('replayed', `request ${signed.id} was already received`, { seen: 'received' });
    }
    const rights = this.checkAdmissible(signed);
    try {
      this.store.put(this.writer.id, {
        id: signed.id, sender: signed.proposal.from, section: signed.proposal.section, receivedAt: this.writer.deps.clock.now(), status: 'pending', envelope,
      });
    } catch (error) {
      if (error instanceof StoreConflictError) throw new RequestError('replayed', `request ${signed.id} was already received`, { seen: 'received' });
      throw error;
    }
    if (rights === 'write') this.approve(signed.id);
    return this.get(signed.id)!;
  }

  list(status?: RequestStatus): RequestView[] {
    return this.store.list(this.writer.id, status).map((r) => this.get(r.id)!);
  }

  /** Writes the `merge` block: the proposal's ops plus the proposal and its signature, sealed in the section. */
  approve(id: string): BlockSummary {
    const signed = this.pending(id);
    this.checkAdmissible(signed);
    const { proposal } = signed;
    const ops: Op[] = [...proposal.ops, { op: 'proposal', proposal: signed.bytes, sig: signed.sig }];
    const block = this.writer.commit(() => this.writer.stageSealed('merge', proposal.section, ops, { request: id, from: proposal.from }));
    this.store.setStatus(this.writer.id, id, 'approved');
    return block;
  }

  /** Marks a request rejected and returns the signed reply for its author. */
  reject(id: string, reason: string): Uint8Array {
    checkSize('the reason', reason.length, MAX_REASON_CHARS, 'characters');
    const signed = this.pending(id);
    const reply = sealRejection(this.writer.deps.crypto, this.ownerSeed, this.writer.id, signed, reason, this.writer.now());
    this.store.setStatus(this.writer.id, id, 'rejected');
    return reply;
  }

  private pending(id: string): SignedProposal {
    const stored = this.store.get(this.writer.id, id);
    if (stored === undefined) throw new RequestError('unknown', `no request ${id}`);
    if (stored.status !== 'pending') throw new RequestError('replayed', `request ${id} was already ${stored.status}`, { seen: stored.status });
    return openProposal(this.writer.deps.crypto, stored.envelope, this.ownerSeed, this.writer.id);
  }

  /** One request as shown (opening only its own envelope); undefined when the inbox holds no such id. */
  get(id: string): RequestView | undefined {
    const stored = this.store.get(this.writer.id, id);
    if (stored === undefined) return undefined;
    const { proposal } = openProposal(this.writer.deps.crypto, stored.envelope, this.ownerSeed, this.writer.id);
    const merged = this.merges.get(id);
    return {
      id, from: proposal.from, section: proposal.section, ops: proposal.ops, base: proposal.base, status: stored.status,
      changes: stored.status === 'pending' ? diffOps(this.data.state, proposal.section, proposal.ops) : [],
      ...(merged ? { merge: { seq: merged.seq, signatureValid: merged.signatureValid } } : {}),
    };
  }

  /** The author holds propose or write on the section now, and nothing was written there since their base. */
  private checkAdmissible(signed: SignedProposal): 'propose' | 'write' {
    const { proposal } = signed;
    const now = this.writer.deps.clock.now();
    const grant = this.grants.active().filter((g) => g.grantee === proposal.from && g.section === proposal.section && g.until >= now && g.rights !== 'read')
      .sort((a, b) => (a.rights === 'write' ? -1 : 1) - (b.rights === 'write' ? -1 : 1))[0];
    if (grant === undefined) throw new RequestError('no-right', `${proposal.from} may not propose changes to ${proposal.section}`, { section: proposal.section });
    if (proposal.base >= this.writer.length) throw new RequestError('stale', `the proposal is based on block ${proposal.base}, which this chain does not have`, { section: proposal.section });
    for (const stored of this.writer.deps.store.headers(this.writer.id, proposal.base + 1)) {
      const { header } = decodeHeader(this.writer.deps.crypto, stored.bytes);
      if (header.bodies.some((ref) => ref.section === proposal.section)) {
        throw new RequestError('stale', `${proposal.section} changed in block ${header.seq}, after the proposal's base ${proposal.base}; ask for a new proposal`, { section: proposal.section });
      }
    }
    return grant.rights as 'propose' | 'write';
  }
}
