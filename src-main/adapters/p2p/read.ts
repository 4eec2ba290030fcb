// Read on request on `/defaust/read/1.0.0` (DESIGN §4, service registry): the requester's side asks one
// client for a section of an owner; the client's side checks the request's signature, peer and time and hands
// it to a desk (app/sharing/read-service.ts) that checks the archive, the registration and the grant, audits,
// and answers. The messages and their signatures are in core/registry/read-protocol.ts.
//
//   handleRead(libp2p, { crypto, clock, desk, limits?, log? })   registers the client side on a node
//   askRead(node, peer, me, { owner, section, expectClient? })    one request: the answer, or a ReadServiceError
import type { Libp2p } from 'libp2p';
import type { Crypto } from '../../core/crypto/port.ts';
import type { Did } from '../../core/identity/did.ts';
import { SyncError } from '../../core/net/errors.ts';
import type { SigningIdentity } from '../../core/net/deposit.ts';
import type { Clock } from '../../core/ports.ts';
import {
  answerMessage, checkReply, decodeReadMessage, encodeReadMessage, MAX_READ_FRAME_BYTES, READ_PROTOCOL, ReadServiceError, refusedMessage, signReadRequest,
  verifyReadRequest, type ReadAnswer, type ReadMessage, type SignedReadRequest,
} from '../../core/registry/read-protocol.ts';
import { errorFields, type Logger } from '../../core/log.ts';
import { rememberAddrs, type Libp2pPeer } from './network.ts';
import { runFramed, type FrameCodec, type FramedLimits, type Stream, type TrafficMeter } from './framed-stream.ts';

export { READ_PROTOCOL };

export interface ReadLimits extends FramedLimits {
  /** Read sessions served at once, and at once for one peer; more are refused with `read/busy`. */
  maxConcurrentSessions: number;
  sessionsPerPeer: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxFrameBytes: MAX_READ_FRAME_BYTES,
  idleTimeoutMs: 30_000,
  sessionTimeoutMs: 60_000,
  maxConcurrentSessions: 8,
  sessionsPerPeer: 2,
};

const asReadError = (error: unknown, reason: 'closed' | 'timeout' | 'internal', message: string): ReadServiceError => {
  if (error instanceof ReadServiceError) return error;
  if (error instanceof SyncError) {
    const mapped = error.reason === 'frame-too-large' || error.reason === 'protocol' ? 'malformed'
      : error.reason === 'timeout' || error.reason === 'closed' || error.reason === 'busy' ? error.reason : 'internal';
    return new ReadServiceError(mapped, error.message);
  }
  return new ReadServiceError(reason, message);
};

const READ_CODEC: FrameCodec<ReadMessage, ReadServiceError> = {
  encode: encodeReadMessage,
  decode: decodeReadMessage,
  failure: asReadError,
};

/** What the client side needs of the home it runs in. */
export interface ReadDesk {
  /** The client's identity while its wallet is unlocked (it signs answers and refusals), else null. */
  identity(): SigningIdentity | null;
  /** Serves a verified request: the answer, or a ReadServiceError to refuse (the desk audits both). */
  serve(request: SignedReadRequest, identity: SigningIdentity): Promise<ReadAnswer>;
}

export interface ReadServiceOptions {
  crypto: Crypto;
  clock: Clock;
  desk: ReadDesk;
  limits?: Partial<ReadLimits>;
  meter?: TrafficMeter;
  /** Where a failed session is told. */
  log?: Logger;
}

/** Registers the client side of `/defaust/read/1.0.0` on a node. */
export async function handleRead(libp2p: Libp2p, options: ReadServiceOptions): Promise<void> {
  const { crypto, clock, desk } = options;
  const limits = { ...DEFAULT_READ_LIMITS, ...options.limits };
  const self = libp2p.peerId.toString();
  let sessions = 0;
  const perPeer = new Map<string, number>();
  await libp2p.handle(READ_PROTOCOL, async (stream, connection) => {
    const peer = connection.remotePeer.toString();
    const identity = desk.identity();
    // A locked client signs nothing: it hangs up, and the requester sees the stream close.
    if (identity === null) {
      stream.abort(new ReadServiceError('locked', 'this client is locked'));
      return;
    }
    const mine = perPeer.get(peer) ?? 0;
    const busy = sessions >= limits.maxConcurrentSessions || mine >= limits.sessionsPerPeer;
    sessions++;
    perPeer.set(peer, mine + 1);
    try {
      await runFramed(stream, READ_CODEC, limits, async (channel) => {
        const ask = await channel.receive();
        if (ask.t !== 'ask') throw new ReadServiceError('malformed', 'a read session opens with ask');
        let request: SignedReadRequest | null = null;
        try {
          if (busy) throw new ReadServiceError('busy', 'this client serves as many reads as it can; try later');
          request = verifyReadRequest(crypto, ask.request, self, clock.now());
          await channel.send(answerMessage(crypto, identity, request.request.requester, await desk.serve(request, identity)));
        } catch (error) {
          if (!(error instanceof ReadServiceError)) options.log?.warn('read not served', { peer, ...errorFields(error) });
          const refusal = error instanceof ReadServiceError ? error : new ReadServiceError('internal', 'the client failed to serve this read');
          await channel.send(refusedMessage(crypto, identity, request?.id ?? '', refusal));
        }
      }, options.meter);
    } catch (error) {
      options.log?.debug('read session failed', { peer, ...errorFields(error) });
    } finally {
      sessions--;
      const left = (perPeer.get(peer) ?? 1) - 1;
      if (left > 0) perPeer.set(peer, left);
      else perPeer.delete(peer);
    }
  }, { maxInboundStreams: 4, maxOutboundStreams: 4 });
}

/** What asking needs of its node (a `DefaustNode` is one). */
export interface ReadNode {
  readonly libp2p: Libp2p;
  readonly crypto: Crypto;
  readonly limits: { readonly dialTimeoutMs: number };
  readonly traffic: TrafficMeter;
}

export interface AskedRead {
  client: Did;
  answer: ReadAnswer;
}

/** Asks `peer` for `section` of `owner` as `me`; throws a ReadServiceError (the client's signed refusal is `remote`). */
export async function askRead(
  node: ReadNode, peer: Libp2pPeer, me: SigningIdentity, what: { owner: Did; section: string; now: number; expectClient?: Did }, limits: Partial<FramedLimits> = {},
): Promise<AskedRead> {
  const { crypto, libp2p } = node;
  await rememberAddrs(libp2p, peer);
  let stream: Stream;
  try {
    stream = await libp2p.dialProtocol(peer.peerId, READ_PROTOCOL, { signal: AbortSignal.timeout(node.limits.dialTimeoutMs) });
  } catch (error) {
    throw new ReadServiceError('unreachable', `cannot open ${READ_PROTOCOL} to ${peer.id}: ${(error as Error).message}`);
  }
  const request = signReadRequest(crypto, me.ed25519Seed, { owner: what.owner, section: what.section, requester: me.did, peer: peer.id, ts: what.now });
  return runFramed(stream, READ_CODEC, { ...DEFAULT_READ_LIMITS, ...limits }, async (channel) => {
    await channel.send({ t: 'ask', request: request.bytes });
    return checkReply(crypto, await channel.receive(), request, me, what.expectClient);
  }, node.traffic);
}
