// The prover: proves and verifies Groth16 proofs in a worker thread (never on the UI or main thread),
// with progress events, over artifacts whose hashes were checked before loading.
import { fork, type ChildProcess } from 'node:child_process';
import { DefaustError } from '../../core/errors.ts';
import type { CircuitInputs } from '../../core/zk/inputs.ts';
import { loadCircuit, type CircuitName, type LoadedCircuit } from './artifacts.ts';
import type { WorkerMessage, WorkerRequest } from './zk-worker.ts';

export class ProofError extends DefaustError {
  override name = 'ProofError';
  constructor(message: string) {
    super('zk/proof', message);
  }
}

export interface Groth16Proof {
  proof: unknown;
  publicSignals: string[];
}

export type ProveStage = 'loading' | 'witness' | 'proving' | 'done';

/** A worker request without its id (distributed over the union). */
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

type Pending = { resolve(value: unknown): void; reject(error: Error): void; progress?: (stage: ProveStage) => void };

export class Prover {
  private worker: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly dir: string | undefined;

  constructor(dir?: string) {
    this.dir = dir;
  }

  circuit(name: CircuitName): LoadedCircuit {
    return loadCircuit(name, this.dir);
  }

  /** Proves `inputs` for `name`; a failed constraint (a false claim) rejects with ProofError. */
  async prove(name: CircuitName, inputs: CircuitInputs, progress?: (stage: ProveStage) => void): Promise<Groth16Proof> {
    progress?.('loading');
    const circuit = this.circuit(name);
    try {
      const result = (await this.call({ op: 'prove', circuit: circuit.name, ...this.dirPart(), inputs }, progress)) as Groth16Proof;
      progress?.('done');
      return result;
    } catch (error) {
      throw new ProofError(`no proof could be made: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /** Verifies with the circuit's verification key alone. Malformed proofs are invalid, never an exception. */
  async verify(name: CircuitName, proof: Groth16Proof): Promise<boolean> {
    const circuit = this.circuit(name);
    try {
      return (await this.call({ op: 'verify', circuit: circuit.name, ...this.dirPart(), publicSignals: proof.publicSignals, proof: proof.proof })) === true;
    } catch {
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
    if (worker && worker.exitCode === null) {
      await new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.kill();
      });
    }
  }

  private dirPart(): { dir?: string } {
    return this.dir === undefined ? {} : { dir: this.dir };
  }

  private call(request: RequestBody, progress?: (stage: ProveStage) => void): Promise<unknown> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(progress ? { progress } : {}) });
      worker.send({ ...request, id });
    });
  }

  private ensureWorker(): ChildProcess {
    if (this.worker !== null) return this.worker;
    const worker = fork(new URL('./zk-worker.ts', import.meta.url), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
    worker.on('message', (message: WorkerMessage) => {
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
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the proving process stopped')));
    this.worker = worker;
    return worker;
  }
}
