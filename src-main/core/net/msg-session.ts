// The sessions of `/defaust/msg/1.0.0` over any channel of messages (the adapter supplies one per libp2p
// stream; tests use an in-memory pair). Three roles:
//
//   mailbox   serveMsg: takes one deposit, or serves one fetch (challenge, proof, mail, ack)
//   sender    runDeposit: → deposit{deposit}  ← accepted | error
//   recipient runFetch:   → fetch{to} ← challenge{nonce} → prove{sig} ← mail* ← end{more} → ack{ids} ← acked{count}
//   evidence  runGiveEvidence: → evidence{evidence} ← kept{added};  runAskEvidence: → about{did} ← evidence* ← end
//
// The recipient verifies every deposit again (sender's signature, addressed to it) and acknowledges only
// those it verified and took, so a mailbox deletes nothing the recipient has not got.
import type { Crypto } from '../crypto/port.ts';
import type { Did } from '../identity/did.ts';
import { signFetchProof, verifyDeposit, type SigningIdentity, type VerifiedDeposit } from './deposit.ts';
import { DefaustError } from '../errors.ts';
import { asMessageError, MessageError } from './errors.ts';
import type { Mailbox } from './mailbox.ts';
import { MAX_BATCH, msgErrorMessage, remoteMsgError, type AcceptedMessage, type MsgMessage } from './msg-messages.ts';

/** A two-way channel of messages. The adapter frames, caps frame sizes and applies timeouts. */
export interface MsgChannel {
  send(message: MsgMessage): Promise<void>;
  /** The next message; throws a MessageError (`closed`, `timeout`, `malformed`, `oversized`) when there is none. */
  receive(): Promise<MsgMessage>;
}

type MessageOf<T extends MsgMessage['t']> = Extract<MsgMessage, { t: T }>;

/** Receives the next message, which must be one of `types`; an `error` message becomes a remote MessageError. */
export async function expectMsg<T extends MsgMessage['t']>(channel: MsgChannel, ...types: T[]): Promise<MessageOf<T>> {
  const message = await channel.receive();
  if (message.t === 'error') throw remoteMsgError(message);
  if (!(types as string[]).includes(message.t)) throw new MessageError('malformed', `expected ${types.join(' or ')}, got ${message.t}`);
  return message as MessageOf<T>;
}

const TRANSPORT_REASONS = new Set(['closed', 'timeout', 'unreachable']);

/** Runs a session; a failure this side detected is also sent to the peer (best effort) before it is rethrown. */
async function reportingErrors<T>(channel: MsgChannel, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const failure = asMessageError(error);
    if (!failure.remote && !TRANSPORT_REASONS.has(failure.reason)) await channel.send(msgErrorMessage(failure)).catch(() => undefined);
    throw failure;
  }
}

/** What a mailbox session did, for logs and usage figures. */
export type MsgSessionOutcome =
  | { kind: 'deposit'; id: string; to: Did; from: Did; duplicate: boolean; bytes: number }
  | { kind: 'fetch'; to: Did; served: number; acked: number }
  | { kind: 'evidence'; added: boolean; bytes: number }
  | { kind: 'about'; did: Did; served: number };

/**
 * Where a node keeps honor evidence (the app's evidence store): `take` checks evidence fully and keeps it
 * (false: held already; it throws a DefaustError when the evidence does not hold), `about` serves what is held.
 */
export interface EvidenceDesk {
  take(bytes: Uint8Array): boolean;
  about(did: Did): Uint8Array[];
}

/** Most pieces of evidence served about one did in one session. */
export const MAX_EVIDENCE_SERVED = 64;

/**
 * The mailbox side: one deposit, one fetch, or (with a `desk`) one piece of evidence taken or one did's
 * evidence served. `self` is this mailbox's peer id (fetch proofs name it).
 */
