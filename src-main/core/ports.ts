// The ports through which the domain reaches storage and time. Adapters implement them: SQLite for real
// use, in-memory twins for tests; both pass the same compliance suite (test/store-compliance.ts).
import type { Did } from './identity/did.ts';

/** One stored header with the columns that index it. `cid` is the CID string of `bytes`. */
export interface StoredHeader {
  seq: number;
  cid: string;
  kind: string;
  ts: number;
  author: string;
  bytes: Uint8Array;
}

export interface StoredBlob {
  cid: string;
  bytes: Uint8Array;
}

export interface StoredSnapshot {
  seq: number;
  /** CID of the header at `seq` when the snapshot was taken. */
  cid: string;
  /** The snapshot, sealed with the local storage key. */
  sealed: Uint8Array;
}

/** A block to append: its header and the bodies it references. */
export interface BlockWrite {
  header: StoredHeader;
  bodies: StoredBlob[];
}

/** The store refused a write another writer got to first: a seq already taken, or its write lock held too long. */
export class StoreConflictError extends Error {
  override name = 'StoreConflictError';
  readonly code = 'store-conflict';
}

/**
 * Durable storage of chains, bodies, media blobs and snapshots, keyed by identity.
 * `append` is atomic: all the blocks and blobs it is given are stored, or none; once it returns they survive
 * a crash. It refuses (StoreConflictError) a block whose seq is not the next one of its chain.
 */
export interface ChainStore {
  chains(): Did[];
  head(chain: Did): StoredHeader | undefined;
  append(chain: Did, blocks: readonly BlockWrite[], blobs?: readonly StoredBlob[]): void;
  /**
   * Runs `work` (its reads and at most one `append`) holding the store's write lock, so no other writer —
   * another process on the same file included — appends between what it read and what it appends. Refuses
   * (StoreConflictError) when the lock is not had in time; nothing of `work` is stored when it throws.
   */
  transaction<T>(work: () => T): T;
  /**
   * Drops the blocks with seq ≥ `from`: their headers, the bodies stored with them and the snapshots taken at
   * or after `from` (media blobs stay: they are content-addressed). Only for a device that takes another
   * device's history and writes its own unpublished blocks after it again (ChainWriter.rebaseOnto), inside
   * the transaction that appends them.
   */
  truncate(chain: Did, from: number): void;
  header(chain: Did, seq: number): StoredHeader | undefined;
  /** Headers with seq in [from, to), in seq order. */
  headers(chain: Did, from?: number, to?: number): Iterable<StoredHeader>;
  /** Headers of the given kinds, in seq order. */
  headersOfKind(chain: Did, kinds: readonly string[]): StoredHeader[];
  body(cid: string): Uint8Array | undefined;
  /** The bodies referenced by the blocks with seq in [from, to), by CID. */
  bodiesOf(chain: Did, from: number, to: number): Map<string, Uint8Array>;
  putBlobs(chain: Did, blobs: readonly StoredBlob[]): void;
  blob(cid: string): Uint8Array | undefined;
  blobCids(chain: Did): string[];
  /** Bytes held for `chain`: its headers, the bodies stored under it and its blobs; kept as they are written, not summed on each call. */
  storedBytes(chain: Did): number;
  latestSnapshot(chain: Did): StoredSnapshot | undefined;
  putSnapshot(chain: Did, snapshot: StoredSnapshot): void;
  close(): void;
}

/** What each storage tier holds of one chain: headers (always hot), hot bodies, and bodies in archive segments. */
export interface TierSizes {
  blocks: number;
  headerBytes: number;
  hot: { bodies: number; bytes: number };
  /** `through`: the bodies of blocks 0..through−1 are in segments (one prefix of the chain). */
  archive: { segments: number; bodies: number; bytes: number; through: number };
}

/**
 * The archive tier of a ChainStore: old bodies moved into content-addressed segment files, still read
 * through `body` and `bodiesOf`. Headers never move.
 */
