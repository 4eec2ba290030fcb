// Feat claims and attestations at the core: both signatures are checked, the key binding holds, forged or
// misdirected attestations are refused, and policies count distinct witnesses (or one trusted authority).
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { decodeCanonical, encode } from '../src-main/core/chain/codec.ts';
import { checkAttestation, FeatError, openAttestRequest, signAttestation } from '../src-main/core/feats/claims.ts';
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
  it('k-of-n counts distinct yes verdicts; no verdicts do not count; a witness attests once', () => {
    const { profile, claim, attest } = setup();
    const [a, b, c] = [person(), person(), person()];
    profile.feats.receive(attest(a));
    profile.feats.receive(attest(c, 'no'));
    expect(profile.feats.status(claim.cid)).toEqual({ met: false, have: 1, need: 2 });
    expect(() => profile.feats.receive(attest(a))).toThrow(/already attested/);
    profile.feats.receive(attest(b));
    expect(profile.feats.status(claim.cid)).toEqual({ met: true, have: 2, need: 2 });
  });

  it('a trusted authority alone satisfies an authority policy; an untrusted one does not', () => {
    const { profile, claim, attest } = setup({ kind: 'authority' });
    const trainer = person();
    profile.feats.receive(attest(trainer));
    expect(profile.feats.status(claim.cid).met).toBe(false);
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
