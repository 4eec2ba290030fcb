// The custody port: the shares this identity holds for others, sealed as they came, with what the owner's
// signed bytes say about them (whose, which set, k of n) and when they arrived, so a Custody screen can list
// them without opening anything.
import type { Did } from '../identity/did.ts';

/** One share held for `owner`; `envelope` is the sealed bytes as received (only the custodian's key opens them). */
export interface HeldShare {
  holder: Did;
  owner: Did;
  set: string;
  k: number;
  n: number;
  index: number;
  /** When the owner made the set (its signed word) and when it reached this home (this clock). */
  madeAt: number;
  receivedAt: number;
  envelope: Uint8Array;
}

export interface CustodyStore {
  /** Keeps a share; false when this holder keeps it already (same owner and set). */
  put(share: HeldShare): boolean;
  /** The shares `holder` keeps, newest first. */
  list(holder: Did): HeldShare[];
}
