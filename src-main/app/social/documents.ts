// Where the social verbs' incoming documents come from, and how their outgoing ones leave: a sealed envelope
// in a file, or mail this identity fetched (its id in the received mail); out through the network's
// mailboxes when the face gives a network, else handed back for the person to pass on as a file.
import { NotFoundError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import { openSocial, sealSocial } from '../../core/social/challenge.ts';
import type { Session } from '../session.ts';
import type { FeatsNetwork } from '../feats/network.ts';

/** A document that came: a file's bytes (the sealed envelope), or mail (its id in the received mail). */
export type DocSource = { bytes: Uint8Array } | { mail: string };

/** A sealed document for `to`; `deposited`: mailboxes that took it (0: hand `envelope` over as a file). */
export interface Sent {
  to: Did;
  envelope: Uint8Array;
  deposited: number;
}

/** Opens an incoming document addressed to this identity; a mailed one is marked taken with `note`. */
export function openDoc(session: Session, source: DocSource, formats: readonly string[]): { format: string; bytes: Uint8Array; done: (note: string) => void } {
  const me = session.profile.id;
  let envelope: Uint8Array;
  let done = (_note: string): void => undefined;
  if ('mail' in source) {
    const mail = session.home.receivedMail().get(me, source.mail);
    if (mail === undefined || !formats.includes(mail.format)) throw new NotFoundError('There is no such document in your mail.');
    envelope = mail.envelope;
    done = (note) => void session.home.receivedMail().mark(me, mail.id, 'taken', note);
  } else {
    envelope = source.bytes;
  }
  return { ...openSocial(session.home.crypto, envelope, me, session.keys.identity.ed25519Seed), done };
}

/** Seals `bytes` to each of `to` and carries them through `network` when one is given. */
export async function send(session: Session, to: readonly Did[], bytes: Uint8Array, network: FeatsNetwork | null): Promise<Sent[]> {
  const parcels = to.map((did) => ({ to: did, envelope: sealSocial(session.home.crypto, did, bytes) }));
  const deposited = network === null ? [] : await network.carry(parcels);
  return parcels.map((p, i) => ({ ...p, deposited: deposited[i] ?? 0 }));
}
