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
  constructor(code: 'no-head' | 'no-chain' | 'no-provider' | 'head-mismatch', message: string) {
    super(`replication/${code}`, message);
  }
}
