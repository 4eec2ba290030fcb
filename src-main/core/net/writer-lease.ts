// The writer lease (DESIGN §5, several devices): before a device of an identity releases new blocks, it asks
// the chain's replicas to hold the identity's write lease for it for a few seconds. A replica grants the
// lease to one device at a time and says what it holds of the chain; a device that has the lease of most
// replicas it reached first takes in what they hold that it lacks (ChainWriter.rebaseOnto), then publishes,
// then lets go. So two devices publishing at once never both release a block at one seq: what would have been
// a fork, and evidence of equivocation against an honest person, becomes one chain.
//
// A claim is signed by the identity key (only the owner's devices hold it), names the device, and is fresh
// (its ts within CLAIM_SKEW_MS of the replica's clock); `ms` 0 lets go. The lease lives in the replica's
// memory only: a replica that restarts forgets it, which at worst lets a second device in early.
import { concatBytes, utf8 } from '../bytes.ts';
import { encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { SyncError } from './errors.ts';

/** Longest lease a replica grants: long enough for one publish, short enough that a device that vanished holds nobody up. */
export const MAX_LEASE_MS = 30_000;
/** How far a claim's ts may be from the replica's clock. */
export const CLAIM_SKEW_MS = 120_000;
/** Identities whose lease one replica remembers at once (the oldest is forgotten past it). */
const MAX_LEASES = 10_000;

const LABEL = utf8('defaust/writer-lease/v1\n');

export interface LeaseClaim {
  id: Did;
  /** The device that asks for the lease (its device did). */
  writer: Did;
  /** When the claim was made (ms since 1970, the device's clock). */
  ts: number;
  /** How long the lease is asked for; 0 lets go of it. */
  ms: number;
  /** Ed25519 by the identity key over the label and the canonical claim without `sig`. */
  sig: Uint8Array;
}

const signedBytes = (claim: Omit<LeaseClaim, 'sig'>): Uint8Array =>
  concatBytes(LABEL, encode({ id: claim.id, writer: claim.writer, ts: claim.ts, ms: claim.ms }));

export function signLeaseClaim(crypto: Crypto, fields: Omit<LeaseClaim, 'sig'>, identitySeed: Uint8Array): LeaseClaim {
  return { ...fields, sig: crypto.ed25519.sign(identitySeed, signedBytes(fields)) };
}

const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Checks a claim's fields, freshness and signature; a SyncError `protocol` naming what is wrong. */
export function checkLeaseClaim(crypto: Crypto, claim: LeaseClaim, now: number): void {
  const fail = (why: string): never => {
    throw new SyncError('protocol', `lease claim refused: ${why}`);
  };
  if (!isDid(claim.id) || !isDid(claim.writer)) fail('id and writer are Ed25519 did:keys');
  if (!isUint(claim.ts) || !isUint(claim.ms) || claim.ms > MAX_LEASE_MS) fail(`ts is a time, ms at most ${MAX_LEASE_MS}`);
  if (Math.abs(claim.ts - now) > CLAIM_SKEW_MS) fail('its time is too far from this peer\'s clock');
  if (!(claim.sig instanceof Uint8Array) || claim.sig.length !== 64 || !crypto.ed25519.verify(publicKeyFromDid(claim.id), signedBytes(claim), claim.sig)) {
    fail(`the signature by ${claim.id} does not verify`);
  }
}

export interface LeaseAnswer {
  granted: boolean;
  /** The device holding the lease now (this claimant's when granted; null once let go). */
  holder: Did | null;
  /** When the lease held ends, by this replica's clock (0 when none). */
  until: number;
}

/** The leases one replica holds, one per identity, in memory. */
export class LeaseTable {
  private readonly leases = new Map<Did, { writer: Did; until: number }>();

  /** Grants a checked claim unless another device holds a live lease; `ms` 0 from the holder lets go. */
  claim(claim: LeaseClaim, now: number): LeaseAnswer {
    const held = this.leases.get(claim.id);
    const live = held !== undefined && held.until > now;
    if (live && held.writer !== claim.writer) return { granted: false, holder: held.writer, until: held.until };
    this.leases.delete(claim.id);
    if (claim.ms === 0) return { granted: true, holder: null, until: 0 };
    if (this.leases.size >= MAX_LEASES) this.leases.delete(this.leases.keys().next().value!);
    const until = now + claim.ms;
    this.leases.set(claim.id, { writer: claim.writer, until });
    return { granted: true, holder: claim.writer, until };
  }
}
