// The writer lease's rules (core/net/writer-lease.ts) and its messages: one device at a time holds an
// identity's lease at a replica, only until it ends or the holder lets go; a claim is the identity's, fresh
// and bounded, or it is refused with a typed error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { didFromPublicKey, type Did } from '../src-main/core/identity/did.ts';
import { SyncError } from '../src-main/core/net/errors.ts';
import { decodeSyncMessage, encodeSyncMessage } from '../src-main/core/net/sync-messages.ts';
import { CLAIM_SKEW_MS, checkLeaseClaim, LeaseTable, MAX_LEASE_MS, signLeaseClaim, type LeaseClaim } from '../src-main/core/net/writer-lease.ts';
import { crypto, ownerKeys } from './helpers.ts';

const owner = ownerKeys();
const id = didFromPublicKey(crypto.ed25519.publicKey(owner.identity.ed25519Seed));
const devices = [0, 1, 2].map(() => didFromPublicKey(crypto.ed25519.publicKey(crypto.randomBytes(32))));
const NOW = Date.UTC(2026, 11, 3);
const claimOf = (writer: Did, ms: number, ts = NOW, seed = owner.identity.ed25519Seed): LeaseClaim => signLeaseClaim(crypto, { id, writer, ts, ms }, seed);

describe('writer lease table', () => {
  it('property: at every moment at most one device holds the lease, and a device is refused only while another holds a live one', () => {
    const step = fc.record({ device: fc.integer({ min: 0, max: 2 }), ms: fc.constantFrom(0, 1000, 5000, MAX_LEASE_MS), wait: fc.integer({ min: 0, max: 8000 }) });
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const table = new LeaseTable();
      let now = NOW;
      let model: { writer: Did; until: number } | null = null;
      for (const { device, ms, wait } of steps) {
        now += wait;
        const writer = devices[device]!;
        const answer = table.claim(claimOf(writer, ms, now), now);
        const live = model !== null && model.until > now;
        if (live && model!.writer !== writer) {
          expect(answer).toEqual({ granted: false, holder: model!.writer, until: model!.until });
          continue;
        }
        expect(answer.granted).toBe(true);
        model = ms === 0 ? null : { writer, until: now + ms };
        expect(answer.holder).toBe(model?.writer ?? null);
      }
    }));
  });

  it('forgets the oldest identity past its bound rather than growing without end', () => {
    const table = new LeaseTable();
    const first = claimOf(devices[0]!, 1000);
    table.claim(first, NOW);
    // The table takes claims already checked (serveClaim checks them first): these need no real signature.
    for (let i = 0; i < 10_000; i++) table.claim({ id: didFromPublicKey(crypto.randomBytes(32)), writer: devices[1]!, ts: NOW, ms: 1000, sig: new Uint8Array(64) }, NOW);
    expect(table.claim(claimOf(devices[2]!, 1000), NOW).granted).toBe(true);
  });
});

describe('lease claims', () => {
  it('accepts a fresh claim signed by the identity key', () => {
    expect(() => checkLeaseClaim(crypto, claimOf(devices[0]!, 1000), NOW + CLAIM_SKEW_MS)).not.toThrow();
  });

  it.each([
    ['signed by a device key, not the identity', () => claimOf(devices[0]!, 1000, NOW, crypto.randomBytes(32)), /does not verify/u],
    ['too old', () => claimOf(devices[0]!, 1000, NOW - CLAIM_SKEW_MS - 1), /too far/u],
    ['too long', () => claimOf(devices[0]!, MAX_LEASE_MS + 1), /at most/u],
    ['for another writer than it was signed for', () => ({ ...claimOf(devices[0]!, 1000), writer: devices[1]! }), /does not verify/u],
  ])('refuses a claim %s with sync/protocol', (_, make, why) => {
    let caught: unknown;
    try {
      checkLeaseClaim(crypto, make(), NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SyncError);
    expect((caught as SyncError).code).toBe('sync/protocol');
    expect((caught as SyncError).message).toMatch(why);
  });

  it('round-trips claim and claimed messages, and refuses every one-byte change of them as a message or by its signature', () => {
    const claim = { t: 'claim' as const, ...claimOf(devices[0]!, 1000) };
    const claimed = { t: 'claimed' as const, granted: false, holder: devices[1]!, until: NOW + 1000, length: 4, head: null };
    for (const message of [claim, claimed]) expect(decodeSyncMessage(encodeSyncMessage(message))).toEqual(message);
    const bytes = encodeSyncMessage(claim);
    fc.assert(fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
      const changed = bytes.slice();
      changed[at]! ^= flip;
      let decoded: ReturnType<typeof decodeSyncMessage>;
      try {
        decoded = decodeSyncMessage(changed);
      } catch (error) {
        expect(error).toBeInstanceOf(SyncError);
        return;
      }
      if (decoded.t !== 'claim') return;
      const { t: _t, ...fields } = decoded;
      expect(() => checkLeaseClaim(crypto, fields, NOW)).toThrow(SyncError);
    }), { numRuns: 300 });
  });
});
