// Recovery by friends, the custodian's verbs: take a share in (checked: sealed to me, signed by its owner),
// list what is held, and release one share to the temporary id of someone who lost everything — after
// checking out of band that the person asking is the owner (a call, a meeting): the share alone cannot tell.
import { NotFoundError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import type { HeldShare } from '../../core/recovery/custody.ts';
import { NoShareError } from '../../core/recovery/errors.ts';
import { openShare, releaseTo, SHARE_FORMAT } from '../../core/recovery/scheme.ts';
import type { Session } from '../session.ts';

/** What a Custody screen shows of a held share (the sealed bytes stay in the store). */
export type CustodyEntry = Omit<HeldShare, 'envelope' | 'holder'>;

const entryOf = ({ envelope: _envelope, holder: _holder, ...entry }: HeldShare): CustodyEntry => entry;

/** A share to keep: a file's bytes, or one that came by mail (its id in the received mail). */
export type ShareSource = { bytes: Uint8Array } | { mail: string };

/** Keeps a share sealed to this identity. `fresh` is false when it was held already. Throws BadShareError or NotFoundError. */
export function takeShare(session: Session, source: ShareSource): CustodyEntry & { fresh: boolean } {
  const { home, profile, keys } = session;
  const mail = 'mail' in source ? home.receivedMail().get(profile.id, source.mail) : undefined;
  if ('mail' in source && (mail === undefined || mail.format !== SHARE_FORMAT)) throw new NotFoundError('There is no recovery share with that id in your mail.');
  const envelope = mail?.envelope ?? (source as { bytes: Uint8Array }).bytes;
  const share = openShare(home.crypto, envelope, SHARE_FORMAT, profile.id, keys.identity.ed25519Seed);
  const held: HeldShare = { holder: profile.id, owner: share.owner, set: share.set, k: share.k, n: share.n, index: share.index, madeAt: share.ts, receivedAt: mail?.receivedAt ?? home.clock.now(), envelope };
  const fresh = home.custody().put(held);
  if (mail !== undefined) home.receivedMail().mark(profile.id, mail.id, 'taken', `kept: share ${share.index} of ${share.n} for ${share.owner}`);
  return { ...entryOf(held), fresh };
}

/** The shares kept, newest first, and the shares that came by mail and wait to be kept. */
export function listCustody(session: Session): { entries: CustodyEntry[]; waiting: { id: string; from: Did; receivedAt: number }[] } {
  const { home, profile } = session;
  const waiting = home.receivedMail().list(profile.id, { format: SHARE_FORMAT, state: 'waiting' }).map((m) => ({ id: m.id, from: m.from, receivedAt: m.receivedAt }));
  return { entries: home.custody().list(profile.id).map(entryOf), waiting };
}

/**
 * The share of `owner` (its newest set, or `set`), re-sealed to the temporary id `to`: the owner's signed
 * bytes unchanged, so the person rebuilding can check them. Throws NoShareError or BadShareError.
 */
export function releaseShare(session: Session, owner: Did, to: Did, set?: string): { owner: Did; set: string; to: Did; envelope: Uint8Array } {
  const { home, profile, keys } = session;
  const held = home.custody().list(profile.id).find((s) => s.owner === owner && (set === undefined || s.set === set));
  if (held === undefined) throw new NoShareError(owner);
  const share = openShare(home.crypto, held.envelope, SHARE_FORMAT, profile.id, keys.identity.ed25519Seed);
  return { owner, set: held.set, to, envelope: releaseTo(home.crypto, share, to) };
}
