// Epoch keys with built-in expiry (DESIGN §4). Per section and key generation there is a forward hash
// chain F[i+1] = H_F(F[i]) and a backward one B[i-1] = H_B(B[i]); the key of epoch i is HKDF(F[i] ‖ B[i]).
// Whoever holds F[a] and B[b] can compute the keys of epochs a..b and of no other epoch.
import { concatBytes, utf8 } from '../bytes.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';

const TAG_F = utf8('defaust/epoch/F');
const TAG_B = utf8('defaust/epoch/B');
const KEY_SALT = utf8('defaust/epoch-key/v1');

/** The time grid of a key generation. */
export interface EpochGrid {
  /** Start of epoch 0, ms since 1970. */
  start: number;
  epochMs: number;
  /** Number of epochs the hash chains cover. */
  length: number;
}

export class EpochOutOfRangeError extends DefaustError {
  override name = 'EpochOutOfRangeError';
  constructor(epoch: number, from: number, to: number) {
    super('epoch-out-of-range', `epoch ${epoch} is outside ${from}..${to}`);
  }
}

/** The epoch a time falls in, or null when it lies outside the grid. */
export function epochOf(grid: EpochGrid, ts: number): number | null {
  if (ts < grid.start) return null;
  const epoch = Math.floor((ts - grid.start) / grid.epochMs);
  return epoch < grid.length ? epoch : null;
}

export const stepForward = (crypto: Crypto, value: Uint8Array): Uint8Array => crypto.sha256(concatBytes(TAG_F, value));
export const stepBackward = (crypto: Crypto, value: Uint8Array): Uint8Array => crypto.sha256(concatBytes(TAG_B, value));

export function epochKey(crypto: Crypto, forward: Uint8Array, backward: Uint8Array, epoch: number): Uint8Array {
  return crypto.hkdf(concatBytes(forward, backward), KEY_SALT, `epoch ${epoch}`, 32);
}

/**
 * The key material of epochs `from..to`: F[from] and B[to]. The owner's chain is the full range 0..length-1
 * (F[0] and B[length-1] are the generation's seeds); a grant carries a sub-range.
 */
export class EpochKeyRange {
  private readonly forward: Uint8Array[] = [];
  /** backward[j] = B[to - j] */
  private readonly backward: Uint8Array[] = [];
  private readonly keys = new Map<number, Uint8Array>();

  private readonly crypto: Crypto;
  readonly from: number;
  readonly to: number;

  constructor(crypto: Crypto, from: number, to: number, forwardAtFrom: Uint8Array, backwardAtTo: Uint8Array) {
    this.crypto = crypto;
    this.from = from;
    this.to = to;
    if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 0 && to >= from)) throw new RangeError('bad epoch range');
    this.forward.push(forwardAtFrom);
    this.backward.push(backwardAtTo);
  }

  covers(epoch: number): boolean {
    return epoch >= this.from && epoch <= this.to;
  }

  /** F[epoch]: hashes forward from F[from]. */
  forwardAt(epoch: number): Uint8Array {
    this.check(epoch);
    while (this.forward.length <= epoch - this.from) {
      this.forward.push(stepForward(this.crypto, this.forward[this.forward.length - 1]!));
    }
    return this.forward[epoch - this.from]!;
  }

  /** B[epoch]: hashes backward from B[to], caching every value on the way down. */
  backwardAt(epoch: number): Uint8Array {
    this.check(epoch);
    while (this.backward.length <= this.to - epoch) {
      this.backward.push(stepBackward(this.crypto, this.backward[this.backward.length - 1]!));
    }
    return this.backward[this.to - epoch]!;
  }

  keyFor(epoch: number): Uint8Array {
    let key = this.keys.get(epoch);
    if (key === undefined) {
      key = epochKey(this.crypto, this.forwardAt(epoch), this.backwardAt(epoch), epoch);
      this.keys.set(epoch, key);
    }
    return key;
  }

  private check(epoch: number): void {
    if (!this.covers(epoch)) throw new EpochOutOfRangeError(epoch, this.from, this.to);
  }
}
