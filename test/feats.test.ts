// Feat claims and attestations at the core: both signatures are checked, the key binding holds, forged or
// misdirected attestations are refused, and policies count distinct witnesses (or one trusted authority).
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { decodeCanonical, encode } from '../src-main/core/chain/codec.ts';
import { base64 } from 'multiformats/bases/base64';
import { MAX_ATTEST_EVIDENCE_BYTES, MAX_ATTEST_REQUEST_BYTES } from '../src-shared/rules/limits.ts';
import { checkAttestation, FeatError, openAttestRequest, openAttestRequestWithEvidence, sealAttestRequest, signAttestation } from '../src-main/core/feats/claims.ts';
import { nullifierOf } from '../src-main/core/zk/inputs.ts';
import { checkFeatClaims, PROOF_FORMAT, type FeatProofFile } from '../src-main/core/zk/proof-file.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { recipientSecret } from '../src-main/core/identity/recipient.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { crypto, deps, ownerKeys } from './helpers.ts';

const person = () => {
  const keys = ownerKeys();
  return { keys, id: identityPublic(crypto, keys.identity).id };
};

function setup(policy: { kind: 'k-of-n'; k: number } | { kind: 'authority' } = { kind: 'k-of-n', k: 2 }) {
  const holder = person();
  const profile = Profile.create(deps(new MemoryChainStore()), holder.keys);
  const { claim } = profile.feats.claim({ title: 'Deadlift 200 kg', criteria: 'competition rules', featType: 'lifting', policy, evidence: [] });
  const attest = (witness: ReturnType<typeof person>, verdict: 'yes' | 'no' = 'yes') => {
    const [request] = profile.feats.requests(claim.cid, [witness.id]);
    const seen = openAttestRequest(crypto, request!.envelope, witness.id, witness.keys.identity.ed25519Seed);
    return signAttestation(crypto, witness.keys.identity.ed25519Seed, witness.id, witness.keys.identity.babyJubjubSecret, seen, verdict, 1);
  };
  return { holder, profile, claim, attest };
}

describe('feats', () => {
  it('k-of-n counts distinct yes verdicts of trusted witnesses; no verdicts and untrusted witnesses do not count; a witness attests once', () => {
    const { profile, claim, attest } = setup();
    const [a, b, c, stranger, runner] = [person(), person(), person(), person(), person()];
    for (const w of [a, b, c]) profile.feats.trustAdd(w.id, 'lifting');
    profile.feats.trustAdd(runner.id, 'running');
    profile.feats.receive(attest(a));
    profile.feats.receive(attest(c, 'no'));
    profile.feats.receive(attest(stranger));
    profile.feats.receive(attest(runner));
    expect(profile.feats.status(claim.cid)).toEqual({ met: false, have: 1, need: 2 });
    expect(() => profile.feats.receive(attest(a))).toThrow(/already attested/);
    profile.feats.receive(attest(b));
    expect(profile.feats.status(claim.cid)).toEqual({ met: true, have: 2, need: 2 });
  });

  it('a trusted authority alone satisfies an authority policy; an untrusted one, or a witness trusted but not as an authority, does not', () => {
    const { profile, claim, attest } = setup({ kind: 'authority' });
    const trainer = person();
    profile.feats.receive(attest(trainer));
    expect(profile.feats.status(claim.cid).met).toBe(false);
    profile.feats.trustAdd(trainer.id, 'lifting');
    expect(profile.feats.status(claim.cid)).toEqual({ met: false, have: 0, need: 1 });
    profile.feats.trustAdd(trainer.id, 'lifting', true);
    expect(profile.feats.status(claim.cid)).toEqual({ met: true, have: 1, need: 1 });
  });

  it('refuses attestations whose Ed25519 or EdDSA-Poseidon signature fails, or that are about someone else', () => {
    const { profile, holder, attest } = setup();
    const witness = person();
    const reply = attest(witness);
    const inner = decodeCanonical(crypto.box.open(recipientSecret(holder.keys.identity.ed25519Seed), (decodeCanonical(reply) as { sealed: Uint8Array }).sealed)!) as { attestation: Uint8Array; sig: Uint8Array };
    const sig = inner.sig.slice();
    sig[0]! ^= 1;
    expect(() => checkAttestation(crypto, inner.attestation, sig)).toThrow(FeatError);
    const doc = decodeCanonical(inner.attestation) as Record<string, unknown> & { poseidon: { S: string } };
    const badPoseidon = encode({ ...doc, poseidon: { ...doc.poseidon, S: (BigInt(doc.poseidon.S) + 1n).toString() } });
    expect(() => checkAttestation(crypto, badPoseidon, crypto.ed25519.sign(witness.keys.identity.ed25519Seed, badPoseidon))).toThrow(/EdDSA-Poseidon/);
    const stranger = person();
    const other = Profile.create(deps(new MemoryChainStore()), stranger.keys);
    expect(() => other.feats.receive(reply)).toThrow(/not for you/);
    expect(profile.feats.receive(reply).attestation.witness).toBe(witness.id);
  });

  it('the trust tree holds trusted witnesses whose key an attestation bound to their did', () => {
    const { profile, attest } = setup();
    const [a, b] = [person(), person()];
    profile.feats.trustAdd(a.id, 'lifting');
    profile.feats.trustAdd(b.id, '*');
    profile.feats.receive(attest(a));
    const { members, missing } = profile.feats.trustTree(3, 'lifting');
    expect(members).toEqual([a.id]);
    expect(missing).toEqual([b.id]);
  });
});

