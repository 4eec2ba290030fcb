// The evidence port: what a home keeps of the honor evidence it verified (its own detections, imports, what
// replicas were sent), by accused did: the bytes (to serve and re-check elsewhere) and what they established.
import type { Did } from '../identity/did.ts';
import type { Finding } from './evidence.ts';

export interface StoredEvidence {
  finding: Finding;
  /** The evidence's canonical bytes (`defaust/evidence`). */
  bytes: Uint8Array;
  receivedAt: number;
}

export interface EvidenceStore {
  /** Keeps checked evidence against each did its finding accuses; false when it was held already (nothing changes). */
  add(finding: Finding, bytes: Uint8Array, receivedAt: number): boolean;
  /** The evidence naming `did`, oldest first. */
  about(did: Did): StoredEvidence[];
}
