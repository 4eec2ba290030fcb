// The verify pool: a SignatureBatchVerifier that spreads a batch of Ed25519 checks over worker threads
// (verify-worker.ts), one contiguous share each, so chain verification uses every core. Workers start on
// the first batch big enough to be worth it (smaller ones are checked on the calling thread) and hold the
// process open only while they have work. The answers are the port's own (the same Ed25519 in each worker).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SignatureWorkerError } from '../../core/crypto/errors.ts';
import type { Ed25519, SignatureBatchVerifier, SignatureCheck } from '../../core/crypto/port.ts';
import { siblingModule } from '../fs/sibling-module.ts';
import { packable, packChecks } from './signature-batch.ts';
import type { VerifyAnswer, VerifyRequest } from './verify-worker.ts';

export interface VerifyPoolOptions {
  /** Worker threads; default one per core. 0 checks everything on the calling thread. */
  size?: number;
  /** Batches smaller than this are checked on the calling thread (a worker round trip costs more). */
  minParallel?: number;
}

interface Pending {
  resolve(verdicts: Uint8Array): void;
  reject(error: Error): void;
}

class SignatureWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  dead = false;

  constructor() {
    this.worker = new Worker(siblingModule(import.meta.url, 'verify-worker'));
    this.worker.unref();
    this.worker.on('message', ({ id, verdicts }: VerifyAnswer) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) this.worker.unref();
      waiting?.resolve(verdicts);
    });
    this.worker.on('error', (error) => this.fail(new SignatureWorkerError(`a signature worker failed: ${error.message}`, null)));
    this.worker.on('exit', (code) => this.fail(new SignatureWorkerError(`a signature worker exited (code ${code})`, code)));
  }

  verify(packed: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, packed } satisfies VerifyRequest, [packed.buffer]);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(error: SignatureWorkerError): void {
    this.dead = true;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

export class VerifyPool implements SignatureBatchVerifier {
  readonly size: number;
  private readonly minParallel: number;
  private readonly ed25519: Ed25519;
  private workers: SignatureWorker[] = [];

  constructor(ed25519: Ed25519, options: VerifyPoolOptions = {}) {
    this.ed25519 = ed25519;
    this.size = Math.max(0, Math.floor(options.size ?? availableParallelism()));
    this.minParallel = Math.max(2, options.minParallel ?? 16);
  }

  async verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    if (this.size === 0 || checks.length < this.minParallel || !checks.every(packable)) {
      return checks.map((c) => this.ed25519.verify(c.publicKey, c.message, c.signature));
    }
    const workers = this.ready();
    const share = Math.ceil(checks.length / workers.length);
    const parts = workers.map((worker, i) => worker.verify(packChecks(checks.slice(i * share, (i + 1) * share))));
    const out: boolean[] = [];
    for (const verdicts of await Promise.all(parts)) for (const verdict of verdicts) out.push(verdict === 1);
    return out;
  }

  /** Stops every worker; a later batch starts new ones. */
  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.close()));
  }

  private ready(): SignatureWorker[] {
    this.workers = this.workers.filter((w) => !w.dead);
    while (this.workers.length < this.size) this.workers.push(new SignatureWorker());
    return this.workers;
  }
}
