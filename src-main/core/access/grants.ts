// Grants and revocations (DESIGN §4). A grant block names a grantee, a section, rights and an epoch range of
// one key generation; its `sealed` meta carries F[from] and B[to] sealed to the grantee's did:key, so the
// grantee opens exactly those epochs from any copy of the archive, with no help from the owner.
import { decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import type { Did } from '../identity/did.ts';
import { recipientKey } from '../identity/recipient.ts';
import { EpochKeyRange } from '../chain/epochs.ts';
import type { SectionGeneration } from '../chain/keyring.ts';
import type { GrantMeta, Right } from '../chain/meta.ts';

export class AccessDeniedError extends DefaustError {
  override name = 'AccessDeniedError';
  readonly section: string;
  constructor(section: string, message = `you have no grant for section ${section}`) {
    super('access-denied', message);
    this.section = section;
  }
}

/** A grant as the owner lists it: times are the bounds of its epochs. */
export interface GrantView {
  seq: number;
  grantee: Did;
  section: string;
  rights: Right;
  gen: number;
  from: number;
  until: number;
}

/** Builds the meta of a grant of `generation`'s epochs from..to to `grantee`. */
export function makeGrant(crypto: Crypto, generation: SectionGeneration, grantee: Did, rights: Right, from: number, to: number): GrantMeta {
  const sealed = crypto.box.seal(recipientKey(grantee), encode({
    section: generation.section, gen: generation.gen, from, to,
    f: generation.range.forwardAt(from), b: generation.range.backwardAt(to),
  }));
  return { grantee, section: generation.section, gen: generation.gen, rights, from, to, sealed };
}

/** What a grantee gets from a grant addressed to them: the key range, or null when it is not theirs. */
export function openGrant(crypto: Crypto, meta: GrantMeta, recipientSecretKey: Uint8Array): EpochKeyRange | null {
  const opened = crypto.box.open(recipientSecretKey, meta.sealed);
  if (opened === null) return null;
  const v = decodeCanonical(opened) as Record<string, unknown>;
  if (v.section !== meta.section || v.gen !== meta.gen || v.from !== meta.from || v.to !== meta.to || !(v.f instanceof Uint8Array) || !(v.b instanceof Uint8Array)) {
    return null;
  }
  return new EpochKeyRange(crypto, meta.from, meta.to, v.f, v.b);
}
