// A mailbox: what a node keeps for identities that are offline (DESIGN §5). It takes signed deposits under
// its limits (largest message, TTL, per-recipient, per-sender and total quotas), refuses forgeries, never
// serves what expired, keeps each deposit once (by id), and hands a recipient its mail only after the
// recipient proved it holds the did's key (deposit.ts). Storage is a MailboxStore port.
//
// Limitation: a did:key costs nothing to make, so the per-sender quota holds back one careless or flooding
// identity, not someone who makes many; the per-recipient and total quotas bound what any flood can take.
import type { Crypto } from '../crypto/port.ts';
import type { Did } from '../identity/did.ts';
import type { Clock, MailboxStore, MailboxUsage, StoredDeposit } from '../ports.ts';
import { FETCH_NONCE_BYTES, verifyDeposit, verifyFetchProof } from './deposit.ts';
import { MessageError } from './errors.ts';
import { MAX_BATCH } from './msg-messages.ts';
import { MAX_DEPOSIT_BYTES } from '../../../src-shared/rules/limits.ts';

const MIB = 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;

/** The TTL a sender asks for unless told otherwise. */
export const DEFAULT_TTL_MS = 7 * DAY;

export interface MailboxLimits {
  /** Largest deposit (its signed bytes, envelope included). */
  maxMessageBytes: number;
  /** Live deposits kept for one recipient, and their bytes. */
  recipientCount: number;
  recipientBytes: number;
  /** Live deposits kept from one sender (for all recipients together), and their bytes. */
  senderCount: number;
  senderBytes: number;
  /** Bytes kept for everyone together. */
  totalBytes: number;
  /** Longest a deposit is kept, whatever TTL its sender asked for. */
  maxTtlMs: number;
  /** How far in the future a sender's timestamp may be. */
  maxClockSkewMs: number;
}

export const DEFAULT_MAILBOX_LIMITS: MailboxLimits = {
  maxMessageBytes: MAX_DEPOSIT_BYTES,
  recipientCount: 1000,
  recipientBytes: 16 * MIB,
  senderCount: 200,
  senderBytes: 4 * MIB,
  totalBytes: 256 * MIB,
  maxTtlMs: 30 * DAY,
  maxClockSkewMs: 5 * 60 * 1000,
};

/** What a mailbox answers a deposit with. */
export interface DepositReceipt {
  id: string;
  to: Did;
  from: Did;
  /** When the mailbox drops it (ms). */
  expires: number;
  /** The mailbox held this deposit already (kept, or delivered and acknowledged). */
  duplicate: boolean;
}

export interface MailboxDeps {
  crypto: Crypto;
  store: MailboxStore;
  clock: Clock;
  limits?: Partial<MailboxLimits>;
}

export class Mailbox {
  private readonly crypto: Crypto;
  private readonly clock: Clock;
  readonly store: MailboxStore;
  private current: MailboxLimits;

  constructor(deps: MailboxDeps) {
    this.crypto = deps.crypto;
    this.store = deps.store;
    this.clock = deps.clock;
    this.current = { ...DEFAULT_MAILBOX_LIMITS, ...deps.limits };
  }

  get limits(): MailboxLimits {
    return this.current;
  }

  /** Changes limits from now on; what is held already stays until it is fetched or expires. */
  setLimits(limits: Partial<MailboxLimits>): void {
    this.current = { ...this.current, ...limits };
  }

  /**
   * Takes a deposit, or throws a MessageError: `oversized`, `malformed` (also a timestamp too far ahead),
   * `forged`, `expired`, `over-quota`. A deposit held already is answered again, not stored twice.
   */
  deposit(bytes: Uint8Array): DepositReceipt {
    const limits = this.current;
    const { id, deposit } = verifyDeposit(this.crypto, bytes, limits.maxMessageBytes);
    const now = this.clock.now();
    this.store.expire(now);
    if (deposit.ts > now + limits.maxClockSkewMs) throw new MessageError('malformed', `the deposit is dated ${deposit.ts - now} ms in the future`);
    if (deposit.ts + deposit.ttl <= now) throw new MessageError('expired', `the deposit expired ${now - deposit.ts - deposit.ttl} ms ago`);
    const expires = Math.min(deposit.ts + deposit.ttl, now + limits.maxTtlMs);
    const receipt = { id, to: deposit.to, from: deposit.from, expires };
    if (this.store.has(id)) return { ...receipt, duplicate: true };
    const size = bytes.length;
    const over = (usage: MailboxUsage, count: number, max: number, who: string): void => {
      if (usage.count + 1 > count || usage.bytes + size > max) {
        throw new MessageError('over-quota', `${who} has ${usage.count} messages (${usage.bytes} bytes) here; the quota is ${count} messages, ${max} bytes`);
      }
    };
    over(this.store.usage(), Number.POSITIVE_INFINITY, limits.totalBytes, 'this mailbox');
    over(this.store.usage({ to: deposit.to }), limits.recipientCount, limits.recipientBytes, `the recipient ${deposit.to}`);
    over(this.store.usage({ from: deposit.from }), limits.senderCount, limits.senderBytes, `the sender ${deposit.from}`);
    this.store.put({ id, to: deposit.to, from: deposit.from, ts: deposit.ts, expiresAt: expires, receivedAt: now, bytes });
    return { ...receipt, duplicate: false };
  }

  /** A fresh challenge for a fetch. */
  challenge(): Uint8Array {
    return this.crypto.randomBytes(FETCH_NONCE_BYTES);
  }

  /** Throws MessageError `not-yours` unless `sig` is `to`'s answer to `nonce` at this mailbox (`self`, its peer id). */
  authorize(to: Did, self: string, nonce: Uint8Array, sig: Uint8Array): void {
    verifyFetchProof(this.crypto, to, self, nonce, sig);
  }

  /** Live mail for `to`, oldest first, at most `limit`; `more` when more is waiting. Call only after `authorize`. */
  collect(to: Did, limit = MAX_BATCH): { deposits: StoredDeposit[]; more: boolean } {
    const now = this.clock.now();
    this.store.expire(now);
    const deposits = this.store.list(to, now, limit + 1);
    return { deposits: deposits.slice(0, limit), more: deposits.length > limit };
  }

  /** Drops the acknowledged deposits of `to` (keeping their ids until they expire); returns how many. Call only after `authorize`. */
  ack(to: Did, ids: readonly string[]): number {
    return this.store.ack(to, ids);
  }

  /** What is held now, after dropping what expired. */
  usage(filter?: { to?: Did; from?: Did }): MailboxUsage {
    this.store.expire(this.clock.now());
    return this.store.usage(filter);
  }
}
