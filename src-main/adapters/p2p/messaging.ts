// Messaging on `/defaust/msg/1.0.0` (DESIGN §5): sealed envelopes wait in mailboxes at the recipient
// identity's mailbox peers until the recipient fetches them. The protocol logic is in core/net/msg-session.ts,
// the mailbox rules in core/net/mailbox.ts, the formats in core/net/deposit.ts and msg-messages.ts.
//
// Public API
//
//   const messaging = createMessaging(node, { clock, replicas?, limits?, log? });
//
//   messaging.send(from: {did, ed25519Seed}, to: Did, envelope: Uint8Array, ttlMs?): Promise<SendReport>
//     Signs a deposit of the envelope (already sealed to `to`, see core/identity/envelope.ts) with the
//     sender's identity key and leaves it at up to R (default 3) mailbox peers of `to`: the peers that announce
//     a replica of `to` (the `replicaKey` providers, the recipient's own node among them when it is online),
//     then the DHT-closest peers to `to`'s head-record key; a peer that refuses or cannot be reached is
//     replaced by the next. Resolves with the peers that took it; throws a MessageError when none did (the
//     peers' common refusal, e.g. `msg/over-quota`, or `msg/unreachable`).
//
//   messaging.fetchMail(me: {did, ed25519Seed}, { take? }): Promise<FetchMailReport>
//     Collects `me`'s mail from this node's own mailbox and from the same peers (providers, then the 2R
//     closest), proving at each that it holds the key, verifies every deposit again (sender's signature,
//     addressed to me), keeps each id once across peers, hands the new ones to `take` (store them durably
//     there), and then acknowledges them so the mailboxes drop them. When `take` throws, nothing more is
//     acknowledged. `report.mail`: each {id, from, ts, expires, envelope}, oldest first.
//
//   messaging.spreadEvidence(accused: Did, evidence: Uint8Array): Promise<number>
//     Gives honor evidence (core/honor/evidence.ts) to the mailbox peers of `accused` (its replicas first),
//     each of which checks it fully before keeping it; resolves with how many took it (or held it already).
//
//   messaging.gatherEvidence(about: Did): Promise<Uint8Array[]>
//     Asks the same peers for the evidence they hold about `about`; each piece once, unchecked (the caller
//     checks every piece before it counts).
//
//   handleMessaging(libp2p, { mailbox, limits, evidence?, meter?, onSession?, log? }) registers the mailbox side;
//   the node does it when `createDefaustNode` is given `mailbox: { store }`.
//
// What a mailbox peer learns: sender and recipient dids, size, times; the envelope is sealed to the recipient.
import type { Libp2p } from 'libp2p';
import type { Crypto } from '../../core/crypto/port.ts';
import type { Did } from '../../core/identity/did.ts';
import { checkSigner, DEPOSIT_OVERHEAD_BYTES, makeDeposit, verifyDeposit, type SigningIdentity, type VerifiedDeposit } from '../../core/net/deposit.ts';
import { asMessageError, MessageError, SyncError } from '../../core/net/errors.ts';
import { headKeyBytes } from '../../core/net/head-record.ts';
import { DEFAULT_MAILBOX_LIMITS, DEFAULT_TTL_MS, type Mailbox, type MailboxLimits } from '../../core/net/mailbox.ts';
import { decodeMsgMessage, encodeMsgMessage, msgErrorMessage, MSG_PROTOCOL, type AcceptedMessage, type MsgMessage } from '../../core/net/msg-messages.ts';
import { runAskEvidence, runDeposit, runFetch, runGiveEvidence, serveMsg, type EvidenceDesk, type FetchResult, type MsgChannel, type MsgSessionOutcome } from '../../core/net/msg-session.ts';
import { DEFAULT_REPLICAS, replicaKey, type PeerFailure } from '../../core/net/replicator.ts';
import type { Clock } from '../../core/ports.ts';
import { errorFields, type Logger } from '../../core/log.ts';
import { rememberAddrs, type Libp2pNetwork, type Libp2pPeer } from './network.ts';
import { runFramed, type FrameCodec, type Stream, type TrafficMeter } from './framed-stream.ts';

export { MSG_PROTOCOL };

