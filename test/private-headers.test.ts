// Issue 11, private header metadata: public headers name nobody but the owner and its devices. Grantees,
// registered clients, witnesses, requesters and device labels travel sealed; bodies are padded to buckets; a
// grantee still finds its grants in a replica's copy; a chain written by the v1 code stays readable.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { MemoryAuditStore } from '../src-main/adapters/db/audit-store.ts';
import { readGranted } from '../src-main/core/access/reader.ts';
import { exportArchive, importArchive, readArchive } from '../src-main/core/archive/archive.ts';
import { encode } from '../src-main/core/chain/codec.ts';
import { ChainVerificationError } from '../src-main/core/chain/errors.ts';
import { decodeHeader, signHeader, type UnsignedHeader } from '../src-main/core/chain/header.ts';
import { DAY_MS } from '../src-main/core/chain/keyring.ts';
import { PAD_BUCKETS } from '../src-main/core/chain/padding.ts';
import { verifyChain, verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { openAttestRequest, signAttestation } from '../src-main/core/feats/claims.ts';
import { didFromPublicKey, type Did } from '../src-main/core/identity/did.ts';
import { deriveIdentitySecrets, identityPublic } from '../src-main/core/identity/keys.ts';
import { Profile, type OwnerKeys } from '../src-main/core/profile/profile.ts';
import { RegistryBook } from '../src-main/core/registry/registry.ts';
import { serveRead } from '../src-main/core/registry/serve.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';
import { leaksIn, partyOf, type Party } from './header-scan.ts';

const person = (keys: OwnerKeys = ownerKeys()) => ({ keys, ...partyOf(identityPublic(crypto, keys.identity)) });
const PEER = '12D3KooWLRPJAA5o6Z6ZAyY6ZzWQhMmWgp3TzQFzaZSWxxDdByL5';
const LABELS = ['owner laptop', 'owner phone', 'home server', PEER];
const findLeaks = (publicBytes: Uint8Array[], parties: Party[]) => leaksIn(publicBytes, parties, LABELS);

/** A chain with labelled devices, grants, a revoke, a registered client, an attestation and a merge. */
function busyChain() {
  const store = new MemoryChainStore();
  const clock = new TestClock();
  const [reader, client, witness, proposer] = [person(), person(), person(), person()];
  const ownerSecrets = ownerKeys();
  const owner = Profile.create(deps(store, clock), ownerSecrets, { deviceLabel: 'owner laptop' });
  owner.devices.add(didFromPublicKey(crypto.ed25519.publicKey(crypto.randomBytes(32))), 'owner phone');
  owner.set('contact', 'email', 'ada@example.org');
  owner.set('health', 'blood', 'O+');
  owner.grant(reader.id, 'contact', 'read', clock.now() + 30 * DAY_MS);
  owner.grant(reader.id, 'health', 'read', clock.now() + 30 * DAY_MS);
  owner.grant(proposer.id, 'fitness', 'propose', clock.now() + 30 * DAY_MS);
  owner.registry.add(client.id, ['contact'], { label: 'home server', peer: PEER });
  clock.advance(1000);
  owner.revoke(reader.id, 'health');
  const { claim } = owner.feats.claim({ title: 'Deadlift 200 kg', criteria: 'rules', featType: 'lifting', policy: { kind: 'k-of-n', k: 1 }, evidence: [] });
  const [request] = owner.feats.requests(claim.cid, [witness.id]);
  const seen = openAttestRequest(crypto, request!.envelope, witness.id, witness.keys.identity.ed25519Seed);
  owner.feats.receive(signAttestation(crypto, witness.keys.identity.ed25519Seed, witness.id, witness.keys.identity.babyJubjubSecret, seen, 'yes', clock.now()));
  owner.feats.trustAdd(witness.id, 'lifting'); // whom the owner trusts is sealed too (only a public-list entry is not)
  owner.feats.trustAdd(reader.id, '*', true);
  owner.feats.trustRemove(reader.id, '*');
  return { store, clock, owner, ownerSeed: ownerSecrets.identity.ed25519Seed, reader, client, witness, proposer };
}

describe('private header metadata', () => {
  it('no public header byte, nor the log, names a grantee, client, witness or label, in any key form', () => {
    const { store, owner, reader, client, witness, proposer } = busyChain();
    const headers = [...store.headers(owner.id)];
    expect(new Set(headers.map((h) => h.kind))).toEqual(new Set(['genesis', 'device-add', 'section-keys', 'delta', 'grant', 'registry', 'revoke', 'feat', 'attestation', 'trust']));
    const log = new TextEncoder().encode(JSON.stringify([...store.headers(owner.id)].map(({ bytes: _bytes, ...summary }) => summary)));
    expect(findLeaks([...headers.map((h) => h.bytes), log], [reader, client, witness, proposer])).toEqual([]);
    // …while the owner still sees everything, and the chain verifies.
    expect(owner.grants().map((g) => [g.grantee, g.section])).toEqual([[reader.id, 'contact'], [proposer.id, 'fitness'], [client.id, 'contact']]);
    expect(owner.registry.list()).toMatchObject([{ client: client.id, label: 'home server', peer: PEER, sections: ['contact'] }]);
    expect(owner.devices.list().map((d) => d.label)).toEqual(['owner laptop', 'owner phone']);
    expect(owner.feats.trustList()).toEqual([{ did: witness.id, featType: 'lifting', authority: false, listed: false }]);
    expect(verifyStoredChain(crypto, store, owner.id).ok).toBe(true);
  });

  it('the scan finds the parties in a chain written by the v1 code (so an empty scan means something)', () => {
    const v1 = readArchive(crypto, readFileSync(FIXTURE));
    const [, reader, client, witness] = fixtureParties();
    const leaks = findLeaks(v1.headers, [reader!, client!, witness!]);
    for (const p of [reader!, client!, witness!]) expect(leaks).toContain(`${p.id} (did text)`);
    expect(leaks).toEqual(expect.arrayContaining(['label owner laptop', 'label home server', `label ${PEER}`]));
  });

  it('a grantee finds its grants in a replica copy by trying the sealed parts; a registered client still enforces grants', () => {
    const { store, clock, owner, reader, client } = busyChain();
    owner.set('contact', 'phone', '+33 1 23 45 67 89');
    const archive = readArchive(crypto, exportArchive(store, owner.id));
    const view = readGranted(crypto, archive, reader.keys.identity.ed25519Seed, reader.id);
    expect(view.sections).toEqual({ contact: 'read', health: 'read' });
    expect(view.state.contact!.fields).toEqual({ email: 'ada@example.org', phone: '+33 1 23 45 67 89' });
    const stranger = person();
    expect(readGranted(crypto, archive, stranger.keys.identity.ed25519Seed, stranger.id).sections).toEqual({});
    const audit = new MemoryAuditStore();
    const serve = (requester: Did) => serveRead(crypto, audit, { archive, clientSeed: client.keys.identity.ed25519Seed, client: client.id, requester, section: 'contact', now: clock.now() });
    expect(serve(reader.id)).toEqual({ email: 'ada@example.org', phone: '+33 1 23 45 67 89' });
    expect(() => serve(stranger.id)).toThrow(/no grant in term/);
    // A client that was never registered holds no meta key: it sees no registration and refuses.
    const other = person();
    expect(() => serveRead(crypto, audit, { archive, clientSeed: other.keys.identity.ed25519Seed, client: other.id, requester: reader.id, section: 'contact', now: clock.now() }))
      .toThrow(/not registered/);
  });

  it('sealed bodies take only bucket sizes: a one-byte field and a long one look the same', () => {
    const { store, owner } = busyChain();
    const short = owner.set('public', 'a', 'x');
    const long = owner.set('public', 'b', 'y'.repeat(180));
    const bodySize = (seq: number) => {
      const ref = decodeHeader(crypto, store.header(owner.id, seq)!.bytes).header.bodies[0]!;
      return store.body(ref.cid.toString())!.length;
    };
    expect(bodySize(short.seq)).toBe(bodySize(long.seq));
    const envelope = (bucket: number) => encode({ c: new Uint8Array(bucket + 16), n: new Uint8Array(12) }).length;
    const allowed = new Set(PAD_BUCKETS.map(envelope));
    for (const h of store.headers(owner.id)) {
      for (const ref of decodeHeader(crypto, h.bytes).header.bodies) expect(allowed).toContain(store.body(ref.cid.toString())!.length);
    }
    expect(envelope(PAD_BUCKETS.at(-1)!)).toBe(1024 * 1024);
  });

  it('the verifier refuses a v2 grant header that names its grantee in the clear', () => {
    const { store, owner, ownerSeed, reader } = busyChain();
    const headers = [...store.headers(owner.id)].map((h) => h.bytes);
    const last = decodeHeader(crypto, headers.at(-1)!);
    const unsigned: UnsignedHeader = {
      v: 2, id: owner.id, seq: last.header.seq + 1, prev: last.cid, ts: last.header.ts, kind: 'grant', author: owner.id, bodies: [],
      meta: { grantee: reader.id, sealed: new Uint8Array(80), private: new Uint8Array(300) },
    };
    const forged = signHeader(crypto, unsigned, ownerSeed);
    expect(() => verifyChain(crypto, owner.id, [...headers, forged.bytes])).toThrow(ChainVerificationError);
    expect(() => verifyChain(crypto, owner.id, [...headers, forged.bytes])).toThrow(/v2 grant header's meta is only private, sealed/);
  });
  it('a registry snapshot written before the meta key (a bare list of clients) still restores', () => {
    const client = person();
    const book = new RegistryBook();
    book.restore([{ client: client.id, peer: null, label: 'old', sections: ['contact'], addedSeq: 4, revokedSeq: null }]);
    expect(book.list()).toEqual([{ client: client.id, peer: null, label: 'old', sections: ['contact'], addedSeq: 4, revokedSeq: null }]);
    expect(book.hasMetaKey(client.id)).toBe(false);
    const again = new RegistryBook();
    again.restore(book.snapshot());
    expect(again.list()).toEqual(book.list());
  });

  it('a chain written by the v1 code stays readable and verifiable, and grows in v2 blocks', () => {
    const v1 = readArchive(crypto, readFileSync(FIXTURE));
    expect(new Set(v1.headers.map((h) => decodeHeader(crypto, h).header.v))).toEqual(new Set([1]));
    const [owner, reader, client, witness] = fixtureParties();
    expect(v1.id).toBe(owner!.id);
    const before = readGranted(crypto, v1, reader!.keys.identity.ed25519Seed, reader!.id);
    expect(before.sections).toEqual({ contact: 'read', health: 'read' });
    expect(before.state.contact!.fields).toEqual({ email: 'ada@example.org', phone: '+33 1 23 45 67 89' });
    expect(before.state.health!.fields).toEqual({ blood: 'O+' });

    // The owner recovers on a new device: every fold reads the v1 meta as before.
    const store = new MemoryChainStore();
    importArchive(crypto, store, v1);
    const clock = new TestClock(Date.UTC(2026, 0, 2));
    const profile = Profile.open(deps(store, clock), { ...owner!.keys, deviceSeed: crypto.randomBytes(32), localKey: crypto.randomBytes(32) });
    expect(profile.grants().map((g) => [g.grantee, g.section, g.rights])).toEqual([[reader!.id, 'contact', 'read'], [client!.id, 'contact', 'read']]);
    expect(profile.registry.list()).toMatchObject([{ client: client!.id, label: 'home server', peer: PEER, sections: ['contact'], revokedSeq: null }]);
    expect(profile.devices.list().map((d) => d.label)).toEqual(['owner laptop', 'owner phone', 'recovered device']);
    const [feat] = profile.feats.list();
    // The fixture's owner never trusted the witness, so its yes does not count toward the policy (issue 11).
    expect(feat!.status).toEqual({ met: false, have: 0, need: 1 });
    expect(profile.feats.attestations(feat!.claim.cid).map((a) => a.attestation.witness)).toEqual([witness!.id]);

    // New blocks are v2, on top of the v1 ones; the mixed chain verifies and reads.
    const newcomer = person();
    profile.grant(newcomer.id, 'contact', 'read', clock.now() + 5 * DAY_MS);
    profile.set('contact', 'city', 'Paris');
    expect(verifyStoredChain(crypto, store, owner!.id).ok).toBe(true);
    const mixed = readArchive(crypto, exportArchive(store, owner!.id));
    expect(new Set(mixed.headers.map((h) => decodeHeader(crypto, h).header.v))).toEqual(new Set([1, 2]));
    expect(readGranted(crypto, mixed, newcomer.keys.identity.ed25519Seed, newcomer.id).state.contact!.fields).toEqual({ city: 'Paris' });
    expect(readGranted(crypto, mixed, reader!.keys.identity.ed25519Seed, reader!.id).state.contact!.fields.city).toBe('Paris');
    // The client registered by a v1 block was handed the meta key on open: it enforces the v2 grant too.
    const audit = new MemoryAuditStore();
    const served = serveRead(crypto, audit, { archive: mixed, clientSeed: client!.keys.identity.ed25519Seed, client: client!.id, requester: newcomer.id, section: 'contact', now: clock.now() });
    expect(served).toEqual({ email: 'ada@example.org', phone: '+33 1 23 45 67 89', city: 'Paris' });
    const length = store.head(owner!.id)!.seq;
    Profile.open(deps(store, clock), { ...owner!.keys, deviceSeed: crypto.randomBytes(32), localKey: crypto.randomBytes(32) });
    expect(store.head(owner!.id)!.seq - length).toBe(1); // the new device's certificate; the key is not handed twice
    expect(findLeaks(mixed.headers.slice(v1.headers.length), [newcomer])).toEqual([]);
  });
});

const FIXTURE = new URL('./fixtures/private-meta-v1.defaust', import.meta.url).pathname;
/**
 * Written by the v1 code at a1402b6 (test/fixtures/private-meta-v1.defaust), at 2026-01-01 on a test clock:
 * genesis with device label "owner laptop"; device "owner phone"; contact.email, health.blood; read grants to
 * `reader` on contact and health (30 days); `client` registered for contact ("home server", peer PEER); one
 * second later health revoked from `reader`, contact.phone set; a feat claim, attested yes by `witness`.
 */
const FIXTURE_MNEMONICS = {
  owner: 'melt judge tissue chalk sign soap axis silver okay impulse neutral parrot embark eternal worth grant leopard pottery sand rifle image boost glide mansion',
  reader: 'enhance because boss fault fix crew cereal organ zone gaze vacuum fog museum blur sniff venture deposit swamp easily essence blast air wet method',
  client: 'plug swim south joy size fluid smooth slim praise patient decrease body pool cook crowd shoot shy jeans furnace manual hour luggage bulb income',
  witness: 'small hotel neglect attack risk say rude burger balcony love innocent tent bounce shallow sadness lunar pink off this pill brick scan belt unit',
};

/** owner, reader, client, witness of the fixture. */
const fixtureParties = () => Object.values(FIXTURE_MNEMONICS).map((m) => person({ identity: deriveIdentitySecrets(crypto, m), deviceSeed: new Uint8Array(32), localKey: new Uint8Array(32) }));
