// Decoder fuzz at the CI size: 100,000 inputs spread over every decoder of received bytes (test/fuzz/targets.ts),
// each refused with a typed DefaustError or accepted, never another throw, never a hang. `npm run fuzz` runs
// the same at 10^6. Below, the inputs the fuzzer found that broke a decoder, kept as regressions.
import { describe, expect, it } from 'vitest';
import { BodyDecryptError, openBody } from '../src-main/core/chain/body.ts';
import { decodeCanonical, encode } from '../src-main/core/chain/codec.ts';
import { checkAttestation, FeatError, makeClaim, openAttestReply, openAttestRequestWithEvidence, readClaim, REPLY_FORMAT, sealAttestRequest } from '../src-main/core/feats/claims.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { checkSignedProposal, openProposal, RequestError, sealProposal } from '../src-main/core/requests/proposal.ts';
import { budget, fuzz } from './fuzz/engine.ts';
import { buildTargets } from './fuzz/targets.ts';
import { crypto, ownerKeys } from './helpers.ts';

const CI_RUNS = 100_000;
const targets = buildTargets();
const runs = budget(targets, CI_RUNS);

describe(`decoder fuzz (${CI_RUNS} runs over ${targets.length} decoders)`, () => {
  for (const target of targets) {
    it(`${target.name}: ${runs.get(target.name)} inputs, only typed refusals`, async () => {
      const report = await fuzz(target, runs.get(target.name)!, 1);
      expect(report.findings).toEqual([]);
      expect(report.refused + report.accepted).toBe(report.runs);
    }, 120_000);
  }
});

describe('inputs the fuzzer found', () => {
  const person = () => {
    const keys = ownerKeys();
    return { keys, id: identityPublic(crypto, keys.identity).id, seed: keys.identity.ed25519Seed };
  };
  const NULL = new Uint8Array([0xf6]);

  it('a sealed body or a feat claim that is CBOR null is refused, not a TypeError', () => {
    expect(() => openBody(crypto, new Uint8Array(32), { v: 2, id: 'x', section: 's', gen: 0, epoch: 0 }, NULL)).toThrow(BodyDecryptError);
    expect(() => readClaim(crypto, NULL)).toThrow(FeatError);
  });

  it('a change request whose sealed inside is null or lacks its proposal is malformed', () => {
    const owner = person();
    const from = person();
    const { envelope } = sealProposal(crypto, from.seed, from.id, owner.id, 'fitness', [{ op: 'set', path: 'w', value: 1 }], 0, 1);
    const format = (decodeCanonical(envelope) as { format: string }).format;
    for (const inner of [null, {}, { proposal: 1, sig: new Uint8Array(64) }]) {
      expect(() => openProposal(crypto, sealEnvelope(crypto, format, owner.id, inner), owner.seed, owner.id)).toThrow(RequestError);
    }
    expect(() => checkSignedProposal(crypto, NULL, new Uint8Array(64))).toThrow(RequestError);
  });

  it('an attestation reply whose inside is not {attestation, sig}, or whose claim hash is not a number, is refused', () => {
    const holder = person();
    const witness = person();
    const claim = makeClaim(crypto, { holder: holder.id, title: 't', criteria: 'c', featType: 'race', ts: 1, evidence: [], policy: { kind: 'authority' } });
    for (const inner of [null, {}, { attestation: new Uint8Array(3) }, { attestation: new Uint8Array(3), sig: 'x' }]) {
      expect(() => openAttestReply(crypto, sealEnvelope(crypto, REPLY_FORMAT, holder.id, inner), holder.id, holder.seed)).toThrow(FeatError);
    }
    // A witness that signs its own nonsense: a claim hash that is no decimal number.
    const bytes = encode({
      type: 'defaust/attestation', v: 1, claim: claim.cid, claimHash: 'not a number', subject: holder.id, witness: witness.id, verdict: 'yes', ts: 1,
      babyJubjub: [new Uint8Array(32), new Uint8Array(32)], poseidon: { R8x: '1', R8y: '2', S: '3' },
    });
    expect(() => checkAttestation(crypto, bytes, crypto.ed25519.sign(witness.seed, bytes))).toThrow(FeatError);
    expect(() => checkAttestation(crypto, NULL, new Uint8Array(64))).toThrow(FeatError);
  });

  it('an attestation request whose evidence copy is null describes the evidence instead of throwing', () => {
    const holder = person();
    const witness = person();
    const cid = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const claim = makeClaim(crypto, { holder: holder.id, title: 't', criteria: 'c', featType: 'race', ts: 1, evidence: [cid], policy: { kind: 'authority' } });
    const format = (decodeCanonical(sealAttestRequest(crypto, witness.id, claim)) as { format: string }).format;
    const request = sealEnvelope(crypto, format, witness.id, { claim: claim.bytes, evidence: [{ cid, name: 'a.jpg', type: 'image/jpeg', size: 3, copy: null }] });
    expect(openAttestRequestWithEvidence(crypto, request, witness.id, witness.seed).evidence).toMatchObject([{ cid, state: 'missing' }]);
  });
});
