// Recovery by friends, the owner's verb: split the recovery phrase k-of-n over chosen custodians. What leaves
// the device is one envelope per custodian, sealed to its did; re-sharing makes a new set and does NOT revoke
// the shares of an earlier one (a custodian keeps what it was given).
import type { Did } from '../../core/identity/did.ts';
import { splitPhrase, type SplitSet } from '../../core/recovery/scheme.ts';
import type { Session } from '../session.ts';

/** Carries sealed parcels to each recipient's mailboxes; resolves to how many mailboxes took each one. */
export type Carrier = (parcels: { to: Did; envelope: Uint8Array }[]) => Promise<number[]>;

/** Splits the phrase over `custodians` (k of them rebuild it); with a carrier, the shares go by mail. */
export async function splitRecovery(session: Session, mnemonic: string, custodians: readonly Did[], k: number, carry: Carrier | null): Promise<SplitSet & { deposited: number[] }> {
  const { home, profile, keys } = session;
  const made = await splitPhrase(home.crypto, { owner: profile.id, ownerSeed: keys.identity.ed25519Seed, mnemonic, custodians, k, ts: home.clock.now() });
  const deposited = carry === null ? [] : await carry(made.shares.map(({ custodian, envelope }) => ({ to: custodian, envelope })));
  return { ...made, deposited };
}