export interface ArchiveTiers {
  tierSizes(chain: Did): TierSizes;
  /** The seq below which `chain`'s bodies are archived (0: none). */
  archivedThrough(chain: Did): number;
  /** How many hot bodies blocks from..to−1 of `chain` have. */
  hotBodiesIn(chain: Did, from: number, to: number): number;
  /** How many of `chain`'s blocks were written before `ts` (ms): blocks 0..n−1. */
  blocksBefore(chain: Did, ts: number): number;
  /** Moves the hot bodies of blocks below `through` into segments; what moved. */
  archiveBodies(chain: Did, through: number, at: number): { segments: number; bodies: number; bytes: number };
}

export interface Clock {
  /** Milliseconds since 1970. */
  now(): number;
}

export type RequestStatus = 'pending' | 'approved' | 'rejected';

/** A change request as received: the sealed envelope (no plaintext at rest) and what indexes it. */
export interface StoredRequest {
  id: string;
  sender: Did;
  section: string;
  receivedAt: number;
  status: RequestStatus;
  envelope: Uint8Array;
}

/** The owner's inbox of change requests. `put` refuses (StoreConflictError) an id it already holds. */
export interface RequestStore {
  put(chain: Did, request: StoredRequest): void;
  get(chain: Did, id: string): StoredRequest | undefined;
  list(chain: Did, status?: RequestStatus): StoredRequest[];
  setStatus(chain: Did, id: string, status: RequestStatus): void;
}

/** One request a registered client answered or refused, as its owner sees it in the audit log. */
export interface AuditEntry {
  owner: Did;
  requester: Did;
  section: string;
  ts: number;
  served: boolean;
  reason: string;
  /** The registered client that served or refused it and signed the entry; absent on unsigned entries. */
  client?: Did;
}

/** A signed audit entry as it is kept (core/registry/audit-record.ts): its id, what it says, its exact bytes. */
export interface SignedAudit {
  id: string;
  entry: AuditEntry & { client: Did };
  bytes: Uint8Array;
}

/**
 * An append-only log of the reads a registered client served or refused: on the client, what it did (to be
 * sent to each owner); on the owner, what its clients reported.
 */
export interface AuditStore {
  /** Keeps an unsigned entry (older clients, tests). */
  append(entry: AuditEntry): void;
  /** Keeps a signed entry; false when its id is held already. `sent`: no need to send it to its owner. */
  put(signed: SignedAudit, sent: boolean): boolean;
  /** Entries about `owner`'s profile, oldest first (by their time; entries from clients arrive in any order). */
  list(owner?: Did): AuditEntry[];
  /** Signed entries not yet sent to their owner, oldest first, at most `limit`. */
  unsent(limit: number): SignedAudit[];
  /** These entries reached their owner's mailboxes. */
  markSent(ids: readonly string[]): void;
}

/** One deposit a mailbox holds for a recipient (core/net/deposit.ts), with what indexes it. */
export interface StoredDeposit {
  /** The deposit's id: the CID of its signed part. Unique across the store. */
  id: string;
  to: Did;
  from: Did;
  /** The sender's timestamp (ms). */
  ts: number;
  /** When the mailbox drops it (ms): the sender's `ts + ttl`, capped by the mailbox's longest TTL. */
  expiresAt: number;
  /** When the mailbox took it (ms); mail is served in this order. */
  receivedAt: number;
  /** The signed deposit exactly as received (canonical DAG-CBOR); its length is what quotas count. */
  bytes: Uint8Array;
}

/** Deposits held and their bytes. */
export interface MailboxUsage {
  count: number;
  bytes: number;
}

/**
 * The deposits a node keeps as a mailbox for others (`/defaust/msg/1.0.0`). A deposit is live until its
 * recipient acknowledges it or it expires. An acknowledged deposit leaves a tombstone (its id, recipient and
 * expiry, no bytes) until it expires, so the same deposit sent again is a duplicate rather than new mail.
 * Nothing here checks signatures or quotas: the Mailbox (core/net/mailbox.ts) does, before `put`.
 */