export interface MessagingLimits extends MailboxLimits {
  /** Message streams per connection, each way. */
  inboundStreams: number;
  outboundStreams: number;
  /** Mailbox sessions served at once, and at once for one peer; more are refused with `msg/busy`. */
  maxConcurrentSessions: number;
  sessionsPerPeer: number;
  /** Longest wait for the next message. */
  idleTimeoutMs: number;
  /** Longest a session (one deposit, or one fetch with its ack) may run. */
  sessionTimeoutMs: number;
}

export const DEFAULT_MESSAGING_LIMITS: MessagingLimits = {
  ...DEFAULT_MAILBOX_LIMITS,
  inboundStreams: 8,
  outboundStreams: 8,
  maxConcurrentSessions: 16,
  sessionsPerPeer: 4,
  idleTimeoutMs: 10_000,
  sessionTimeoutMs: 30_000,
};

/** The largest frame: a deposit at the size limit in its message, or a full ack (256 ids, about 16 KiB). */
const frameCap = (limits: Pick<MailboxLimits, 'maxMessageBytes'>): number => Math.max(limits.maxMessageBytes, 64 * 1024) + DEPOSIT_OVERHEAD_BYTES;

/** The msg protocol's frames: its messages, its errors (a sync framing error maps to its msg reason). */
const MSG_CODEC: FrameCodec<MsgMessage, MessageError> = {
  encode: encodeMsgMessage,
  decode: decodeMsgMessage,
  failure: (error, reason, message) => (error instanceof MessageError || error instanceof SyncError ? asMessageError(error) : new MessageError(reason, message)),
};

type SessionLimits = Pick<MessagingLimits, 'maxMessageBytes' | 'idleTimeoutMs' | 'sessionTimeoutMs'>;

/** Runs `session` over a stream with a deadline; the stream is closed afterwards, or aborted on failure. */
function runMsgSession<T>(stream: Stream, limits: SessionLimits, session: (channel: MsgChannel) => Promise<T>, meter?: TrafficMeter): Promise<T> {
  return runFramed(stream, MSG_CODEC, { maxFrameBytes: frameCap(limits), idleTimeoutMs: limits.idleTimeoutMs, sessionTimeoutMs: limits.sessionTimeoutMs }, session, meter);
}

/** One mailbox session served (or refused), for logs and usage figures. */
export type MsgSessionEvent = { peer: string; ok: boolean; code?: string; outcome?: MsgSessionOutcome };

export interface MessagingServiceOptions {
  mailbox: Mailbox;
  /** Stream and session limits; the largest message is the mailbox's own (`mailbox.limits`). */
  limits: Omit<MessagingLimits, keyof MailboxLimits>;
  /** Counts the bytes of every session; `overBudget` refuses new sessions while the bandwidth cap is spent. */
  meter?: TrafficMeter & { overBudget(): boolean };
  onSession?: (event: MsgSessionEvent) => void;
  /** Where a failed session is told (a forged fetch proof, a peer that went away), with the peer and the code. */
  log?: Logger;
  /** Where honor evidence is kept and served from; without it evidence sessions are refused. */
  evidence?: EvidenceDesk;
}

/** Registers the mailbox side of `/defaust/msg/1.0.0` on a node. */
export async function handleMessaging(libp2p: Libp2p, options: MessagingServiceOptions): Promise<void> {
  const { mailbox, limits } = options;
  const self = libp2p.peerId.toString();
  let sessions = 0;
  const perPeer = new Map<string, number>();
  await libp2p.handle(MSG_PROTOCOL, async (stream, connection) => {
    const peer = connection.remotePeer.toString();
    const sessionLimits = { ...limits, maxMessageBytes: mailbox.limits.maxMessageBytes };
    const overBudget = options.meter?.overBudget() ?? false;
    const mine = perPeer.get(peer) ?? 0;
    if (sessions >= limits.maxConcurrentSessions || mine >= limits.sessionsPerPeer || overBudget) {
      const why = overBudget ? 'this mailbox has spent its bandwidth for now; try later'
        : mine >= limits.sessionsPerPeer ? 'you already have as many message sessions open here as one peer may; try later'
          : 'this mailbox serves as many sessions as it can; try later';
      // The refusal is a courtesy: a peer that hung up before reading it is refused all the same (onSession says so).
      await runMsgSession(stream, sessionLimits, (channel) => channel.send(msgErrorMessage(new MessageError('busy', why)))).catch(() => undefined);
      options.onSession?.({ peer, ok: false, code: 'msg/busy' });
      return;
    }
    sessions++;
    perPeer.set(peer, mine + 1);
    try {
      const outcome = await runMsgSession(stream, sessionLimits, (channel) => serveMsg(channel, mailbox, self, options.evidence), options.meter);
      options.onSession?.({ peer, ok: true, outcome });
    } catch (error) {
      const failure = asMessageError(error);
      options.onSession?.({ peer, ok: false, code: failure.code });
      options.log?.debug('msg session failed', { peer, ...errorFields(failure) });
    } finally {
      sessions--;
      const left = (perPeer.get(peer) ?? 1) - 1;
      if (left > 0) perPeer.set(peer, left);
      else perPeer.delete(peer);
    }
  }, { maxInboundStreams: limits.inboundStreams, maxOutboundStreams: limits.outboundStreams });
}

