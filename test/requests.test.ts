// Change requests and devices: proposals are signed, sealed, checked for rights, staleness and replay;
// approval writes a merge block carrying the author's signature; devices are certified and revoked.
import { describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../src-main/adapters/db/memory-store.ts';
import { MemoryRequestStore } from '../src-main/adapters/db/request-store.ts';
import { DAY_MS } from '../src-main/core/chain/keyring.ts';
import { cidOf, encode, decodeCanonical } from '../src-main/core/chain/codec.ts';
import { verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { REQUEST_FORMAT, RequestError, sealProposal } from '../src-main/core/requests/proposal.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import { crypto, deps, ownerKeys, TestClock } from './helpers.ts';

const bob = ownerKeys();
const bobId = identityPublic(crypto, bob.identity).id;

function setup() {
  const store = new MemoryChainStore();
  const requests = new MemoryRequestStore();
  const clock = new TestClock();
  const keys = ownerKeys();
  const owner = Profile.create(deps(store, clock, requests), keys);
  const propose = (ops: unknown[], base = owner.length - 1, section = 'fitness', from = bob) =>
    sealProposal(crypto, from.identity.ed25519Seed, identityPublic(crypto, from.identity).id, owner.id, section, ops as never, base, clock.now());
  return { store, requests, clock, keys, owner, propose };
}

const reason = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestError) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('change requests', () => {
  it('a proposal from a grantee with propose is pending with its exact diff, and approval merges it with its signature', () => {
    const { owner, clock, propose, store } = setup();
    owner.set('fitness', 'weight', 60);
    owner.grant(bobId, 'fitness', 'propose', clock.now() + 10 * DAY_MS);
    const { id, envelope } = propose([{ op: 'set', path: 'weight', value: 58.5 }]);
    const view = owner.inbox.receive(envelope);
    expect(view).toMatchObject({ id, from: bobId, section: 'fitness', status: 'pending', changes: [{ path: 'weight', before: 60, after: 58.5 }] });
    expect(owner.current().fitness!.fields.weight).toBe(60);
    const block = owner.inbox.approve(id);
    expect(block.kind).toBe('merge');
    expect(owner.current().fitness!.fields.weight).toBe(58.5);
    expect(owner.inbox.list()).toMatchObject([{ id, status: 'approved', merge: { seq: block.seq, signatureValid: true } }]);
    expect(verifyStoredChain(crypto, store, owner.id).ok).toBe(true);
    // The requester is named only in the sealed part of the merge header (issue 11: headers name nobody else).
    const header = decodeCanonical(store.header(owner.id, block.seq)!.bytes) as { meta: { request: string; private: Uint8Array } };
    expect(header.meta).toEqual({ request: id, private: expect.any(Uint8Array) });
  });

  it('a refusal carries its context as fields: the section, and what had already happened to a replayed request', () => {
    const { owner, clock, propose } = setup();
    owner.grant(bobId, 'fitness', 'propose', clock.now() + 10 * DAY_MS);
    const refusal = (run: () => unknown): RequestError => {
      try {
        run();
      } catch (error) {
        if (error instanceof RequestError) return error;
        throw error;
      }
      throw new Error('accepted');
    };
    const ok = propose([{ op: 'set', path: 'steps', value: 1 }]);
    owner.inbox.receive(ok.envelope);
    expect(refusal(() => owner.inbox.receive(ok.envelope))).toMatchObject({ code: 'request/replayed', seen: 'received' });
    owner.inbox.reject(ok.id, 'no');
    expect(refusal(() => owner.inbox.approve(ok.id))).toMatchObject({ code: 'request/replayed', seen: 'rejected' });
    expect(refusal(() => owner.inbox.receive(propose([{ op: 'set', path: 'x', value: 1 }], owner.length - 1, 'health').envelope)))
      .toMatchObject({ code: 'request/no-right', section: 'health' });
    expect(refusal(() => owner.inbox.receive(propose([{ op: 'set', path: 'x', value: 2 }], owner.length + 5).envelope)))
      .toMatchObject({ code: 'request/stale', section: 'fitness' });
  });

  it('refuses forged, replayed, stale, unauthorised and misaddressed requests with their reason', () => {
    const { owner, clock, propose } = setup();
    owner.grant(bobId, 'fitness', 'propose', clock.now() + 10 * DAY_MS);
    const ok = propose([{ op: 'set', path: 'steps', value: 1 }]);
    expect(reason(() => owner.inbox.receive(ok.envelope))).toBe('accepted');
    expect(reason(() => owner.inbox.receive(ok.envelope))).toBe('replayed');
    owner.inbox.approve(ok.id);
    expect(reason(() => owner.inbox.receive(ok.envelope))).toBe('replayed');
    expect(reason(() => owner.inbox.receive(propose([{ op: 'set', path: 'steps', value: 2 }], 3).envelope))).toBe('stale');
    expect(reason(() => owner.inbox.receive(propose([{ op: 'set', path: 'x', value: 2 }], owner.length + 5).envelope))).toBe('stale');
    expect(reason(() => owner.inbox.receive(propose([{ op: 'set', path: 'x', value: 1 }], owner.length - 1, 'health').envelope))).toBe('no-right');
    const stranger = ownerKeys();
    expect(reason(() => owner.inbox.receive(propose([{ op: 'set', path: 'x', value: 1 }], owner.length - 1, 'fitness', stranger).envelope))).toBe('no-right');
    const tampered = propose([{ op: 'set', path: 'x', value: 1 }]).envelope.slice();
    tampered[tampered.length - 3]! ^= 1;
    expect(reason(() => owner.inbox.receive(tampered))).toBe('forged');
    const outer = decodeCanonical(propose([{ op: 'set', path: 'x', value: 1 }]).envelope) as Record<string, unknown>;
    expect(reason(() => owner.inbox.receive(encode({ ...outer, to: bobId })))).toBe('not-for-me');
    expect(reason(() => owner.inbox.receive(new Uint8Array([1, 2, 3])))).toBe('malformed');
  });

  it('a forged signature inside an otherwise well-sealed request is refused', () => {
    const { owner, clock } = setup();
    owner.grant(bobId, 'fitness', 'propose', clock.now() + DAY_MS);
    const mallory = ownerKeys();
    // Mallory signs a proposal that claims to come from Bob.
    const forged = sealProposal(crypto, mallory.identity.ed25519Seed, bobId, owner.id, 'fitness', [{ op: 'set', path: 'w', value: 1 }], owner.length - 1, clock.now());
    expect(reason(() => owner.inbox.receive(forged.envelope))).toBe('forged');
  });

  it('a proposal carries only set, unset and append: a write grantee cannot slip media or feat ops into a merge', () => {
    const { owner, clock, propose } = setup();
    owner.grant(bobId, 'fitness', 'write', clock.now() + 10 * DAY_MS);
    const media = { op: 'media', event: 'race', ref: { cid: cidOf(crypto.sha256, new Uint8Array([1])), key: new Uint8Array(32), name: 'x.png', type: 'image/png', size: 1, chunks: 1 } };
    expect(reason(() => propose([media]))).toBe('malformed');
    expect(reason(() => propose([{ op: 'claim', claim: new Uint8Array(8) }]))).toBe('malformed');
    // The same ops signed and sealed by hand, as a hostile client would, are refused at receipt.
    const length = owner.length;
    for (const op of [{ op: 'claim', claim: new Uint8Array(8) }, { op: 'attestation', attestation: new Uint8Array(8), sig: new Uint8Array(64) }]) {
      const bytes = encode({ type: 'defaust/proposal', v: 1, target: owner.id, from: bobId, section: 'fitness', ops: [op], base: owner.length - 1, ts: clock.now(), nonce: crypto.randomBytes(16) });
      const envelope = sealEnvelope(crypto, REQUEST_FORMAT, owner.id, { proposal: bytes, sig: crypto.ed25519.sign(bob.identity.ed25519Seed, bytes) });
      expect(reason(() => owner.inbox.receive(envelope))).toBe('malformed');
    }
    expect(owner.length).toBe(length);
  });

  it('a grantee with write is approved by the owner client at once; after revoke, proposals are refused', () => {
    const { owner, clock, propose } = setup();
    owner.grant(bobId, 'fitness', 'write', clock.now() + 10 * DAY_MS);
    const view = owner.inbox.receive(propose([{ op: 'set', path: 'vo2max', value: 51 }]).envelope);
    expect(view.status).toBe('approved');
    expect(owner.current().fitness!.fields.vo2max).toBe(51);
    owner.revoke(bobId, 'fitness');
    expect(reason(() => owner.inbox.receive(propose([{ op: 'set', path: 'vo2max', value: 99 }]).envelope))).toBe('no-right');
  });

  it('rejection writes a signed reply sealed to the author and closes the request', () => {
    const { owner, clock, propose } = setup();
    owner.grant(bobId, 'fitness', 'propose', clock.now() + DAY_MS);
    const { id, envelope } = propose([{ op: 'set', path: 'w', value: 1 }]);
    owner.inbox.receive(envelope);
    const reply = decodeCanonical(owner.inbox.reject(id, 'not true')) as { format: string; to: string; sealed: Uint8Array };
    expect(reply).toMatchObject({ format: 'defaust/reply', to: bobId });
    expect(owner.inbox.list('pending')).toEqual([]);
    expect(owner.inbox.list()).toMatchObject([{ id, status: 'rejected' }]);
    expect(reason(() => owner.inbox.approve(id))).toBe('replayed');
  });

  it('pending requests survive reopening; the inbox keeps only sealed envelopes', () => {
    const { owner, clock, propose, store, requests, keys } = setup();
    owner.grant(bobId, 'fitness', 'propose', clock.now() + DAY_MS);
    owner.inbox.receive(propose([{ op: 'set', path: 'secret-field', value: 'secret-value' }]).envelope);
    const reopened = Profile.open(deps(store, clock, requests), keys);
    expect(reopened.inbox.list()).toHaveLength(1);
    const raw = Buffer.from(requests.list(owner.id)[0]!.envelope).toString('latin1');
    expect(raw.includes('secret-value')).toBe(false);
  });
});

describe('devices', () => {
  it('certifies, lists and revokes device keys; the current device cannot revoke itself', () => {
    const { owner, store } = setup();
    const phone = identityPublic(crypto, ownerKeys().identity).id;
    owner.devices.add(phone, 'phone');
    expect(owner.devices.list().map((d) => [d.label, d.current, d.revokedSeq === null])).toEqual([['first device', true, true], ['phone', false, true]]);
    expect(() => owner.devices.add(phone)).toThrow(/already/);
    owner.devices.revoke(phone);
    expect(owner.devices.list()[1]!.revokedSeq).not.toBeNull();
    expect(() => owner.devices.add(phone)).toThrow(/cannot come back/);
    expect(() => owner.devices.revoke(owner.device)).toThrow(/device you are using/);
    expect(verifyStoredChain(crypto, store, owner.id).ok).toBe(true);
  });
});
