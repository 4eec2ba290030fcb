// The messages of `/defaust/sync/1.0.0`, one canonical DAG-CBOR map per frame, tagged by `t`. Decoding
// checks the canonical encoding and the exact shape; what a message carries (headers, bodies, blobs) is
// verified later by the chain verifier, never trusted here.
import { asCid, encode, type CID } from '../chain/codec.ts';
import { isDid, type Did } from '../identity/did.ts';
import { SYNC_REASONS, SyncError, type SyncReason } from './errors.ts';
import { decodeTagged } from './tagged.ts';

export const SYNC_PROTOCOL = '/defaust/sync/1.0.0';

/** Ask for the blocks of `id` from seq `from` on (the number of blocks already held; 0 for all), bodies and media included. */
export interface PullMessage { t: 'pull'; id: Did; from: number }
/** Offer a whole chain to a replica: its length, head and total size in bytes (headers, bodies, blobs). */
export interface PushMessage { t: 'push'; id: Did; length: number; head: CID; size: number }
/** A replica accepts a push: it holds `from` blocks of that chain, the last one being `head`. */
export interface ReadyMessage { t: 'ready'; from: number; head: CID | null }
/** One block: its header bytes and the bodies it references, as [CID, bytes] pairs. */
export interface BlockMessage { t: 'block'; header: Uint8Array; bodies: [CID, Uint8Array][] }
/** After the blocks: the media blobs the sender holds for the chain. */
export interface OfferMessage { t: 'offer'; cids: CID[] }
/** The blobs of the offer the receiver lacks. */
export interface WantMessage { t: 'want'; cids: CID[] }
export interface BlobMessage { t: 'blob'; cid: CID; bytes: Uint8Array }
/** The sender's chain ends here: the receiver now holds `length` blocks ending in `head`. */
export interface EndMessage { t: 'end'; length: number; head: CID }
/** A replica stored a push (all or nothing) and says whether it announced itself as a provider. */
export interface StoredMessage { t: 'stored'; length: number; head: CID; provided: boolean }
/** Ask a replica for the identity's writer lease (writer-lease.ts); `ms` 0 lets go of it. */
export interface ClaimMessage { t: 'claim'; id: Did; writer: Did; ts: number; ms: number; sig: Uint8Array }
/** The replica's answer, with what it holds of the chain (`length` blocks ending in `head`). */
export interface ClaimedMessage { t: 'claimed'; granted: boolean; holder: Did | null; until: number; length: number; head: CID | null }
/** A refusal or failure; `rule` and `seq` name the chain rule broken for `bad-header`. */
export interface ErrorMessage { t: 'error'; code: SyncReason; message: string; rule: string | null; seq: number | null }

export type SyncMessage =
  | PullMessage | PushMessage | ReadyMessage | BlockMessage | OfferMessage | WantMessage | BlobMessage | EndMessage
  | StoredMessage | ClaimMessage | ClaimedMessage | ErrorMessage;

const MAX_ERROR_TEXT = 500;
const isUint = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export function encodeSyncMessage(message: SyncMessage): Uint8Array {
  return encode(message);
}

export function errorMessage(error: SyncError): ErrorMessage {
  return { t: 'error', code: error.reason, message: error.message.slice(0, MAX_ERROR_TEXT), rule: error.rule, seq: error.seq };
}

/** The error a peer sent, as a SyncError marked remote. */
export function remoteError(message: ErrorMessage): SyncError {
  return new SyncError(message.code, `the peer refused: ${message.message}`, { rule: message.rule, seq: message.seq, remote: true });
}

function cidList(value: unknown, fail: (why: string) => never): CID[] {
  if (!Array.isArray(value)) return fail('cids is a list');
  return value.map((item) => asCid(item) ?? fail('cids holds a non-CID'));
}

/** Decodes one frame; a SyncError `protocol` when it is not a canonical, well-formed message. */
export function decodeSyncMessage(bytes: Uint8Array): SyncMessage {
  const fail = (why: string): never => {
    throw new SyncError('protocol', `malformed sync message: ${why}`);
  };
  const { m, shape } = decodeTagged(bytes, fail);
  switch (m.t) {
    case 'pull':
      shape('from,id,t');
      if (!isDid(m.id) || !isUint(m.from)) fail('pull is {id: did, from: uint}');
      return m as unknown as PullMessage;
    case 'push':
      shape('head,id,length,size,t');
      if (!isDid(m.id) || !isUint(m.length) || m.length === 0 || asCid(m.head) === null || !isUint(m.size)) fail('push is {id, length > 0, head: CID, size}');
      return m as unknown as PushMessage;
    case 'ready':
      shape('from,head,t');
      if (!isUint(m.from) || (m.head !== null && asCid(m.head) === null)) fail('ready is {from: uint, head: CID | null}');
      return m as unknown as ReadyMessage;
    case 'block': {
      shape('bodies,header,t');
      if (!(m.header instanceof Uint8Array) || !Array.isArray(m.bodies)) fail('block is {header: bytes, bodies: [[CID, bytes]]}');
      for (const pair of m.bodies as unknown[]) {
        if (!Array.isArray(pair) || pair.length !== 2 || asCid(pair[0]) === null || !(pair[1] instanceof Uint8Array)) fail('a body is [CID, bytes]');
      }
      return m as unknown as BlockMessage;
    }
    case 'offer':
    case 'want':
      shape('cids,t');
      cidList(m.cids, fail);
      return m as unknown as OfferMessage | WantMessage;
    case 'blob':
      shape('bytes,cid,t');
      if (asCid(m.cid) === null || !(m.bytes instanceof Uint8Array)) fail('blob is {cid: CID, bytes}');
      return m as unknown as BlobMessage;
    case 'end':
      shape('head,length,t');
      if (!isUint(m.length) || asCid(m.head) === null) fail('end is {length: uint, head: CID}');
      return m as unknown as EndMessage;
    case 'stored':
      shape('head,length,provided,t');
      if (!isUint(m.length) || asCid(m.head) === null || typeof m.provided !== 'boolean') fail('stored is {length, head, provided}');
      return m as unknown as StoredMessage;
    case 'claim':
      shape('id,ms,sig,t,ts,writer');
      if (!isDid(m.id) || !isDid(m.writer) || !isUint(m.ts) || !isUint(m.ms) || !(m.sig instanceof Uint8Array)) fail('claim is {id, writer: did, ts, ms: uint, sig: bytes}');
      return m as unknown as ClaimMessage;
    case 'claimed':
      shape('granted,head,holder,length,t,until');
      if (typeof m.granted !== 'boolean' || (m.holder !== null && !isDid(m.holder)) || !isUint(m.until) || !isUint(m.length) || (m.head !== null && asCid(m.head) === null)) {
        fail('claimed is {granted, holder: did | null, until, length: uint, head: CID | null}');
      }
      return m as unknown as ClaimedMessage;
    case 'error':
      shape('code,message,rule,seq,t');
      if (typeof m.code !== 'string' || !(SYNC_REASONS as readonly string[]).includes(m.code)) fail('unknown error code');
      if (typeof m.message !== 'string' || m.message.length > MAX_ERROR_TEXT) fail('an error message is text of at most 500 characters');
      if ((m.rule !== null && typeof m.rule !== 'string') || (m.seq !== null && !isUint(m.seq))) fail('error rule and seq are text and uint, or null');
      return m as unknown as ErrorMessage;
    default:
      return fail(`unknown message type ${String(m.t).slice(0, 40)}`);
  }
}