export interface SendReport {
  id: string;
  /** How many mailboxes took it (or held it already). */
  deposited: number;
  /** The peers that took it, and until when each keeps it. */
  peers: { peer: string; expires: number; duplicate: boolean }[];
  /** Peers that refused or could not be reached. */
  failures: PeerFailure[];
}

/** One message fetched: the envelope as its sender sealed it, and who signed the deposit. */
export interface Mail {
  id: string;
  from: Did;
  ts: number;
  /** When the sender meant it to expire (ts + ttl). */
  expires: number;
  envelope: Uint8Array;
}

/** How far a mail fetch is: finding the mailboxes, then asking them (how many answered of how many). */
export type MailFetchProgress = (stage: 'mailboxes' | 'fetching', done?: number, total?: number) => void;

export interface FetchMailReport {
  /** New mail, each id once, oldest first. */
  mail: Mail[];
  /** The mailboxes asked (this node's own included when it keeps one). */
  asked: number;
  /** Deposits that did not verify (a mailbox that serves forgeries). */
  rejected: number;
  failures: PeerFailure[];
}

export interface Messaging {
  send(from: SigningIdentity, to: Did, envelope: Uint8Array, ttlMs?: number): Promise<SendReport>;
  /** `report`: the stage reached — finding the mailboxes, then asking them (how many answered of how many). */
  fetchMail(me: SigningIdentity, options?: { take?: (mail: Mail[]) => Promise<void> | void; report?: MailFetchProgress }): Promise<FetchMailReport>;
  /** The mailbox peers of `to`: providers of its replica key first, then the peers closest to its head-record key. */
  mailboxPeers(to: Did, closest?: number): Promise<Libp2pPeer[]>;
  /** Leaves signed deposit bytes at one peer (tests, tools); throws the peer's refusal. */
  depositAt(peer: Libp2pPeer, deposit: Uint8Array): Promise<AcceptedMessage>;
  /** One fetch session at one peer (tests, tools). */
  fetchFrom(peer: Libp2pPeer, me: SigningIdentity, take?: (deposits: VerifiedDeposit[]) => Promise<void> | void): Promise<FetchResult>;
  /** Gives honor evidence to the mailbox peers of `accused`: how many took it (or held it already). */
  spreadEvidence(accused: Did, evidence: Uint8Array): Promise<number>;
  /** The evidence the mailbox peers of `about` hold about it, each piece once, unchecked. */
  gatherEvidence(about: Did): Promise<Uint8Array[]>;
}

export interface MessagingOptions {
  clock: Clock;
  /** How many mailboxes to leave each message at (R); default 3. */
  replicas?: number;
  /** Session limits of the client side; default the node's mailbox limits, else DEFAULT_MESSAGING_LIMITS. */
  limits?: Partial<SessionLimits>;
  /** Where a failed lookup of mailbox peers is told (the send or fetch goes on with the peers the other lookup found). */
  log?: Logger;
}

/** Most fetch rounds at one mailbox in one `fetchMail` (each takes up to 256 deposits). */
const MAX_FETCH_ROUNDS = 16;

const failureOf = (peer: { id: string }, error: unknown): PeerFailure => {
  const failure = asMessageError(error);
  return { peer: peer.id, code: failure.code, message: failure.message };
};

const mailOf = (v: VerifiedDeposit): Mail => ({ id: v.id, from: v.deposit.from, ts: v.deposit.ts, expires: v.deposit.ts + v.deposit.ttl, envelope: v.deposit.envelope });

