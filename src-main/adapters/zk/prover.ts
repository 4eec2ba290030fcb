// The prover: proves and verifies Groth16 proofs in a worker thread (never on the UI or main thread),
// with progress events, over artifacts whose hashes were checked before loading. The process comes from a
// SpawnProverProcess (prover-process.ts): child_process under plain Node, utilityProcess under Electron.
import { DefaustError } from '../../core/errors.ts';
import type { CircuitInputs } from '../../core/zk/inputs.ts';
import { circuitsDir, loadCircuit, type CircuitName, type LoadedCircuit } from './artifacts.ts';
import { forkNodeProver, type ProverProcess, type SpawnProverProcess, type WorkerMessage, type WorkerRequest } from './prover-process.ts';

export class ProofError extends DefaustError {
  override name = 'ProofError';
  constructor(message: string) {
    super('zk/proof', message);
  }
}

/** A proof stopped by its caller (the worker process was killed; nothing was written). */
export class ProofCancelledError extends DefaustError {
  override name = 'ProofCancelledError';
  constructor() {
    super('zk/cancelled', 'the proof was cancelled');
  }
}

export interface Groth16Proof {
  proof: unknown;
  publicSignals: string[];
}

export type ProveStage = 'loading' | 'witness' | 'proving' | 'verifying' | 'done';
/** A stage as it begins, with the milliseconds since the call started. */
export type ProgressListener = (stage: ProveStage, elapsedMs: number) => void;

/** A worker request without its id (distributed over the union). */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

type Pending = { request: WorkerRequest; resolve(value: unknown): void; reject(error: Error): void; progress?: (stage: ProveStage) => void };

export class Prover {
  private worker: ProverProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly dir: string | undefined;
  private readonly spawn: SpawnProverProcess;

  /** `dir`: the circuits folder (default: DEFAUST_ZK_DIR or the checkout's); `spawn`: how a proving process starts (default: child_process.fork). */
  constructor(dir?: string, spawn: SpawnProverProcess = forkNodeProver()) {
    this.dir = dir;
    this.spawn = spawn;
  }

  circuit(name: CircuitName): LoadedCircuit {
    return loadCircuit(name, this.dir);
  }

  /**
   * Proves `inputs` for `name` in the proving process; a failed constraint (a false claim) rejects with
   * ProofError. Aborting `signal` kills that process at once and rejects with ProofCancelledError (other
   * callers' requests go to a fresh process).
   */
  async prove(name: CircuitName, inputs: CircuitInputs, progress?: ProgressListener, signal?: AbortSignal): Promise<Groth16Proof> {
    const tell = clock(progress);
    if (signal?.aborted) throw new ProofCancelledError();
    tell('loading');
    const circuit = this.circuit(name);
    try {
      const result = (await this.call({ op: 'prove', circuit: circuit.name, ...this.dirPart(), inputs }, tell, signal)) as Groth16Proof;
      tell('done');
      return result;
    } catch (error) {
      if (error instanceof ProofCancelledError) throw error;
      throw new ProofError(`no proof could be made: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /** Verifies with the circuit's verification key alone. Malformed proofs are invalid, never an exception. */
  async verify(name: CircuitName, proof: Groth16Proof, progress?: ProgressListener, signal?: AbortSignal): Promise<boolean> {
    const tell = clock(progress);
    if (signal?.aborted) throw new ProofCancelledError();
    const circuit = this.circuit(name);
    tell('verifying');
    try {
      const valid = (await this.call({ op: 'verify', circuit: circuit.name, ...this.dirPart(), publicSignals: proof.publicSignals, proof: proof.proof }, tell, signal)) === true;
      tell('done');
      return valid;
    } catch (error) {
      if (error instanceof ProofCancelledError) throw error;
      return false;
    }
  }

  /** Stops the worker unless another call still waits on it: each caller of a shared prover releases it when done. */
  async release(): Promise<void> {
    if (this.pending.size === 0) await this.close();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new ProofError('the prover was closed'));
    this.pending.clear();
    if (worker) {
      worker.kill();
      await worker.exited();
    }
  }

  /** The circuits folder as this process resolves it: sent with every request, so a worker bundle elsewhere never guesses from its own path. */
  private dirPart(): { dir: string } {
    return { dir: this.dir ?? circuitsDir() };
  }

  private call(body: RequestBody, progress: (stage: ProveStage) => void, signal?: AbortSignal): Promise<unknown> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const request = { ...body, id } as WorkerRequest;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.cancel(id);
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, { request, progress, resolve: (v) => (done(), resolve(v)), reject: (e) => (done(), reject(e)) });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.send(request);
    });
  }

  /** Kills the proving process under request `id` and rejects it; the other waiting requests are sent again to a new process. */
  private cancel(id: number): void {
    const cancelled = this.pending.get(id);
    if (cancelled === undefined) return;
    this.pending.delete(id);
    const worker = this.worker;
    this.worker = null;
    worker?.kill();
    cancelled.reject(new ProofCancelledError());
    if (this.pending.size > 0) {
      const fresh = this.ensureWorker();
      for (const p of this.pending.values()) fresh.send(p.request);
    }
  }

  private ensureWorker(): ProverProcess {
    if (this.worker !== null) return this.worker;
    const worker = this.spawn();
    worker.onMessage((message: WorkerMessage) => {
      if (this.worker !== worker) return; // a process killed by a cancel: its requests went to another
      const pending = this.pending.get(message.id);
      if (pending === undefined) return;
      if (message.type === 'progress') pending.progress?.(message.stage);
      else {
        this.pending.delete(message.id);
        if (message.type === 'result') pending.resolve(message.value);
        else pending.reject(new Error(message.message));
      }
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    worker.onExit(fail);
    this.worker = worker;
    return worker;
  }
}

/** A stage reporter that adds the time since the call began. */
function clock(progress: ProgressListener | undefined): (stage: ProveStage) => void {
  const started = performance.now();
  return (stage) => progress?.(stage, Math.round(performance.now() - started));
}
