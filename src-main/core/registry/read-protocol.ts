// The messages of `/defaust/read/1.0.0` (DESIGN §4, service registry): a requester asks a registered client
// for a section of an owner while the owner is offline. One canonical DAG-CBOR map per frame, tagged by `t`.
//
//   → ask{request}                       ← answer{client, envelope, sig} | refused{client, code, message, sig}
//
//   request  { v: 1, owner, section, requester, peer, ts: uint ms, nonce: bytes(16), sig: bytes(64) }
//            sig = Ed25519 by `requester` over "defaust/read-request/v1\n" ‖ dag-cbor(the request without sig);
//            `peer` is the client's peer id, so a request is good at one client only, and `ts` must be within
//            REQUEST_SKEW_MS of the client's clock.
//   answer   envelope: sealed to the requester (format READ_ANSWER_FORMAT) holding
//            { request: id of the request, owner, section, seq, fields };
//            sig = Ed25519 by `client` over "defaust/read-answer/v1\n" ‖ envelope
//   refused  sig = Ed25519 by `client` over "defaust/read-refused/v1\n" ‖ dag-cbor({request, code, message})
// The request id is the CID of the request without sig. A client learns who asked for what (and audits it);
// what it answers is readable by the requester only.
import { concatBytes, utf8 } from '../bytes.ts';
import { cidOf, decodeCanonical, encode, RAW, type CID } from '../chain/codec.ts';
import type { Value } from '../chain/ops.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { openEnvelope, sealEnvelope } from '../identity/envelope.ts';
import { decodeTagged } from '../net/tagged.ts';
import { SECTION_NAME } from '../../../src-shared/rules/names.ts';

export const READ_PROTOCOL = '/defaust/read/1.0.0';
export const READ_ANSWER_FORMAT = 'defaust/read-answer/v1';
const REQUEST_LABEL = utf8('defaust/read-request/v1\n');
const ANSWER_LABEL = utf8('defaust/read-answer/v1\n');
const REFUSED_LABEL = utf8('defaust/read-refused/v1\n');
/** How far a request's time may be from the client's clock. */
export const REQUEST_SKEW_MS = 5 * 60_000;
const NONCE_BYTES = 16;
const MAX_TEXT = 500;
/** The largest frame: a section's fields sealed (an answer); well under a mailbox's largest message. */
export const MAX_READ_FRAME_BYTES = 1024 * 1024;

/**
 * Why a read through a client failed. Refusals cross the wire as this code: `denied` (the requester holds no
 * grant in term), `not-registered` (the client is not registered by the owner for that section),
 * `no-archive` (the client holds and finds no valid archive of the owner), `locked` (the client's wallet is
 * locked), `forged` (a signature does not verify), `stale` (a request out of time), `malformed`, `busy`;
 * `not-found` (no client answers for the owner), `timeout`, `closed`, `unreachable` describe the transport and
 * `internal` anything else.
 */
export const READ_REASONS = [
  'denied', 'not-registered', 'no-archive', 'locked', 'forged', 'stale', 'malformed', 'busy', 'not-found', 'timeout', 'closed', 'unreachable', 'internal',
] as const;
export type ReadReason = (typeof READ_REASONS)[number];

export class ReadServiceError extends DefaustError {
  override name = 'ReadServiceError';
  readonly reason: ReadReason;
  /** True when the client sent this refusal (signed); false when this side detected it. */
  readonly remote: boolean;
  constructor(reason: ReadReason, message: string, details: { remote?: boolean } = {}) {
    super(`read/${reason}`, message);
    this.reason = reason;
    this.remote = details.remote ?? false;
  }
}

export interface ReadRequest {
  owner: Did;
  section: string;
  requester: Did;
  /** The client's peer id. */
  peer: string;
  ts: number;
  nonce: Uint8Array;
}

export interface SignedReadRequest {
  id: string;
  request: ReadRequest;
  bytes: Uint8Array;
}

const REQUEST_KEYS = 'nonce,owner,peer,requester,section,sig,ts,v';
const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const unsignedOf = (r: ReadRequest) => ({ v: 1, owner: r.owner, section: r.section, requester: r.requester, peer: r.peer, ts: r.ts, nonce: r.nonce });