/** What messaging needs of its node (a `DefaustNode` is one); declared here so node.ts can import this file. */
export interface MessagingNode {
  readonly libp2p: Libp2p;
  readonly network: Libp2pNetwork;
  readonly crypto: Crypto;
  readonly limits: { readonly dialTimeoutMs: number };
  readonly traffic: TrafficMeter;
  readonly mailbox: Mailbox | null;
}

/** The client side of messaging on a node (see the header of this file). */
export function createMessaging(node: MessagingNode, options: MessagingOptions): Messaging {
  const { crypto, network, libp2p } = node;
  const replicas = options.replicas ?? DEFAULT_REPLICAS;
  const limits = (): SessionLimits => ({
    maxMessageBytes: node.mailbox?.limits.maxMessageBytes ?? DEFAULT_MESSAGING_LIMITS.maxMessageBytes,
    idleTimeoutMs: DEFAULT_MESSAGING_LIMITS.idleTimeoutMs,
    sessionTimeoutMs: DEFAULT_MESSAGING_LIMITS.sessionTimeoutMs,
    ...options.limits,
  });

  async function withMsg<T>(peer: Libp2pPeer, session: (channel: MsgChannel) => Promise<T>): Promise<T> {
    await rememberAddrs(libp2p, peer);
    let stream: Stream;
    try {
      stream = await libp2p.dialProtocol(peer.peerId, MSG_PROTOCOL, { signal: AbortSignal.timeout(node.limits.dialTimeoutMs) });
    } catch (error) {
      throw new MessageError('unreachable', `cannot open ${MSG_PROTOCOL} to ${peer.id}: ${(error as Error).message}`);
    }
    return runMsgSession(stream, limits(), session, node.traffic);
  }

  /** Providers first (this node excluded), then closest peers not already listed; `closest` bounds the latter. */
  async function mailboxPeers(to: Did, closest = Number.POSITIVE_INFINITY): Promise<Libp2pPeer[]> {
    // Either lookup may fail on its own; the other one's peers are still worth trying, and the log says why.
    const lookupFailed = (query: string) => (error: unknown): Libp2pPeer[] => {
      options.log?.debug('mailbox lookup failed', { query, to, ...errorFields(error) });
      return [];
    };
    const near = network.closestPeers(headKeyBytes(to)).catch(lookupFailed('closest peers'));
    const providers = await network.findProviders(replicaKey(crypto, to), 20).catch(lookupFailed('providers'));
    const seen = new Set([network.self]);
    const out: Libp2pPeer[] = [];
    const add = (peer: Libp2pPeer) => {
      if (seen.has(peer.id)) return;
      seen.add(peer.id);
      out.push(peer);
    };
    providers.forEach(add);
    (await near).slice(0, closest).forEach(add);
    return out;
  }

  async function send(from: SigningIdentity, to: Did, envelope: Uint8Array, ttlMs = DEFAULT_TTL_MS): Promise<SendReport> {
    const { id, bytes } = makeDeposit(crypto, from, { to, ts: options.clock.now(), ttl: ttlMs, envelope });
    const max = limits().maxMessageBytes;
    if (bytes.length > max) throw new MessageError('oversized', `the message takes ${bytes.length} bytes; mailboxes take at most ${max}`);
    const candidates = await mailboxPeers(to);
    const peers: SendReport['peers'] = [];
    const failures: PeerFailure[] = [];
    let next = 0;
    while (peers.length < replicas && next < candidates.length) {
      const batch = candidates.slice(next, next + replicas - peers.length);
      next += batch.length;
      const outcomes = await Promise.allSettled(batch.map((peer) => withMsg(peer, (channel) => runDeposit(channel, bytes))));
      outcomes.forEach((outcome, i) => {
        const peer = batch[i]!;
        if (outcome.status === 'fulfilled') peers.push({ peer: peer.id, expires: outcome.value.expires, duplicate: outcome.value.duplicate });
        else failures.push(failureOf(peer, outcome.reason));
      });
    }
    if (peers.length === 0) {
      const codes = new Set(failures.map((f) => f.code));
      const only = codes.size === 1 ? [...codes][0]!.slice('msg/'.length) : 'unreachable';
      const reason = only === 'closed' || only === 'timeout' ? 'unreachable' : (only as MessageError['reason']);
      const detail = failures.map((f) => `${f.peer}: ${f.code}`).join('; ');
      throw new MessageError(reason, `no mailbox of ${to} took the message (${candidates.length} found${detail ? `; ${detail}` : ''})`);
    }
    return { id, deposited: peers.length, peers, failures };
  }

  async function fetchMail(me: SigningIdentity, fetchOptions: { take?: (mail: Mail[]) => Promise<void> | void; report?: MailFetchProgress } = {}): Promise<FetchMailReport> {
    checkSigner(crypto, me);
    const seen = new Set<string>();
    const mail: Mail[] = [];
    let rejected = 0;
    const failures: PeerFailure[] = [];
    let takeError: unknown = null;
    // Runs one at a time across sessions, so an id taken from one mailbox is never handed over twice.
    let queue: Promise<void> = Promise.resolve();
    const take = (deposits: VerifiedDeposit[]): Promise<void> => {
      const run = queue.then(async () => {
        if (takeError !== null) throw new MessageError('internal', 'an earlier batch could not be taken');
        const fresh = deposits.filter((d) => !seen.has(d.id)).map(mailOf);
        try {
          if (fresh.length > 0) await fetchOptions.take?.(fresh);
        } catch (error) {
          takeError = error;
          throw error;
        }
        for (const m of fresh) {
          seen.add(m.id);
          mail.push(m);
        }
      });
      // The queue only orders the batches; `run` gives its failure to the session that handed the batch in.
      queue = run.catch(() => undefined);
      return run;
    };

    // This node's own mailbox (mail delivered to it directly): no proof needed, the same checks.
    let asked = 0;
    const own = node.mailbox;
    if (own !== null) {
      asked++;
      for (let round = 0; round < MAX_FETCH_ROUNDS; round++) {
        const { deposits, more } = own.collect(me.did);
        const verified: VerifiedDeposit[] = [];
        for (const stored of deposits) {
          try {
            verified.push(verifyDeposit(crypto, stored.bytes));
          } catch {
            // A forgery in this node's own mailbox: counted in `rejected`, like a remote mailbox's.
            rejected++;
          }
        }
        await take(verified);
        own.ack(me.did, verified.map((d) => d.id));
        if (!more) break;
      }
    }

    fetchOptions.report?.('mailboxes');
    const peers = await mailboxPeers(me.did, 2 * replicas);
    asked += peers.length;
    let answered = 0;
    fetchOptions.report?.('fetching', 0, peers.length);
    await Promise.all(peers.map(async (peer) => {
      try {
        for (let round = 0; round < MAX_FETCH_ROUNDS; round++) {
          const result = await fetchFrom(peer, me, take);
          rejected += result.rejected;
          if (!result.more) break;
        }
      } catch (error) {
        failures.push(failureOf(peer, error));
      }
      fetchOptions.report?.('fetching', ++answered, peers.length);
    }));
    if (takeError !== null) throw takeError;
    mail.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { mail, asked, rejected, failures };
  }

  function fetchFrom(peer: Libp2pPeer, me: SigningIdentity, take?: (deposits: VerifiedDeposit[]) => Promise<void> | void): Promise<FetchResult> {
    return withMsg(peer, (channel) => runFetch(channel, crypto, me, peer.id, { maxMessageBytes: limits().maxMessageBytes, take }));
  }

  async function spreadEvidence(accused: Did, evidence: Uint8Array): Promise<number> {
    const peers = await mailboxPeers(accused, replicas);
    const outcomes = await Promise.allSettled(peers.map((peer) => withMsg(peer, (channel) => runGiveEvidence(channel, evidence))));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') options.log?.debug('evidence not taken', { peer: peers[i]!.id, accused, ...errorFields(outcome.reason) });
    });
    return outcomes.filter((o) => o.status === 'fulfilled').length;
  }

  async function gatherEvidence(about: Did): Promise<Uint8Array[]> {
    const peers = await mailboxPeers(about, replicas);
    const seen = new Map<string, Uint8Array>();
    const outcomes = await Promise.allSettled(peers.map((peer) => withMsg(peer, (channel) => runAskEvidence(channel, about))));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'rejected') options.log?.debug('evidence not served', { peer: peers[i]!.id, about, ...errorFields(outcome.reason) });
      else for (const bytes of outcome.value) seen.set(Buffer.from(crypto.sha256(bytes)).toString('hex'), bytes);
    });
    return [...seen.values()];
  }

  return {
    send,
    fetchMail,
    mailboxPeers,
    spreadEvidence,
    gatherEvidence,
    depositAt: (peer, deposit) => withMsg(peer, (channel) => runDeposit(channel, deposit)),
    fetchFrom,
  };
}
