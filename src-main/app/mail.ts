// Mail that reaches this identity through its mailboxes, routed by the envelope's format: a change request
// goes into the inbox (where the owner approves it, or a write grant merges it), an attestation reply into the
// chain; an attestation request waits for the witness; anything else is kept and named. Every message is kept
// once, sealed as it came, with what became of it — the person can see what arrived, and a message fetched
// twice (from two mailboxes, or after a crash before the ack) is handled once. An audit batch from a
// registered client goes into the audit log (app/sharing/read-service.ts).
import { REPLY_FORMAT as ATTEST_REPLY_FORMAT, REQUEST_FORMAT as ATTEST_REQUEST_FORMAT } from '../core/feats/claims.ts';
import { DefaustError } from '../core/errors.ts';
import { envelopeFormat } from '../core/identity/envelope.ts';
import type { Did } from '../core/identity/did.ts';
import type { Clock, ReceivedMail, ReceivedMailState, ReceivedMailStore } from '../core/ports.ts';
import type { Profile } from '../core/profile/profile.ts';
import { REPLY_FORMAT as CHANGE_REPLY_FORMAT, REQUEST_FORMAT as CHANGE_REQUEST_FORMAT } from '../core/requests/proposal.ts';
import { CHALLENGE_FORMATS, DUEL_FORMATS } from '../core/social/challenge.ts';
import { SHARE_FORMAT as RECOVERY_SHARE_FORMAT } from '../core/recovery/scheme.ts';
import { INVITE_FORMAT as NETWORK_INVITE_FORMAT } from '../core/net/private-network.ts';
import { AUDIT_BATCH_FORMAT, AuditRecordError } from '../core/registry/audit-record.ts';

/** A message as it came out of a mailbox (adapters/p2p/messaging.ts `Mail`). */
export interface IncomingMail {
  id: string;
  from: Did;
  ts: number;
  envelope: Uint8Array;
}

export type MailKind = 'change-request' | 'change-reply' | 'attest-request' | 'attestation' | 'challenge' | 'duel' | 'recovery-share' | 'network-invite' | 'audit-batch' | 'unknown';

/** A Map: the format is the sender's word, and `constructor` must not find Object's. */
const KINDS = new Map<string, MailKind>([
  [CHANGE_REQUEST_FORMAT, 'change-request'],
  [CHANGE_REPLY_FORMAT, 'change-reply'],
  [ATTEST_REQUEST_FORMAT, 'attest-request'],
  [ATTEST_REPLY_FORMAT, 'attestation'],
  ...CHALLENGE_FORMATS.map((format) => [format, 'challenge'] as const),
  ...DUEL_FORMATS.map((format) => [format, 'duel'] as const),
  [RECOVERY_SHARE_FORMAT, 'recovery-share'],
  [NETWORK_INVITE_FORMAT, 'network-invite'],
  [AUDIT_BATCH_FORMAT, 'audit-batch'],
]);

export const kindOf = (format: string): MailKind => KINDS.get(format) ?? 'unknown';

export interface RoutedMail {
  id: string;
  from: Did;
  kind: MailKind;
  state: ReceivedMailState;
  note: string;
}

/** Where audit batches go: keeps the entries of one (throws a DefaustError to refuse it). */
export type AuditIntake = (message: IncomingMail) => { kept: number; refused: number; note: string };

/**
 * Takes fetched mail in for `profile`'s identity. Returns what happened to each new message (mail held
 * already is skipped). Throws only when the store fails, so the caller does not acknowledge the mail.
 * Without `audit`, audit batches wait (a caller that cannot open them).
 */
export function takeMail(profile: Profile, received: ReceivedMailStore, clock: Clock, mail: readonly IncomingMail[], audit?: AuditIntake): RoutedMail[] {
  const routed: RoutedMail[] = [];
  for (const message of mail) {
    if (received.get(profile.id, message.id) !== undefined) continue;
    const format = envelopeFormat(message.envelope) ?? 'unknown';
    const kind = kindOf(format);
    let state: ReceivedMailState = 'waiting';
    let note = '';
    try {
      if (kind === 'change-request') {
        const request = profile.inbox.receive(message.envelope);
        state = 'taken';
        note = request.status === 'approved' ? `merged by a write grant (request ${request.id})` : `in the inbox (request ${request.id})`;
      } else if (kind === 'attestation') {
        const { attestation } = profile.feats.receive(message.envelope);
        state = 'taken';
        note = `${attestation.witness} said ${attestation.verdict} for ${attestation.claim}`;
      } else if (kind === 'attest-request') {
        note = 'waiting for your verdict as a witness';
      } else if (kind === 'challenge' || kind === 'duel') {
        note = `waiting: defaust ${kind} list`;
      } else if (kind === 'recovery-share') {
        note = `a recovery share for you to keep: defaust custody import ${message.id}, or the Custody screen`;
      } else if (kind === 'network-invite') {
        note = `an invite to a private network: defaust network join --mail ${message.id}`;
      } else if (kind === 'audit-batch') {
        if (audit === undefined) {
          note = 'an audit batch from a registered client: fetch mail in the wallet to take it in';
        } else {
          const taken = audit(message);
          if (taken.kept === 0 && taken.refused > 0) throw new AuditRecordError('forged', taken.note);
          state = 'taken';
          note = taken.note;
        }
      } else if (kind === 'change-reply') {
        note = 'an answer to a change you proposed';
      } else {
        state = 'refused';
        note = 'not a kind of message DeFaust knows';
      }
    } catch (error) {
      if (!(error instanceof DefaustError)) throw error;
      state = 'refused';
      note = `${error.code}: ${error.message}`;
    }
    const stored: ReceivedMail = { id: message.id, to: profile.id, from: message.from, format, ts: message.ts, receivedAt: clock.now(), envelope: message.envelope, state, note };
    if (received.put(stored)) routed.push({ id: message.id, from: message.from, kind, state, note });
  }
  return routed;
}