export interface MailboxStore {
  /** True when a deposit with this id is held, live or acknowledged. */
  has(id: string): boolean;
  /** Keeps a deposit; false (and nothing changes) when its id is held already, live or acknowledged. */
  put(deposit: StoredDeposit): boolean;
  /** Live deposits for `to` not expired at `now`, oldest received first (then by id), at most `limit`. */
  list(to: Did, now: number, limit: number): StoredDeposit[];
  /** Drops the bytes of these live deposits for `to`, keeping tombstones; returns how many it dropped. Ids of others are ignored. */
  ack(to: Did, ids: readonly string[]): number;
  /** Forgets every deposit and tombstone that expired at or before `now`; returns how many. */
  expire(now: number): number;
  /** Live deposits (tombstones not counted): all of them, or those for `to`, or those from `from`. */
  usage(filter?: { to?: Did; from?: Did }): MailboxUsage;
}

/** What became of a received message: waiting for the person, taken in, refused, or answered. */
export type ReceivedMailState = 'waiting' | 'taken' | 'refused' | 'answered';

/** A message this identity fetched from its mailboxes: the envelope as sealed, never its plaintext. */
export interface ReceivedMail {
  /** The deposit id (unique). */
  id: string;
  to: Did;
  from: Did;
  /** The envelope's format (`defaust/request`, `defaust/attest-request`, …), readable without opening it. */
  format: string;
  /** The sender's time, and when it was fetched here (ms). */
  ts: number;
  receivedAt: number;
  envelope: Uint8Array;
  state: ReceivedMailState;
  /** What happened, in words (a refusal's reason). */
  note: string;
}

export interface ReceivedMailFilter {
  format?: string;
  state?: ReceivedMailState;
}

/** Mail received, kept so each message is handled once and the person can see what arrived. */
export interface ReceivedMailStore {
  /** Keeps a message; false (nothing changes) when its id is held already. */
  put(mail: ReceivedMail): boolean;
  get(to: Did, id: string): ReceivedMail | undefined;
  /** `to`'s mail, oldest first. */
  list(to: Did, filter?: ReceivedMailFilter): ReceivedMail[];
  /** Records what became of a message; false when `to` holds no such id. */
  mark(to: Did, id: string, state: ReceivedMailState, note: string): boolean;
}

/** One act of this identity as a witness: a request it signed (`yes`) or declined (`no`). */
export interface WitnessLogEntry {
  witness: string;
  claim: string;
  holder: string;
  title: string;
  featType: string;
  verdict: 'yes' | 'no';
  ts: number;
}

/** What this identity signed or declined as a witness, newest first. Append-only: a memory for the person, not evidence. */
export interface WitnessLog {
  append(entry: WitnessLogEntry): void;
  /** `witness`'s entries, newest first (at most `limit`). */
  list(witness: string, limit?: number): WitnessLogEntry[];
}

/** Where a nonce this verifier issued stands: waiting for its proof, or spent by one. */
export type NonceState = 'issued' | 'used';

/** A challenge this verifier issued (a field element, in decimal) and until when a proof may answer it. */
export interface IssuedNonce {
  nonce: string;
  issuedAt: number;
  expires: number;
  state: NonceState;
  /** When a proof used it (null while issued). */
  usedAt: number | null;
}

/** What `use` found: the nonce is now used, or why it could not be. */
export type NonceUse = 'used' | 'unknown' | 'expired' | 'already-used';

/** The verifier's memory of the nonces it issued, so that each proof is taken once. */
export interface NonceStore {
  /** Remembers a freshly issued nonce; false (nothing changes) when it is held already. */
  issue(nonce: string, issuedAt: number, expires: number): boolean;
  get(nonce: string): IssuedNonce | undefined;
  /** Marks `nonce` used at `now` when it is issued and `now` is before its expiry, in one step (two callers cannot both use it). */
  use(nonce: string, now: number): NonceUse;
}

/** The last owner-signed head record of a chain this home hosts (its node republishes it; DESIGN §5). */
export interface HeldHeadRecord {
  id: Did;
  seq: number;
  record: Uint8Array;
}

/** Head records kept by the replica side of a node, one per hosted chain, the highest seq winning. */
export interface HeldRecordStore {
  /** Keeps `record` unless a record of a higher seq is held for its chain already; true when it was kept. */
  keep(record: HeldHeadRecord, at: number): boolean;
  /** The held record of `id`, or undefined. */
  get(id: Did): HeldHeadRecord | undefined;
  /** Every held record. */
  all(): HeldHeadRecord[];
}
