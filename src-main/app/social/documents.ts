// Where the social verbs' incoming documents come from, and how their outgoing ones leave: a sealed envelope
// in a file, or mail this identity fetched (its id in the received mail); out through the network's
// mailboxes when the face gives a network, else handed back for the person to pass on as a file.
import { toHex } from '../../core/bytes.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import { ANSWER_TYPE, CHALLENGE_TYPE, DUEL_TYPE, openSocial, OUTCOME_TYPE, readAnswer, readChallenge, sealSocial, VERDICT_TYPE } from '../../core/social/challenge.ts';
import { readDuel, readVerdict, verifyDuelOutcome } from '../../core/social/duel.ts';
import { verifyOutcome } from '../../core/social/outcome.ts';
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

/** Who sent a social document of `format`: the party its own signature names, checked as its verb checks it. */
function senderOf(crypto: Crypto, format: string, bytes: Uint8Array): Did {
  switch (format) {
    case CHALLENGE_TYPE: return readChallenge(crypto, bytes).doc.challenger;
    case ANSWER_TYPE: return readAnswer(crypto, bytes).doc.holder;
    case OUTCOME_TYPE: return verifyOutcome(crypto, bytes).winner;
    case DUEL_TYPE: {
      const duel = readDuel(crypto, bytes);
      return duel.agreed ? duel.duel.b : duel.duel.a;
    }
    case VERDICT_TYPE: return readVerdict(crypto, bytes).doc.judge;
    default: {
      const outcome = verifyDuelOutcome(crypto, bytes);
      return outcome.winnerDid ?? outcome.duel.duel.a;
    }
  }
}

/**
 * Takes a sealed challenge or duel document that came as a file into the received mail, waiting, as a
 * mailbox fetch leaves it: every list and verb then finds it as mail. It must open with this identity's key
 * and check as its kind; the same file taken twice is one message (`fresh` false).
 */
export function takeDocumentFile(session: Session, envelope: Uint8Array): { mail: string; format: string; from: Did; fresh: boolean } {
  const { crypto } = session.home;
  const me = session.profile.id;
  const { format, bytes } = openSocial(crypto, envelope, me, session.keys.identity.ed25519Seed);
  const from = senderOf(crypto, format, bytes);
  const mail = `file-${toHex(crypto.sha256(envelope)).slice(0, 32)}`;
  const now = session.home.clock.now();
  const fresh = session.home.receivedMail().put({ id: mail, to: me, from, format, ts: now, receivedAt: now, envelope, state: 'waiting', note: 'taken from a file' });
  return { mail, format, from, fresh };
}

/** Seals `bytes` to each of `to` and carries them through `network` when one is given. */
export async function send(session: Session, to: readonly Did[], bytes: Uint8Array, network: FeatsNetwork | null): Promise<Sent[]> {
  const parcels = to.map((did) => ({ to: did, envelope: sealSocial(session.home.crypto, did, bytes) }));
  const deposited = network === null ? [] : await network.carry(parcels);
  return parcels.map((p, i) => ({ ...p, deposited: deposited[i] ?? 0 }));
}
