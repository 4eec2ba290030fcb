// Community trust lists (DESIGN §6): an authority's public `trust` blocks are a list others adopt. A holder
// who trusts the authority for a feat type takes in the witnesses it lists for that type — once the
// authority's chain is held (as `defaust trust sync` fetches it) — and for no other type; the list follows
// the authority's later removals; the holder's own list is unchanged.
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { exportArchive, importArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { openAttestRequest, signAttestation } from '../src-main/core/feats/claims.ts';
import { publishedTrustList } from '../src-main/core/feats/feats.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import type { ChainStore } from '../src-main/core/ports.ts';
import { crypto, deps, ownerKeys } from './helpers.ts';

const person = () => {
  const keys = ownerKeys();
  return { keys, id: identityPublic(crypto, keys.identity).id };
};

/** Copies `from`'s chain of `id` into `to`, verified whole (what a pull does). */
const copyChain = (from: ChainStore, to: ChainStore, id: string) => importArchive(crypto, to, readArchive(crypto, exportArchive(from, id as never)));

describe('community trust lists', () => {
  it('adds the witnesses an adopted authority lists for the types it is trusted for, and follows its removals', () => {
    const authorityPerson = person();
    const authorityStore = new MemoryChainStore();
    const authority = Profile.create(deps(authorityStore), authorityPerson.keys);
    const [coachA, coachB, judge] = [person(), person(), person()];
    authority.feats.trustAdd(coachA.id, 'climb');
    authority.feats.trustAdd(coachB.id, 'climb');
    authority.feats.trustAdd(judge.id, 'lifting');
    expect(publishedTrustList(crypto, authorityStore, authority.id).map((e) => e.did)).toEqual([coachA.id, coachB.id, judge.id]);

    const holderPerson = person();
    const holderStore = new MemoryChainStore();
    const holder = Profile.create(deps(holderStore), holderPerson.keys);
    const { claim } = holder.feats.claim({ title: 'Route 6a', criteria: '', featType: 'climb', policy: { kind: 'k-of-n', k: 1 }, evidence: [] });
    const [request] = holder.feats.requests(claim.cid, [coachA.id]);
    const seen = openAttestRequest(crypto, request!.envelope, coachA.id, coachA.keys.identity.ed25519Seed);
    holder.feats.receive(signAttestation(crypto, coachA.keys.identity.ed25519Seed, coachA.id, coachA.keys.identity.babyJubjubSecret, seen, 'yes', 1));

    holder.feats.trustAdd(authority.id, 'climb', true);
    // Without the authority's chain nothing is adopted.
    expect(holder.feats.communityList()).toEqual([]);
    expect(holder.feats.trustTree(4, 'climb').members).toEqual([]);

    copyChain(authorityStore, holderStore, authority.id);
    expect(holder.feats.communityList()).toEqual([
      { did: coachA.id, featType: 'climb', authority: false, via: authority.id },
      { did: coachB.id, featType: 'climb', authority: false, via: authority.id },
    ]);
    const tree = holder.feats.trustTree(4, 'climb');
    expect(tree.members).toEqual([coachA.id]);
    expect(tree.missing).toEqual([authority.id, coachB.id].sort()); // keys not bound by an attestation yet
    expect(holder.feats.trustTree(4, 'lifting').members).toEqual([]);
    expect(holder.feats.trustList()).toEqual([{ did: authority.id, featType: 'climb', authority: true }]);

    // The authority drops coach A; once the holder holds the newer chain, A is no longer listed.
    authority.feats.trustRemove(coachA.id, 'climb');
    copyChain(authorityStore, holderStore, authority.id);
    expect(holder.feats.communityList().map((e) => e.did)).toEqual([coachB.id]);
    expect(holder.feats.trustTree(4, 'climb').members).toEqual([]);
  });
});
