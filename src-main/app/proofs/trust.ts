// Verifier-owned trust: the canonical trust tree of a named list, computed from public data only, so a
// verifier recomputes the root itself instead of taking the one a holder hands over. A list is an authority's
// published community list (the `trust` blocks of its chain) or explicit members; each member's Baby Jubjub
// key is read from its public genesis block as the store holds it (pulled from the network or an archive).
import { MemoryChainStore } from '../../adapters/db/memory-store.ts';
import { importArchive, readArchive } from '../../core/archive/archive.ts';
import { decodeHeader } from '../../core/chain/header.ts';
import { genesisMeta } from '../../core/chain/meta.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { DefaustError } from '../../core/errors.ts';
import { publishedTrustList } from '../../core/feats/feats.ts';
import { assertDid, type Did } from '../../core/identity/did.ts';
import type { ChainStore } from '../../core/ports.ts';
import { keyLeaf } from '../../core/zk/field.ts';
import { PoseidonTree } from '../../core/zk/merkle.ts';

/** Whom a tree is made of: an authority's published list (for one feat type), or these members. */
export type TrustSource = { authority: Did } | { members: Did[] };

/** Which list a tree was built from, as a proof file records it and a verifier reports it. */
export type TrustListName = { authority: Did; seq: number; featType: string } | { members: Did[] };

export interface CanonicalTree {
  tree: PoseidonTree;
  list: TrustListName;
  members: Did[];
}

/** A trust list names a member (or an authority) whose chain is not held here, so its key is unknown. */
export class TrustListError extends DefaustError {
  override name = 'TrustListError';
  readonly missing: Did[];
  constructor(missing: Did[], message: string) {
    super('trust/missing', message);
    this.missing = missing;
  }
}

/** The dids `authority`'s published list trusts for `featType` (or for every type), and the seq of its newest trust block. */
function authorityList(crypto: Crypto, store: ChainStore, authority: Did, featType: string): { members: Did[]; seq: number } {
  if (store.head(authority) === undefined) throw new TrustListError([authority], `no copy of ${authority}'s chain here: fetch its list with --bootstrap ADDR or give --archive FILE`);
  const { entries, seq } = publishedTrustList(crypto, store, authority);
  return { members: entries.filter((e) => e.featType === featType || e.featType === '*').map((e) => e.did), seq };
}

/** The Baby Jubjub key `did` publishes in its genesis block, or undefined when its chain is not held here. */
function genesisKey(crypto: Crypto, store: ChainStore, did: Did): [Uint8Array, Uint8Array] | undefined {
  const genesis = store.header(did, 0);
  return genesis === undefined ? undefined : genesisMeta(decodeHeader(crypto, genesis.bytes).header).babyJubjub;
}

/**
 * The canonical tree of `source` for `featType` at `depth`: members de-duplicated and sorted by did, each
 * leaf the key of the member's genesis block. Refuses a list with a member whose chain is not held here
 * (a tree without it would silently differ from the one everyone else computes). Members `barred` in the
 * verifier's view (core/honor) leave the tree: a proof against a root that held them no longer matches.
 */
export function canonicalTrustTree(crypto: Crypto, store: ChainStore, source: TrustSource, featType: string, depth: number, barred: (did: Did) => boolean = () => false): CanonicalTree {
  const { members, list, keys } = trustedKeys(crypto, store, source, featType, barred);
  return { tree: new PoseidonTree(depth, keys.map((k) => keyLeaf(k))), list, members };
}

/**
 * The members `source` names for `featType` (de-duplicated, sorted by did, the barred left out) with the key
 * each one's genesis block publishes, and the list's name. Refuses a list with a member whose chain is not held here.
 */
export function trustedKeys(crypto: Crypto, store: ChainStore, source: TrustSource, featType: string, barred: (did: Did) => boolean = () => false): { members: Did[]; list: TrustListName; keys: [Uint8Array, Uint8Array][] } {
  const named = namedMembers(crypto, store, source, featType);
  const { list } = named;
  const members = named.members.filter((did) => !barred(did));
  const keys = members.map((did) => genesisKey(crypto, store, did));
  const missing = members.filter((_, i) => keys[i] === undefined);
  if (missing.length > 0) throw new TrustListError(missing, `the chains of ${missing.join(', ')} are not held here: fetch them from the network, or give their archive files`);
  return { members, list, keys: keys as [Uint8Array, Uint8Array][] };
}

/** The members `source` names for `featType`, de-duplicated and sorted by did, and the list's name. */
function namedMembers(crypto: Crypto, store: ChainStore, source: TrustSource, featType: string): { members: Did[]; list: TrustListName } {
  const canonical = (dids: readonly Did[]) => [...new Set(dids)].sort();
  if ('members' in source) {
    for (const did of source.members) assertDid(did);
    const members = canonical(source.members);
    return { members, list: { members } };
  }
  assertDid(source.authority);
  const published = authorityList(crypto, store, source.authority, featType);
  return { members: canonical(published.members), list: { authority: source.authority, seq: published.seq, featType } };
}

/** The list in words: "the list did:… published for T (block 4, 3 members)", or "the 3 members named". */
export function describeList(list: TrustListName, size: number): string {
  return 'authority' in list ? `the list ${list.authority} published for ${list.featType} (block ${list.seq}, ${size} member${size === 1 ? '' : 's'})` : `the ${size} member${size === 1 ? '' : 's'} named`;
}

/** The dids whose chains a list needs: the authority and every did its list names (as held so far), or the members. */
function chainsOf(crypto: Crypto, store: ChainStore, source: TrustSource): Did[] {
  if ('members' in source) return source.members;
  return [source.authority, ...(store.head(source.authority) === undefined ? [] : publishedTrustList(crypto, store, source.authority).entries.map((e) => e.did))];
}

/**
 * Pulls into `store` the chains a list needs that it does not hold: the authority's first (its list names the
 * rest), then each member's. A chain no replica serves stays missing; the tree then names it.
 */
export async function fetchListChains(net: { recover(id: Did): Promise<unknown> }, crypto: Crypto, store: ChainStore, source: TrustSource): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const did of chainsOf(crypto, store, source)) if (store.head(did) === undefined) await net.recover(did).catch(() => undefined);
  }
}

/** A scratch store of these archive files (each verified whole): the chains a list is read from, instead of a home's. */
export function storeOfArchives(crypto: Crypto, files: readonly Uint8Array[]): ChainStore {
  const store = new MemoryChainStore();
  for (const bytes of files) importArchive(crypto, store, readArchive(crypto, bytes));
  return store;
}