describe('evidence in attestation requests (decision 0006)', () => {
  it('carries copies the witness checks against the claim; larger evidence is only described; damaged copies are flagged', () => {
    const holder = person();
    const store = new MemoryChainStore();
    const profile = Profile.create(deps(store), holder.keys);
    const small = new Uint8Array(300_000).map((_, i) => i % 251);
    const big = new Uint8Array(MAX_ATTEST_EVIDENCE_BYTES - 100_000).fill(7);
    const a = profile.attach('feats', 'race', small, 'finish.jpg', 'image/jpeg').ref.cid.toString();
    const b = profile.attach('feats', 'race', big, 'film.mp4', 'video/mp4').ref.cid.toString();
    expect(() => profile.feats.claim({ title: 'x', criteria: '', featType: 'race', policy: { kind: 'k-of-n', k: 1 }, evidence: [a, a] })).toThrow(/twice/);
    expect(() => profile.feats.claim({ title: 'x', criteria: '', featType: 'race', policy: { kind: 'k-of-n', k: 1 }, evidence: ['bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'] })).toThrow(/not media attached/);
    const { claim } = profile.feats.claim({ title: '10 km race', criteria: '', featType: 'race', policy: { kind: 'k-of-n', k: 1 }, evidence: [a, b] });
    const witness = person();
    const [request] = profile.feats.requests(claim.cid, [witness.id]);
    // The first fits under the cap; the second would pass it, so it is only described.
    const seen = openAttestRequestWithEvidence(crypto, request!.envelope, witness.id, witness.keys.identity.ed25519Seed);
    expect(seen.claim.cid).toBe(claim.cid);
    expect(seen.evidence.map((e) => [e.cid, e.name, e.size, e.state])).toEqual([[a, 'finish.jpg', small.length, 'included'], [b, 'film.mp4', big.length, 'not-sent']]);
    expect(seen.evidence[0]!.bytes).toEqual(small);
    expect(request!.envelope.length).toBeLessThan(MAX_ATTEST_REQUEST_BYTES);
    // The claim alone still opens (the CLI's path), and a request without evidence says it is missing.
    expect(openAttestRequest(crypto, request!.envelope, witness.id, witness.keys.identity.ed25519Seed).cid).toBe(claim.cid);
    const bare = sealAttestRequest(crypto, witness.id, claim);
    expect(openAttestRequestWithEvidence(crypto, bare, witness.id, witness.keys.identity.ed25519Seed).evidence.map((e) => e.state)).toEqual(['missing', 'missing']);
    // A copy whose bytes do not hash to the claim's CID (or do not open with the key) is damaged, never shown.
    const ref = profile.mediaList().find((m) => m.ref.cid.toString() === a)!.ref;
    const manifest = store.blob(a)!;
    const chunk = store.blob(store.blobCids(profile.id).find((c) => c !== a && c !== b && store.blob(c)!.length > 200_000 && store.blob(c)!.length < 300_000)!)!.slice();
    chunk[10]! ^= 1;
    const forged = sealAttestRequest(crypto, witness.id, claim, [{ cid: a, name: 'finish.jpg', type: 'image/jpeg', size: small.length, copy: { key: ref.key, chunks: ref.chunks, blobs: [manifest, chunk] } }]);
    expect(openAttestRequestWithEvidence(crypto, forged, witness.id, witness.keys.identity.ed25519Seed).evidence[0]).toMatchObject({ state: 'damaged', bytes: null });
    const wrongKey = sealAttestRequest(crypto, witness.id, claim, [{ cid: a, name: 'finish.jpg', type: 'image/jpeg', size: small.length, copy: { key: new Uint8Array(32), chunks: ref.chunks, blobs: [manifest] } }]);
    expect(openAttestRequestWithEvidence(crypto, wrongKey, witness.id, witness.keys.identity.ed25519Seed).evidence[0]).toMatchObject({ state: 'damaged', bytes: null });
  });
});

describe('feat proof files name their claim', () => {
  it('the claim CID must be the claim hash; the claim document must be that claim, by that holder', () => {
    const { profile, claim } = setup();
    const signals = (hash: bigint) => [nullifierOf(hash, 5n).toString(), '1', '2', '1', hash.toString(), '5']; // k-of-n, k = 2, root 1
    const file: FeatProofFile = { format: PROOF_FORMAT, v: 1, kind: 'feat', holder: profile.id, claim: claim.cid, proof: {}, publicSignals: signals(claim.hash), claimDocument: base64.baseEncode(claim.bytes) };
    expect(checkFeatClaims(crypto, file).claim?.title).toBe('Deadlift 200 kg');
    expect(checkFeatClaims(crypto, { ...file, claimDocument: undefined }).claim).toBeNull();
    const other = profile.feats.claim({ title: 'Squat 180 kg', criteria: '', featType: 'lifting', policy: { kind: 'k-of-n', k: 2 }, evidence: [] }).claim;
    expect(() => checkFeatClaims(crypto, { ...file, claim: other.cid })).toThrow(/not about the claim/);
    expect(() => checkFeatClaims(crypto, { ...file, claim: other.cid, publicSignals: signals(other.hash) })).toThrow(/not the claim/);
    expect(() => checkFeatClaims(crypto, { ...file, holder: person().id })).toThrow(/not by/);
    expect(() => checkFeatClaims(crypto, { ...file, claim: 'nonsense' })).toThrow(/not a CID/);
  });
});
