// The verify pool: a SignatureBatchVerifier that spreads Ed25519 checks over worker threads
// (verify-worker.ts) so chain verification uses every core. A batch is cut into small chunks on one queue
// shared by every batch in flight; each worker holds a few chunks at a time and takes the next as one comes
// back, so a worker that gets less of its core (the calling thread decodes the next page beside it) takes
// fewer, and none idles while another still has a long share. Workers start on the first batch big enough
// to be worth it (smaller ones are checked on the calling thread) and hold the process open only while they
// have work. The answers are the port's own (the same Ed25519 in each worker).
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

interface Chunk extends Pending {
  packed: Uint8Array<ArrayBuffer>;
}

/** Checks per chunk: about 2.5 ms of work, against a round trip of some tens of microseconds. */
const CHUNK = 32;
/** Chunks a worker holds at once: enough to stay busy while the calling thread runs a page's rules. */
const HELD = 3;

class SignatureWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  dead = false;

  get held(): number {
    return this.pending.size;
  }

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
  private readonly queue: Chunk[] = [];

  constructor(ed25519: Ed25519, options: VerifyPoolOptions = {}) {
    this.ed25519 = ed25519;
    this.size = Math.max(0, Math.floor(options.size ?? availableParallelism()));
    this.minParallel = Math.max(2, options.minParallel ?? 16);
  }

  async verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    if (this.size === 0 || checks.length < this.minParallel || !checks.every(packable)) {
      return checks.map((c) => this.ed25519.verify(c.publicKey, c.message, c.signature));
    }
    this.ready();
    const parts: Promise<Uint8Array>[] = [];
    for (let at = 0; at < checks.length; at += CHUNK) {
      const packed = packChecks(checks.slice(at, at + CHUNK));
      parts.push(new Promise((resolve, reject) => this.queue.push({ packed, resolve, reject })));
    }
    this.dispatch();
    const out: boolean[] = [];
    for (const verdicts of await Promise.all(parts)) for (const verdict of verdicts) out.push(verdict === 1);
    return out;
  }

  /** Stops every worker, failing the checks not yet answered; a later batch starts new ones. */
  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    const closed = new SignatureWorkerError('the verify pool was closed', null);
    for (const chunk of this.queue.splice(0)) chunk.reject(closed);
    await Promise.all(workers.map((w) => w.close()));
  }

  private ready(): void {
    this.workers = this.workers.filter((w) => !w.dead);
    while (this.workers.length < this.size) this.workers.push(new SignatureWorker());
  }

  /** Hands queued chunks to the least busy live workers, up to HELD each. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker: SignatureWorker | null = null;
      for (const w of this.workers) if (!w.dead && w.held < HELD && (worker === null || w.held < worker.held)) worker = w;
      if (worker === null) {
        // Every worker died with chunks still queued: they fail as the ones in flight did.
        if (this.workers.every((w) => w.dead)) for (const chunk of this.queue.splice(0)) chunk.reject(new SignatureWorkerError('every signature worker failed', null));
        return;
      }
      const chunk = this.queue.shift()!;
      worker.verify(chunk.packed).then((verdicts) => {
        chunk.resolve(verdicts);
        this.dispatch();
      }, (error: Error) => {
        chunk.reject(error);
        this.dispatch();
      });
    }
  }
}
