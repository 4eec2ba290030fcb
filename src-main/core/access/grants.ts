// Grants and revocations (DESIGN §4). A grant gives a grantee rights on a section over an epoch range of one
// key generation; its `sealed` meta carries F[from] and B[to] sealed to the grantee's did:key, so the grantee
// opens exactly those epochs from any copy of the archive, with no help from the owner. From header v2 on the
// grantee is named only inside sealed parts: a grantee finds its grants by trying to open every `sealed`.
import { decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import type { Did } from '../identity/did.ts';
import { recipientKey } from '../identity/recipient.ts';
import { EpochKeyRange } from '../chain/epochs.ts';
import type { Header } from '../chain/header.ts';
import type { SectionGeneration } from '../chain/keyring.ts';
import { grantMeta, RIGHTS, type GrantMeta, type Right } from '../chain/meta.ts';
import { pad, unpad } from '../chain/padding.ts';
import { SECTION_NAME } from '../../../src-shared/rules/names.ts';

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

/**
 * Builds the (revealed) meta of a grant of `generation`'s epochs from..to to `grantee`. The part sealed to the
 * grantee names section, generation, rights and epochs too, padded, so the grantee needs nothing in the clear.
 */
export function makeGrant(crypto: Crypto, generation: SectionGeneration, grantee: Did, rights: Right, from: number, to: number): GrantMeta {
  const sealed = crypto.box.seal(recipientKey(grantee), pad(encode({
    section: generation.section, gen: generation.gen, rights, from, to,
    f: generation.range.forwardAt(from), b: generation.range.backwardAt(to),
  })));
  return { grantee, section: generation.section, gen: generation.gen, rights, from, to, sealed };
}

/** What a grantee holds from one grant block. */
export interface OpenedGrant {
  section: string;
  gen: number;
  rights: Right;
  range: EpochKeyRange;
}

const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * What a grant block gives me: its section, rights and key range, or null when it is not addressed to me.
 * A v1 grant names its grantee in the clear; a v2 grant is tried by opening its sealed part.
 */
export function openGrantBlock(crypto: Crypto, header: Header, me: Did, recipientSecretKey: Uint8Array): OpenedGrant | null {
  if (header.v < 2) {
    const meta = grantMeta(header);
    if (meta.grantee !== me) return null;
    const v = openSealed(crypto, meta.sealed, recipientSecretKey, false);
    if (v === null || v.section !== meta.section || v.gen !== meta.gen || v.from !== meta.from || v.to !== meta.to || !(v.f instanceof Uint8Array) || !(v.b instanceof Uint8Array)) {
      return null;
    }
    return { section: meta.section, gen: meta.gen, rights: meta.rights, range: new EpochKeyRange(crypto, meta.from, meta.to, v.f, v.b) };
  }
  const sealed = header.meta.sealed;
  const v = sealed instanceof Uint8Array ? openSealed(crypto, sealed, recipientSecretKey, true) : null;
  if (v === null || typeof v.section !== 'string' || !SECTION_NAME.test(v.section) || !isUint(v.gen) || !RIGHTS.includes(v.rights as Right) ||
    !isUint(v.from) || !isUint(v.to) || v.to < v.from || !(v.f instanceof Uint8Array) || !(v.b instanceof Uint8Array)) {
    return null;
  }
  return { section: v.section, gen: v.gen, rights: v.rights as Right, range: new EpochKeyRange(crypto, v.from, v.to, v.f, v.b) };
}

function openSealed(crypto: Crypto, sealed: Uint8Array, secret: Uint8Array, padded: boolean): Record<string, unknown> | null {
  const opened = crypto.box.open(secret, sealed);
  if (opened === null) return null;
  try {
    const v = decodeCanonical(padded ? unpad(opened) : opened);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