export async function serveMsg(channel: MsgChannel, mailbox: Mailbox, self: string, desk?: EvidenceDesk): Promise<MsgSessionOutcome> {
  return reportingErrors(channel, async () => {
    const first = await expectMsg(channel, 'deposit', 'fetch', 'evidence', 'about');
    if (first.t === 'evidence' || first.t === 'about') {
      if (desk === undefined) throw new MessageError('malformed', 'this node keeps no honor evidence');
      if (first.t === 'about') {
        const held = desk.about(first.did);
        for (const evidence of held.slice(0, MAX_EVIDENCE_SERVED)) await channel.send({ t: 'evidence', evidence });
        await channel.send({ t: 'end', more: held.length > MAX_EVIDENCE_SERVED });
        return { kind: 'about', did: first.did, served: Math.min(held.length, MAX_EVIDENCE_SERVED) };
      }
      let added: boolean;
      try {
        added = desk.take(first.evidence);
      } catch (error) {
        if (error instanceof DefaustError) throw new MessageError('forged', `the evidence does not hold (${error.code})`);
        throw error;
      }
      await channel.send({ t: 'kept', added });
      return { kind: 'evidence', added, bytes: first.evidence.length };
    }
    if (first.t === 'deposit') {
      const receipt = mailbox.deposit(first.deposit);
      await channel.send({ t: 'accepted', id: receipt.id, expires: receipt.expires, duplicate: receipt.duplicate });
      return { kind: 'deposit', id: receipt.id, to: receipt.to, from: receipt.from, duplicate: receipt.duplicate, bytes: first.deposit.length };
    }
    const nonce = mailbox.challenge();
    await channel.send({ t: 'challenge', nonce });
    const proof = await expectMsg(channel, 'prove');
    mailbox.authorize(first.to, self, nonce, proof.sig);
    const { deposits, more } = mailbox.collect(first.to);
    for (const deposit of deposits) await channel.send({ t: 'mail', deposit: deposit.bytes });
    await channel.send({ t: 'end', more });
    const ack = await expectMsg(channel, 'ack');
    const served = new Set(deposits.map((d) => d.id));
    const acked = mailbox.ack(first.to, ack.ids.filter((id) => served.has(id)));
    await channel.send({ t: 'acked', count: acked });
    return { kind: 'fetch', to: first.to, served: deposits.length, acked };
  });
}

/** The sender side: leaves signed deposit bytes at a mailbox; resolves with its receipt or throws its refusal. */
export async function runDeposit(channel: MsgChannel, deposit: Uint8Array): Promise<AcceptedMessage> {
  await channel.send({ t: 'deposit', deposit });
  return expectMsg(channel, 'accepted');
}

/** Gives one piece of evidence to a replica; resolves with whether it was new there, or throws its refusal. */
export async function runGiveEvidence(channel: MsgChannel, evidence: Uint8Array): Promise<boolean> {
  await channel.send({ t: 'evidence', evidence });
  return (await expectMsg(channel, 'kept')).added;
}

/** Asks a replica for the evidence it holds about `did` (unchecked bytes: the caller checks every piece). */
export async function runAskEvidence(channel: MsgChannel, did: Did): Promise<Uint8Array[]> {
  await channel.send({ t: 'about', did });
  const out: Uint8Array[] = [];
  for (;;) {
    const message = await expectMsg(channel, 'evidence', 'end');
    if (message.t === 'end') return out;
    if (out.length >= MAX_EVIDENCE_SERVED) throw new MessageError('malformed', `a replica serves at most ${MAX_EVIDENCE_SERVED} pieces of evidence per session`);
    out.push(message.evidence);
  }
}

export interface FetchResult {
  /** The deposits that verified (signed by their sender, addressed to me), in the order served. */
  deposits: VerifiedDeposit[];
  /** Deposits served that did not verify (neither taken nor acknowledged). */
  rejected: number;
  /** How many the mailbox dropped on the acknowledgement. */
  acked: number;
  /** The mailbox holds more: fetch again. */
  more: boolean;
}

/**
 * The recipient side at the mailbox `peer` (its peer id, as dialled): proves it holds `me`'s key, takes the
 * mail, verifies each deposit, hands those that verify to `take` and, once `take` returned, acknowledges
 * them so the mailbox drops them. Nothing is acknowledged when `take` throws.
 */
export async function runFetch(
  channel: MsgChannel,
  crypto: Crypto,
  me: SigningIdentity,
  peer: string,
  options: { maxMessageBytes?: number; take?: (deposits: VerifiedDeposit[]) => Promise<void> | void } = {},
): Promise<FetchResult> {
  return reportingErrors(channel, async () => {
    await channel.send({ t: 'fetch', to: me.did });
    const { nonce } = await expectMsg(channel, 'challenge');
    await channel.send({ t: 'prove', sig: signFetchProof(crypto, me, peer, nonce) });
    const deposits: VerifiedDeposit[] = [];
    const seen = new Set<string>();
    let rejected = 0;
    let served = 0;
    for (;;) {
      const message = await expectMsg(channel, 'mail', 'end');
      if (message.t === 'end') {
        await options.take?.(deposits);
        await channel.send({ t: 'ack', ids: deposits.map((d) => d.id) });
        const { count } = await expectMsg(channel, 'acked');
        return { deposits, rejected, acked: count, more: message.more };
      }
      if (++served > MAX_BATCH) throw new MessageError('malformed', `a mailbox serves at most ${MAX_BATCH} deposits per fetch`);
      try {
        const verified = verifyDeposit(crypto, message.deposit, options.maxMessageBytes);
        if (verified.deposit.to !== me.did) throw new MessageError('malformed', `a deposit for ${verified.deposit.to}, not me`);
        if (seen.has(verified.id)) continue;
        seen.add(verified.id);
        deposits.push(verified);
      } catch (error) {
        if (!(error instanceof MessageError)) throw error;
        rejected++;
      }
    }
  });
}
