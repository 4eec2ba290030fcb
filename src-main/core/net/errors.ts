// Network failures, each with a stable code: head records that fail validation (`head/<rule>`), sync
// sessions that a peer refuses or breaks (`sync/<reason>`), and replication that cannot reach its goal.
import { DefaustError } from '../errors.ts';

/** The rules a head record must keep; a failure carries one as `head/<rule>`. */
export type HeadRecordRule = 'namespace' | 'size' | 'canonical' | 'schema' | 'key' | 'author' | 'signature' | 'stale';

export class HeadRecordError extends DefaustError {
  override name = 'HeadRecordError';
  readonly rule: HeadRecordRule;
  constructor(rule: HeadRecordRule, message: string) {
    super(`head/${rule}`, message);
    this.rule = rule;
  }
}

/**
 * Why a sync session failed. The first group is what a peer answers with an `error` message (it crosses the
 * wire as this code); `protocol`, `timeout`, `closed` and `unreachable` describe the transport.
 */
export const SYNC_REASONS = [
  'bad-header', 'bad-body', 'bad-blob', 'equivocation', 'over-quota', 'busy', 'not-found', 'stale',
  'frame-too-large', 'protocol', 'timeout', 'closed', 'unreachable', 'internal',
] as const;
export type SyncReason = (typeof SYNC_REASONS)[number];

export class SyncError extends DefaustError {
  override name = 'SyncError';
  readonly reason: SyncReason;
  /** For `bad-header`: the chain rule that failed and the seq where it failed. */
  readonly rule: string | null;
  readonly seq: number | null;
  /** True when the other side sent this error (it refused); false when this side detected it. */
  readonly remote: boolean;
  constructor(reason: SyncReason, message: string, details: { rule?: string | null; seq?: number | null; remote?: boolean } = {}) {
    super(`sync/${reason}`, message);
    this.reason = reason;
    this.rule = details.rule ?? null;
    this.seq = details.seq ?? null;
    this.remote = details.remote ?? false;
  }
}

export class ReplicationError extends DefaustError {
  override name = 'ReplicationError';
  constructor(code: 'no-head' | 'no-chain' | 'no-provider' | 'head-mismatch' | 'leased', message: string) {
    super(`replication/${code}`, message);
  }
}

/**
 * Why a mailbox refused a deposit or a fetch (`/defaust/msg/1.0.0`), or why a message session failed. The
 * refusals cross the wire as this code: `forged` (the sender's signature does not verify), `expired` (past its
 * TTL), `oversized` (over the mailbox's largest message or frame), `over-quota` (the recipient's, the
 * sender's or the mailbox's total), `not-yours` (a fetch whose proof is not by the recipient's key),
 * `malformed` (not a canonical, well-formed message or deposit), `busy`; `timeout`, `closed`, `unreachable`
 * describe the transport and `internal` anything else.
 */
export const MSG_REASONS = [
  'forged', 'expired', 'oversized', 'over-quota', 'not-yours', 'malformed', 'busy', 'timeout', 'closed', 'unreachable', 'internal',
] as const;
export type MsgReason = (typeof MSG_REASONS)[number];

export class MessageError extends DefaustError {
  override name = 'MessageError';
  readonly reason: MsgReason;
  /** True when the other side sent this error (it refused); false when this side detected it. */
  readonly remote: boolean;
  constructor(reason: MsgReason, message: string, details: { remote?: boolean } = {}) {
    super(`msg/${reason}`, message);
    this.reason = reason;
    this.remote = details.remote ?? false;
  }
}

/** A transport failure of the shared frame reader (a SyncError) as the message protocol names it. */
export function asMessageError(error: unknown): MessageError {
  if (error instanceof MessageError) return error;
  if (error instanceof SyncError) {
    const reason: MsgReason = error.reason === 'frame-too-large' ? 'oversized'
      : error.reason === 'protocol' ? 'malformed'
        : error.reason === 'timeout' || error.reason === 'closed' || error.reason === 'unreachable' || error.reason === 'busy' ? error.reason
          : 'internal';
    return new MessageError(reason, error.message, { remote: error.remote });
  }
  return new MessageError('internal', error instanceof Error ? error.message : String(error));
}
