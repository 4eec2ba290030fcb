// The grantee's view of someone else's archive: every grant addressed to me (found by name in v1 blocks, by
// trying its sealed part in v2 ones) opens an epoch range of one section; bodies inside those ranges are
// decrypted and folded, everything else stays sealed.
import type { Archive } from '../archive/archive.ts';
import { openBody } from '../chain/body.ts';
import { decodeCanonical } from '../chain/codec.ts';
import { decodeHeader } from '../chain/header.ts';
import type { Crypto } from '../crypto/port.ts';
import type { Did } from '../identity/did.ts';
import { recipientSecret } from '../identity/recipient.ts';
import { checkOps } from '../chain/ops.ts';
import { record } from '../records.ts';
import { applyOps, emptySection, emptyState, type ProfileState } from '../profile/state.ts';
import type { EpochKeyRange } from '../chain/epochs.ts';
import type { Right } from '../chain/meta.ts';
import { AccessDeniedError, openGrantBlock } from './grants.ts';

export interface GrantedView {
  owner: Did;
  /** The head of the archive read: the base a change proposed on this view names. */
  seq: number;
  /** Sections I hold a grant for, with the strongest right. */
  sections: Record<string, Right>;
  state: ProfileState;
  /** Bodies of granted sections that my grants do not open (outside their epochs or generation). */
  sealedBodies: number;
}

const RANK: Record<Right, number> = { read: 0, propose: 1, write: 2 };

/** Reads what my grants open in a verified archive. `only` restricts (and requires) one section. */
export function readGranted(crypto: Crypto, archive: Archive, myEd25519Seed: Uint8Array, me: Did, only?: string): GrantedView {
  const secret = recipientSecret(myEd25519Seed);
  const ranges = new Map<string, EpochKeyRange[]>();
  const sections = record<Right>();
  const headers = archive.headers.map((bytes) => decodeHeader(crypto, bytes).header);
  for (const header of headers) {
    if (header.kind !== 'grant') continue;
    const grant = openGrantBlock(crypto, header, me, secret);
    if (grant === null) continue;
    const key = `${grant.section}/${grant.gen}`;
    ranges.set(key, [...(ranges.get(key) ?? []), grant.range]);
    if (sections[grant.section] === undefined || RANK[grant.rights] > RANK[sections[grant.section]!]) sections[grant.section] = grant.rights;
  }
  if (only !== undefined && sections[only] === undefined) throw new AccessDeniedError(only);
  const state = emptyState();
  let sealedBodies = 0;
  for (const header of headers) {
    for (const ref of header.bodies) {
      if (sections[ref.section] === undefined || (only !== undefined && ref.section !== only)) continue;
      const range = ranges.get(`${ref.section}/${ref.gen}`)?.find((r) => r.covers(ref.epoch));
      const sealed = archive.bodies.get(ref.cid.toString());
      if (range === undefined || sealed === undefined) {
        sealedBodies++;
        continue;
      }
      const ctx = { v: header.v, id: archive.id, section: ref.section, gen: ref.gen, epoch: ref.epoch };
      applyOps(state, ref.section, checkOps(decodeCanonical(openBody(crypto, range.keyFor(ref.epoch), ctx, sealed)), 'stored'));
    }
  }
  for (const section of Object.keys(sections)) state[section] ??= emptySection();
  return { owner: archive.id, seq: headers.length - 1, sections, state, sealedBodies };
}
