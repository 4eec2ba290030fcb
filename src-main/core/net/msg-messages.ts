// The messages of `/defaust/msg/1.0.0`, one canonical DAG-CBOR map per frame, tagged by `t` (the framing
// of frames.ts). Decoding checks the canonical encoding and the exact shape; a deposit inside travels as its
// own canonical bytes and is verified by deposit.ts, never trusted here.
//
//   deposit:  → deposit{deposit}                       ← accepted{id, expires, duplicate} | error
//   fetch:    → fetch{to}  ← challenge{nonce}  → prove{sig}  ← mail{deposit}* ← end{more}
//             → ack{ids}   ← acked{count}
//   evidence: → evidence{evidence}                     ← kept{added} | error      (honor evidence for a replica)
//   about:    → about{did}  ← evidence{evidence}* ← end{more}                    (the evidence held about did)
// Evidence is public and self-verifying (signed headers, signed reviews): whoever receives it checks it all.
import { encode } from '../chain/codec.ts';
import { isDid, type Did } from '../identity/did.ts';
import { FETCH_NONCE_BYTES } from './deposit.ts';
import { MessageError, MSG_REASONS, type MsgReason } from './errors.ts';
import { decodeTagged } from './tagged.ts';
import { MAX_EVIDENCE_BYTES } from '../../../src-shared/rules/limits.ts';

export const MSG_PROTOCOL = '/defaust/msg/1.0.0';
/** Most ids one ack may name (a fetch serves at most this many deposits). */
export const MAX_BATCH = 256;
const MAX_ID_CHARS = 128;
const MAX_ERROR_TEXT = 500;

/** Leave a signed deposit (deposit.ts) at a mailbox. */
export interface DepositMessage { t: 'deposit'; deposit: Uint8Array }
/** The mailbox keeps it until `expires` (ms); `duplicate` when it held that id already (kept or delivered). */
export interface AcceptedMessage { t: 'accepted'; id: string; expires: number; duplicate: boolean }
/** Ask for the mail of `to`. */
export interface FetchMessage { t: 'fetch'; to: Did }
/** The mailbox's fresh challenge, to be signed by `to`'s key (deposit.ts, fetch proof). */
export interface ChallengeMessage { t: 'challenge'; nonce: Uint8Array }
export interface ProveMessage { t: 'prove'; sig: Uint8Array }
/** One deposit held for the recipient, exactly as the sender signed it. */
export interface MailMessage { t: 'mail'; deposit: Uint8Array }
/** No more mail in this session; `more` when the mailbox holds more than it sent (fetch again after the ack). */
export interface EndMessage { t: 'end'; more: boolean }
/** The recipient took these deposits: the mailbox drops them. */
export interface AckMessage { t: 'ack'; ids: string[] }
export interface AckedMessage { t: 'acked'; count: number }
/** Honor evidence (core/honor/evidence.ts bytes): given to a replica, or served by one. */
export interface EvidenceMessage { t: 'evidence'; evidence: Uint8Array }
/** The replica checked the evidence and keeps it; `added` false when it held it already. */
export interface KeptMessage { t: 'kept'; added: boolean }
/** Ask for the evidence held about `did`. */
export interface AboutMessage { t: 'about'; did: Did }
/** A refusal or failure (`code` from MSG_REASONS). */
export interface MsgErrorMessage { t: 'error'; code: MsgReason; message: string }

export type MsgMessage =
  | DepositMessage | AcceptedMessage | FetchMessage | ChallengeMessage | ProveMessage | MailMessage | EndMessage
  | AckMessage | AckedMessage | EvidenceMessage | KeptMessage | AboutMessage | MsgErrorMessage;

const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export function encodeMsgMessage(message: MsgMessage): Uint8Array {
  return encode(message);
}

export function msgErrorMessage(error: MessageError): MsgErrorMessage {
  return { t: 'error', code: error.reason, message: error.message.slice(0, MAX_ERROR_TEXT) };
}

/** The error a peer sent, as a MessageError marked remote. */
export function remoteMsgError(message: MsgErrorMessage): MessageError {
  return new MessageError(message.code, `the peer refused: ${message.message}`, { remote: true });
}

/** Decodes one frame; a MessageError `malformed` when it is not a canonical, well-formed message. */
export function decodeMsgMessage(bytes: Uint8Array): MsgMessage {
  const fail = (why: string): never => {
    throw new MessageError('malformed', `malformed message: ${why}`);
  };
  const { m, shape } = decodeTagged(bytes, fail);
  switch (m.t) {
    case 'deposit':
    case 'mail':
      shape('deposit,t');
      if (!(m.deposit instanceof Uint8Array)) fail(`${m.t} is {deposit: bytes}`);
      return m as unknown as DepositMessage | MailMessage;
    case 'accepted':
      shape('duplicate,expires,id,t');
      if (typeof m.id !== 'string' || m.id.length > MAX_ID_CHARS || !isUint(m.expires) || typeof m.duplicate !== 'boolean') fail('accepted is {id, expires: uint, duplicate: bool}');
      return m as unknown as AcceptedMessage;
    case 'fetch':
      shape('t,to');
      if (!isDid(m.to)) fail('fetch is {to: did}');
      return m as unknown as FetchMessage;
    case 'challenge':
      shape('nonce,t');
      if (!(m.nonce instanceof Uint8Array) || m.nonce.length !== FETCH_NONCE_BYTES) fail(`challenge is {nonce: bytes(${FETCH_NONCE_BYTES})}`);
      return m as unknown as ChallengeMessage;
    case 'prove':
      shape('sig,t');
      if (!(m.sig instanceof Uint8Array) || m.sig.length !== 64) fail('prove is {sig: bytes(64)}');
      return m as unknown as ProveMessage;
    case 'end':
      shape('more,t');
      if (typeof m.more !== 'boolean') fail('end is {more: bool}');
      return m as unknown as EndMessage;
    case 'ack':
      shape('ids,t');
      if (!Array.isArray(m.ids) || m.ids.length > MAX_BATCH || m.ids.some((id) => typeof id !== 'string' || id.length > MAX_ID_CHARS)) fail(`ack is {ids: [text]}, at most ${MAX_BATCH}`);
      return m as unknown as AckMessage;
    case 'acked':
      shape('count,t');
      if (!isUint(m.count)) fail('acked is {count: uint}');
      return m as unknown as AckedMessage;
    case 'evidence':
      shape('evidence,t');
      if (!(m.evidence instanceof Uint8Array) || m.evidence.length > MAX_EVIDENCE_BYTES) fail(`evidence is {evidence: bytes}, at most ${MAX_EVIDENCE_BYTES}`);
      return m as unknown as EvidenceMessage;
    case 'kept':
      shape('added,t');
      if (typeof m.added !== 'boolean') fail('kept is {added: bool}');
      return m as unknown as KeptMessage;
    case 'about':
      shape('did,t');
      if (!isDid(m.did)) fail('about is {did: did}');
      return m as unknown as AboutMessage;
    case 'error':
      shape('code,message,t');
      if (typeof m.code !== 'string' || !(MSG_REASONS as readonly string[]).includes(m.code)) fail('unknown error code');
      if (typeof m.message !== 'string' || m.message.length > MAX_ERROR_TEXT) fail('an error message is text of at most 500 characters');
      return m as unknown as MsgErrorMessage;
    default:
      return fail(`unknown message type ${String(m.t).slice(0, 40)}`);
  }
}
