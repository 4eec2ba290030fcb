// Who may read or change which section, written once for every face: sections with their epoch length,
// grants (read, propose or write, between two dates) and revocation (new keys from now on).
import type { GrantView } from '../../core/access/grants.ts';
import type { Right } from '../../core/chain/meta.ts';
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Session } from '../session.ts';

/** The grants in force and the sections there are. */
export function listAccess(session: Session): { grants: GrantView[]; sections: string[] } {
  return { grants: session.profile.grants(), sections: session.profile.sections() };
}

/** A section with its own epoch length (how finely grants to it can be cut in time; default one day). */
export function createSection(session: Session, name: string, epochMs?: number): BlockSummary {
  return session.profile.createSection(name, epochMs);
}

/** Lets `grantee` read (or propose, or write) `section` from `from` (default now) until `until`, even while the owner is offline. */
export function grant(session: Session, input: { grantee: Did; section: string; rights: Right; until: number; from?: number }): GrantView {
  return session.profile.grant(input.grantee, input.section, input.rights, input.until, input.from);
}

/** Ends `grantee`'s grant on `section`: new keys for what is written from now on (what was read stays read). */
export function revoke(session: Session, grantee: Did, section: string): BlockSummary {
  return session.profile.revoke(grantee, section);
}