/** Signs a request by the requester's identity key. */
export function signReadRequest(crypto: Crypto, requesterSeed: Uint8Array, fields: Omit<ReadRequest, 'nonce'>): SignedReadRequest {
  const request: ReadRequest = { ...fields, nonce: crypto.randomBytes(NONCE_BYTES) };
  const unsigned = encode(unsignedOf(request));
  const sig = crypto.ed25519.sign(requesterSeed, concatBytes(REQUEST_LABEL, unsigned));
  return { id: cidOf(crypto.sha256, unsigned).toString(), request, bytes: encode({ ...unsignedOf(request), sig }) };
}

/** Decodes and verifies a request at the client `self` at time `now`: shape, signature, peer and time. */
export function verifyReadRequest(crypto: Crypto, bytes: Uint8Array, self: string, now: number): SignedReadRequest {
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch {
    throw new ReadServiceError('malformed', 'a read request is canonical DAG-CBOR');
  }
  const r = value as Record<string, unknown>;
  if (typeof r !== 'object' || r === null || Object.keys(r).sort().join(',') !== REQUEST_KEYS || r.v !== 1) throw new ReadServiceError('malformed', `a read request has exactly the fields ${REQUEST_KEYS}`);
  if (!isDid(r.owner) || !isDid(r.requester) || typeof r.section !== 'string' || !SECTION_NAME.test(r.section) || typeof r.peer !== 'string' || r.peer.length > 128) {
    throw new ReadServiceError('malformed', 'a read request names owner and requester by did:key, a section and a peer');
  }
  if (!isUint(r.ts) || !(r.nonce instanceof Uint8Array) || r.nonce.length !== NONCE_BYTES || !(r.sig instanceof Uint8Array) || r.sig.length !== 64) {
    throw new ReadServiceError('malformed', 'a read request has a ts, a 16-byte nonce and a 64-byte sig');
  }
  const request: ReadRequest = { owner: r.owner, section: r.section, requester: r.requester, peer: r.peer, ts: r.ts, nonce: r.nonce };
  const unsigned = encode(unsignedOf(request));
  if (!crypto.ed25519.verify(publicKeyFromDid(request.requester), concatBytes(REQUEST_LABEL, unsigned), r.sig)) {
    throw new ReadServiceError('forged', `the read request is not signed by ${request.requester}`);
  }
  if (request.peer !== self) throw new ReadServiceError('malformed', 'the read request is addressed to another client');
  if (Math.abs(now - request.ts) > REQUEST_SKEW_MS) throw new ReadServiceError('stale', 'the read request is out of time (check the clocks)');
  return { id: cidOf(crypto.sha256, unsigned).toString(), request, bytes };
}

/** What a client answers: the section's fields as the client's own grant opens them. */
export interface ReadAnswer {
  request: string;
  owner: Did;
  section: string;
  /** The owner's chain as the client read it (the last seq). */
  seq: number;
  fields: Record<string, Value>;
}

export interface AskMessage { t: 'ask'; request: Uint8Array }
export interface AnswerMessage { t: 'answer'; client: Did; envelope: Uint8Array; sig: Uint8Array }
export interface RefusedMessage { t: 'refused'; client: Did; code: ReadReason; message: string; sig: Uint8Array }
export type ReadMessage = AskMessage | AnswerMessage | RefusedMessage;

/** The client's answer: sealed to the requester, signed by the client. */
export function answerMessage(crypto: Crypto, client: { did: Did; ed25519Seed: Uint8Array }, requester: Did, answer: ReadAnswer): AnswerMessage {
  const envelope = sealEnvelope(crypto, READ_ANSWER_FORMAT, requester, answer);
  return { t: 'answer', client: client.did, envelope, sig: crypto.ed25519.sign(client.ed25519Seed, concatBytes(ANSWER_LABEL, envelope)) };
}

const refusedBytes = (request: string, code: ReadReason, message: string) => concatBytes(REFUSED_LABEL, encode({ request, code, message }));

/** The client's refusal of request `request` (an id, or '' when the request did not decode), signed. */
export function refusedMessage(crypto: Crypto, client: { did: Did; ed25519Seed: Uint8Array }, request: string, error: ReadServiceError): RefusedMessage {
  const message = error.message.slice(0, MAX_TEXT);
  return { t: 'refused', client: client.did, code: error.reason, message, sig: crypto.ed25519.sign(client.ed25519Seed, refusedBytes(request, error.reason, message)) };
}

