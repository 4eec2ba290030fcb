// Community trust lists (DESIGN §6): an authority's public `trust` blocks are a list others adopt. A holder
// who trusts the authority for a feat type takes in the witnesses it lists for that type — once the
// authority's chain is held (as `defaust trust sync` fetches it) — and for no other type; the list follows
// the authority's later removals; the holder's own list is unchanged. Entries not put on the public list are
// sealed: no other party's did is in their header bytes, and no list includes them.
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { exportArchive, importArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { openAttestRequest, signAttestation } from '../src-main/core/feats/claims.ts';
import { FeatBook, publishedTrustList } from '../src-main/core/feats/feats.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import type { ChainStore } from '../src-main/core/ports.ts';
import type { ChainWriter } from '../src-main/core/chain/writer.ts';
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
    authority.feats.trustAdd(coachA.id, 'climb', false, true);
    authority.feats.trustAdd(coachB.id, 'climb', false, true);
    authority.feats.trustAdd(judge.id, 'lifting', false, true);
    expect(publishedTrustList(crypto, authorityStore, authority.id).entries.map((e) => e.did)).toEqual([coachA.id, coachB.id, judge.id]);

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
      { did: coachA.id, featType: 'climb', authority: false, listed: true, via: authority.id },
      { did: coachB.id, featType: 'climb', authority: false, listed: true, via: authority.id },
    ]);
    const tree = holder.feats.trustTree(4, 'climb');
    expect(tree.members).toEqual([coachA.id]);
    expect(tree.missing).toEqual([authority.id, coachB.id].sort()); // keys not bound by an attestation yet
    expect(holder.feats.trustTree(4, 'lifting').members).toEqual([]);
    expect(holder.feats.trustList()).toEqual([{ did: authority.id, featType: 'climb', authority: true, listed: false }]);

    // The authority drops coach A; once the holder holds the newer chain, A is no longer listed.
    authority.feats.trustRemove(coachA.id, 'climb');
    copyChain(authorityStore, holderStore, authority.id);
    expect(holder.feats.communityList().map((e) => e.did)).toEqual([coachB.id]);
    expect(holder.feats.trustTree(4, 'climb').members).toEqual([]);
  });

  it('an entry off the public list is sealed: its did is in no header byte, no list includes it, and taking one off the list is said in the clear', () => {
    const authorityPerson = person();
    const store = new MemoryChainStore();
    const authority = Profile.create(deps(store), authorityPerson.keys);
    const [listedCoach, privateCoach, movedCoach] = [person(), person(), person()];
    authority.feats.trustAdd(listedCoach.id, 'climb', false, true);
    authority.feats.trustAdd(privateCoach.id, 'climb', true);
    authority.feats.trustAdd(movedCoach.id, 'climb', false, true);
    expect(publishedTrustList(crypto, store, authority.id).entries.map((e) => e.did)).toEqual([listedCoach.id, movedCoach.id]);
    // Taken off the public list (trusted still, now sealed): the list drops it, the owner still trusts it.
    authority.feats.trustAdd(movedCoach.id, 'climb');
    const published = publishedTrustList(crypto, store, authority.id);
    expect(published.entries.map((e) => e.did)).toEqual([listedCoach.id]);
    expect(published.seq).toBe(store.headersOfKind(authority.id, ['trust']).at(-2)!.seq); // the public remove, not the sealed add after it
    expect(authority.feats.trustList()).toEqual([
      { did: listedCoach.id, featType: 'climb', authority: false, listed: true },
      { did: privateCoach.id, featType: 'climb', authority: true, listed: false },
      { did: movedCoach.id, featType: 'climb', authority: false, listed: false },
    ]);
    const headers = store.headersOfKind(authority.id, ['trust']).map((h) => Buffer.from(h.bytes).toString('latin1'));
    expect(headers.filter((h) => h.includes(privateCoach.id))).toEqual([]);
    expect(headers.filter((h) => h.includes(movedCoach.id))).toHaveLength(2); // its public add and its public remove
    // A sealed entry ends sealed; the owner's view folds it back in after a reopen.
    authority.feats.trustRemove(privateCoach.id, 'climb');
    expect(store.headersOfKind(authority.id, ['trust']).map((h) => Buffer.from(h.bytes).toString('latin1')).filter((h) => h.includes(privateCoach.id))).toEqual([]);
    const reopened = Profile.open(deps(store), authorityPerson.keys);
    expect(reopened.feats.trustList().map((t) => t.did)).toEqual([listedCoach.id, movedCoach.id]);
  });

  it('a trust block an older writer wrote in the clear, without `list`, still counts as on the public list, and its snapshot too', () => {
    const authorityPerson = person();
    const store = new MemoryChainStore();
    const authority = Profile.create(deps(store), authorityPerson.keys);
    const coach = person();
    // What the writer before sealed trust entries wrote: the four fields in the clear, signed, unchangeable.
    const writer = (authority as unknown as { writer: ChainWriter }).writer;
    writer.commit(() => [writer.stage('trust', { meta: { action: 'add', did: coach.id, featType: 'climb', authority: false } })]);
    expect(publishedTrustList(crypto, store, authority.id).entries).toEqual([{ did: coach.id, featType: 'climb', authority: false, listed: true }]);
    expect(Profile.open(deps(store), authorityPerson.keys).feats.trustList()).toEqual([{ did: coach.id, featType: 'climb', authority: false, listed: true }]);
    const copy = new MemoryChainStore();
    copyChain(store, copy, authority.id); // a stranger's verifier takes the block as it is
    expect(publishedTrustList(crypto, copy, authority.id).entries.map((e) => e.did)).toEqual([coach.id]);
    // A snapshot taken before entries were sealed holds public entries without `listed`.
    const book = new FeatBook();
    book.restore({ claims: [], attestations: [], trust: [{ did: coach.id, featType: 'climb', authority: false }] });
    expect(book.trust).toEqual([{ did: coach.id, featType: 'climb', authority: false, listed: true }]);
  });
});
