// Challenge–response for feat and attribute proofs: the verifier issues a random nonce (a field element), remembers it in
// its home with an expiry, and takes a proof only for a nonce it issued, before it expires, once. A verifier
// who keeps its own memory can still check statelessly by naming the nonce it expects (ProofExpectation.nonce).
import type { Crypto } from '../../core/crypto/port.ts';
import { DefaustError, InvalidInputError } from '../../core/errors.ts';
import { bytesToField } from '../../core/identity/keys.ts';
import type { Clock, NonceStore, NonceUse } from '../../core/ports.ts';

/** How long an issued nonce may be answered, unless the verifier says otherwise. */
export const DEFAULT_NONCE_TTL_MS = 24 * 60 * 60 * 1000;

/** A challenge issued: the nonce the holder proves against, and until when (ms) this verifier takes it. */
export interface NonceRequest {
  nonce: string;
  expires: number;
}

type Refusal = Exclude<NonceUse, 'used'>;

const CODES = { unknown: 'proof/nonce-unknown', expired: 'proof/nonce-expired', 'already-used': 'proof/nonce-used' } as const satisfies Record<Refusal, string>;

/** A proof answered a nonce this verifier did not issue, let expire, or already took a proof for. */
export class NonceRefusedError extends DefaustError {
  override name = 'NonceRefusedError';
  readonly nonce: string;
  readonly refusal: Refusal;
  /** When it expired (expired) or was used (already-used); absent for a nonce never issued here. */
  readonly at?: number;
  constructor(nonce: string, refusal: Refusal, at?: number) {
    const when = at === undefined ? '' : new Date(at).toISOString();
    super(CODES[refusal], {
      unknown: 'the proof answers a nonce this verifier did not issue',
      expired: `the proof answers a nonce that expired at ${when}`,
      'already-used': `the proof answers a nonce already used at ${when} (replay)`,
    }[refusal]);
    this.nonce = nonce;
    this.refusal = refusal;
    if (at !== undefined) this.at = at;
  }
}

/** The verifier's side: issues nonces and spends them as proofs arrive. */
export class NonceMemory {
  private readonly store: NonceStore;
  private readonly crypto: Crypto;
  private readonly clock: Clock;

  constructor(store: NonceStore, crypto: Crypto, clock: Clock) {
    this.store = store;
    this.crypto = crypto;
    this.clock = clock;
  }

  /** Issues a fresh random nonce (248 random bits: below the 254-bit field modulus) that expires `ttlMs` from now. */
  issue(ttlMs = DEFAULT_NONCE_TTL_MS): NonceRequest {
    if (!(Number.isSafeInteger(ttlMs) && ttlMs > 0)) throw new InvalidInputError('a nonce lives a whole number of milliseconds above 0');
    const now = this.clock.now();
    for (;;) {
      const nonce = bytesToField(this.crypto.randomBytes(31));
      if (this.store.issue(nonce.toString(), now, now + ttlMs)) return { nonce: nonce.toString(), expires: now + ttlMs };
    }
  }

  /** Spends `nonce` for one proof; a NonceRefusedError says why it cannot be. */
  use(nonce: bigint): void {
    const text = nonce.toString();
    const used = this.store.use(text, this.clock.now());
    if (used === 'used') return;
    const found = this.store.get(text);
    throw new NonceRefusedError(text, used, used === 'expired' ? found?.expires : used === 'already-used' ? (found?.usedAt ?? undefined) : undefined);
  }
}

/** A verdict that is valid only when it spends an issued nonce of the verifier's memory (checked last, so a bad proof spends none). */
export function spendNonce<T extends { valid: boolean }>(memory: NonceMemory, nonce: bigint, verified: T): T & { reason?: string; refused?: Refusal } {
  try {
    memory.use(nonce);
    return verified;
  } catch (error) {
    if (error instanceof NonceRefusedError) return { ...verified, valid: false, reason: error.message, refused: error.refusal };
    throw error;
  }
}