/**
 * Checks a reply to `request` at the requester: signed by the client it names (and by `expectClient` when
 * given), and for an answer, sealed to me, about the request asked. Returns the answer and the client; throws
 * the client's refusal as a remote ReadServiceError, a bad reply as a local one (`forged`, `malformed`).
 */
export function checkReply(
  crypto: Crypto, reply: ReadMessage, request: SignedReadRequest, me: { did: Did; ed25519Seed: Uint8Array }, expectClient?: Did,
): { client: Did; answer: ReadAnswer } {
  if (reply.t === 'ask') throw new ReadServiceError('malformed', 'the client sent a request, not a reply');
  if (expectClient !== undefined && reply.client !== expectClient) throw new ReadServiceError('forged', `the peer answers as ${reply.client}, not ${expectClient}`);
  const key = publicKeyFromDid(reply.client);
  if (reply.t === 'refused') {
    if (!crypto.ed25519.verify(key, refusedBytes(request.id, reply.code, reply.message), reply.sig)) throw new ReadServiceError('forged', `the refusal is not signed by ${reply.client}`);
    throw new ReadServiceError(reply.code, `${reply.client} refused: ${reply.message}`, { remote: true });
  }
  if (!crypto.ed25519.verify(key, concatBytes(ANSWER_LABEL, reply.envelope), reply.sig)) throw new ReadServiceError('forged', `the answer is not signed by ${reply.client}`);
  const opened = openEnvelope(crypto, reply.envelope, READ_ANSWER_FORMAT, me.did, me.ed25519Seed);
  if (!opened.ok) throw new ReadServiceError('forged', `the answer does not open for ${me.did} (${opened.reason})`);
  let inner: unknown;
  try {
    inner = decodeCanonical(opened.opened);
  } catch {
    throw new ReadServiceError('malformed', 'the answer is canonical DAG-CBOR');
  }
  const a = inner as Record<string, unknown>;
  if (typeof a !== 'object' || a === null || Object.keys(a).sort().join(',') !== 'fields,owner,request,section,seq') throw new ReadServiceError('malformed', 'an answer is {request, owner, section, seq, fields}');
  if (a.request !== request.id || a.owner !== request.request.owner || a.section !== request.request.section) throw new ReadServiceError('malformed', 'the answer is about another request');
  if (!isUint(a.seq) || typeof a.fields !== 'object' || a.fields === null || Array.isArray(a.fields)) throw new ReadServiceError('malformed', 'an answer has a seq and a map of fields');
  return { client: reply.client, answer: a as unknown as ReadAnswer };
}

export function encodeReadMessage(message: ReadMessage): Uint8Array {
  return encode(message);
}

/** Decodes one frame; a ReadServiceError `malformed` when it is not a canonical, well-formed message. */
export function decodeReadMessage(bytes: Uint8Array): ReadMessage {
  const fail = (why: string): never => {
    throw new ReadServiceError('malformed', `malformed read message: ${why}`);
  };
  const { m, shape } = decodeTagged(bytes, fail);
  switch (m.t) {
    case 'ask':
      shape('request,t');
      if (!(m.request instanceof Uint8Array) || m.request.length > 4096) fail('ask is {request: bytes}');
      return m as unknown as AskMessage;
    case 'answer':
      shape('client,envelope,sig,t');
      if (!isDid(m.client) || !(m.envelope instanceof Uint8Array) || !(m.sig instanceof Uint8Array) || m.sig.length !== 64) fail('answer is {client: did, envelope: bytes, sig: bytes(64)}');
      return m as unknown as AnswerMessage;
    case 'refused':
      shape('client,code,message,sig,t');
      if (!isDid(m.client) || !(READ_REASONS as readonly unknown[]).includes(m.code) || typeof m.message !== 'string' || m.message.length > MAX_TEXT || !(m.sig instanceof Uint8Array) || m.sig.length !== 64) {
        fail('refused is {client: did, code, message: text, sig: bytes(64)}');
      }
      return m as unknown as RefusedMessage;
    default:
      return fail(`unknown message type ${JSON.stringify(String(m.t).slice(0, 20))}`);
  }
}

/** The DHT provider key under which the registered clients of `owner` announce themselves. */
export function readServiceKey(crypto: Crypto, owner: Did): CID {
  return cidOf(crypto.sha256, utf8(`defaust/read-service/v1\n${owner}`), RAW);
}
