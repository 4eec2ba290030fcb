// The service registry (DESIGN §4): a `registry` block signed by the identity key authorises a client (its
// key, its peer id) to serve given sections. The client receives the section keys through ordinary grants,
// so key rotation re-wraps for it like for any grantee in term; revoking the client revokes those grants.
// The block also hands the client the owner's meta key (sealed to it), so it can fold the sealed grants;
// clients registered by v1 blocks get it in a `key` block when the owner opens the chain.
import type { AccessControl } from '../access/access-control.ts';
import type { GrantBook } from '../access/grant-book.ts';
import type { Header } from '../chain/header.ts';
import { registryMeta } from '../chain/meta.ts';
import type { BlockSummary, BodyOps, ChainFold, ChainWriter } from '../chain/writer.ts';
import { checkSize, DefaustError, InvalidInputError, NotFoundError } from '../errors.ts';
import { MAX_LABEL_CHARS } from '../../../src-shared/rules/text.ts';
import { assertDid, type Did } from '../identity/did.ts';
import type { BlockWrite } from '../ports.ts';
import { checkSection } from '../chain/ops.ts';

/**
 * A service's key is its own, never a person's: registering hands Read grants to the key, so registering a
 * person you granted (or just revoked) would silently give them Read again until the section's keys end.
 */
export class ServiceKeyIsPersonError extends DefaustError {
  override name = 'ServiceKeyIsPersonError';
  readonly client: Did;
  constructor(client: Did) {
    super('service-key-is-person', `${client} is a person you granted access to, not a service key; a service has a key of its own (revoking a person never gives them access back)`);
    this.client = client;
  }
}

export interface ClientView {
  client: Did;
  peer: string | null;
  label: string;
  sections: string[];
  addedSeq: number;
  revokedSeq: number | null;
}

export class RegistryBook implements ChainFold {
  readonly name = 'registry';
  private clients: ClientView[] = [];
  /** Clients handed the meta key: registered by a v2 `add`, or by a `key` block since. */
  private keyed = new Set<Did>();

  list(): ClientView[] {
    return this.clients.map((c) => ({ ...c, sections: [...c.sections] }));
  }

  /** Whether `client` was handed the owner's meta key. */
  hasMetaKey(client: Did): boolean {
    return this.keyed.has(client);
  }

  /** Whether `client` was ever registered (revoked or not). */
  known(client: Did): boolean {
    return this.clients.some((c) => c.client === client);
  }

  active(client: Did): ClientView | undefined {
    return this.clients.find((c) => c.client === client && c.revokedSeq === null);
  }

  fold(header: Header, _bodyOps: BodyOps): void {
    if (header.kind !== 'registry') return;
    const meta = registryMeta(header);
    if (meta.action === 'add') {
      this.clients.push({ client: meta.client, peer: meta.peer, label: meta.label, sections: meta.sections, addedSeq: header.seq, revokedSeq: null });
      if (header.v >= 2) this.keyed.add(meta.client);
    } else if (meta.action === 'key') {
      this.keyed.add(meta.client);
    } else if (meta.action === 'revoke') {
      for (const c of this.clients) if (c.client === meta.client && c.revokedSeq === null) c.revokedSeq = header.seq;
    }
  }

  snapshot(): unknown {
    return { clients: this.clients, keyed: [...this.keyed] };
  }

  /** Snapshots written before the meta key were the bare list of clients. */
  restore(value: unknown): void {
    const v = Array.isArray(value) ? { clients: value as ClientView[], keyed: [] } : (value as { clients: ClientView[]; keyed: Did[] });
    this.clients = v.clients;
    this.keyed = new Set(v.keyed);
  }

  reset(): void {
    this.clients = [];
    this.keyed.clear();
  }
}

export class Registry {
  private readonly writer: ChainWriter;
  private readonly access: AccessControl;
  private readonly grants: GrantBook;
  private readonly book: RegistryBook;

  constructor(writer: ChainWriter, access: AccessControl, grants: GrantBook, book: RegistryBook) {
    this.writer = writer;
    this.access = access;
    this.grants = grants;
    this.book = book;
  }

  list(): ClientView[] {
    return this.book.list();
  }

  /** Authorises `client` to serve `sections`: a `registry` block and a read grant per section, in one write. */
  add(client: Did, sections: string[], options: { peer?: string; label?: string } = {}): BlockSummary {
    assertDid(client);
    if (this.book.active(client)) throw new InvalidInputError(`${client} is already registered; revoke it first to change its sections`);
    checkSize('client label', (options.label ?? '').length, MAX_LABEL_CHARS, 'characters');
    const unique = [...new Set(sections.map(checkSection))];
    if (unique.length === 0) throw new InvalidInputError('name at least one section for the client to serve');
    if (options.peer !== undefined && !/^[1-9A-HJ-NP-Za-km-z]{32,128}$/u.test(options.peer)) throw new InvalidInputError('a peer id is a base58 libp2p peer id');
    if (!this.book.known(client) && this.grants.everGranted(client)) throw new ServiceKeyIsPersonError(client);
    return this.writer.commitAll(() => {
      const generations = unique.map((section) => this.access.checkGrant(client, section, 'read'));
      const writes: BlockWrite[] = [this.writer.stage('registry', {
        meta: { action: 'add', client, peer: options.peer ?? null, label: options.label ?? '', sections: unique, key: this.writer.metaKeySealedTo(client) },
        signer: 'identity',
      })];
      const now = this.writer.now();
      for (const generation of generations) {
        const end = generation.start + generation.length * generation.epochMs - 1;
        writes.push(this.access.stageGrant(generation, client, 'read', now, end));
      }
      return writes;
    })[0]!;
  }

  /**
   * Hands the meta key to every active client whose registration was a v1 block (it carried none), in one
   * `registry` block of action `key` each, so they can fold grants written in v2 blocks. Nothing when none.
   */
  handMetaKeys(): void {
    const unkeyed = this.book.list().filter((c) => c.revokedSeq === null && !this.book.hasMetaKey(c.client));
    if (unkeyed.length === 0) return;
    this.writer.commitAll(() => unkeyed.map((c) => this.writer.stage('registry', {
      meta: { action: 'key', client: c.client, peer: c.peer, label: c.label, sections: c.sections, key: this.writer.metaKeySealedTo(c.client) },
      signer: 'identity',
    })));
  }

  /** Ends a client's authorisation and its grants (with key rotation for what is written afterwards). */
  revoke(client: Did): BlockSummary {
    const known = this.book.active(client);
    if (known === undefined) throw new NotFoundError(`${client} is not a registered client`);
    return this.writer.commitAll(() => {
      const writes: BlockWrite[] = [this.writer.stage('registry', { meta: { action: 'revoke', client, peer: known.peer, label: known.label, sections: known.sections }, signer: 'identity' })];
      for (const section of known.sections) {
        if (this.grants.active().some((g) => g.grantee === client && g.section === section)) writes.push(...this.access.stageRevoke(client, section));
      }
      return writes;
    })[0]!;
  }
}
