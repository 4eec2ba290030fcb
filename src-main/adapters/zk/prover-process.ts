// The proving process as a port: the Prover talks to ONE process through it, with the same messages and the
// same cancel (a kill) whichever runtime starts it. Two adapters: `forkNodeProver` (here: child_process.fork,
// for the CLI and `defaust serve` under plain Node) and `src-main/electron/prover-process.ts`
// (utilityProcess.fork of the built zk-worker bundle, because the packaged app's runAsNode fuse is off and
// Electron's child_process.fork cannot run a script). The composition root picks one.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { siblingModule } from '../fs/sibling-module.ts';
import type { CircuitName } from './artifacts.ts';

/** What the Prover asks the proving process (the worker answers every id once: a result or an error). */
export type WorkerRequest =
  | { id: number; op: 'prove'; circuit: CircuitName; dir?: string; inputs: Record<string, unknown> }
  | { id: number; op: 'verify'; circuit: CircuitName; dir?: string; publicSignals: unknown; proof: unknown };

/** What the proving process tells the Prover: progress, then one result or one error per request. */
export type WorkerMessage =
  | { id: number; type: 'progress'; stage: 'witness' | 'proving' }
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; message: string };

/** One running proving process. */
export interface ProverProcess {
  /** Sends a request (structured-clone serialisation on both adapters). */
  send(request: WorkerRequest): void;
  /** Every message the process sends. */
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** Called once when the process stops or fails to start (a kill included). */
  onExit(listener: (error: Error) => void): void;
  /** Kills the process at once (a cancel); `exited` resolves when it is gone. */
  kill(): void;
  /** Resolves when the process has exited (at once when it already has). */
  exited(): Promise<void>;
}

/** Starts a proving process. */
export type SpawnProverProcess = () => ProverProcess;

/** Plain Node: child_process.fork of zk-worker (the source under the CLI and `serve`, the bundle when built). */
export function forkNodeProver(worker: URL = siblingModule(import.meta.url, 'zk-worker')): SpawnProverProcess {
  return () => {
    const child = fork(fileURLToPath(worker), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
    let gone = false;
    const exited = new Promise<void>((resolve) => child.once('exit', () => ((gone = true), resolve())));
    return {
      send: (request) => {
        if (!gone && child.connected) child.send(request);
      },
      onMessage: (listener) => void child.on('message', (m) => listener(m as WorkerMessage)),
      onExit: (listener) => {
        let told = false;
        const tell = (error: Error) => void (told || ((told = true), listener(error)));
        child.once('error', tell);
        child.once('exit', () => tell(new Error('the proving process stopped')));
      },
      kill: () => void (gone || child.kill('SIGKILL')),
      exited: () => exited,
    };
  };
}
