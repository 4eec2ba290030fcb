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
  latestSnapshot(chain: Did): StoredSnapshot | undefined;
  putSnapshot(chain: Did, snapshot: StoredSnapshot): void;
  close(): void;
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
}

/** An append-only log of the reads a registered client served or refused. */
export interface AuditStore {
  append(entry: AuditEntry): void;
  /** Entries about `owner`'s profile, oldest first. */
  list(owner?: Did): AuditEntry[];
}
