// The proving process under Electron: utilityProcess.fork of the BUILT zk-worker bundle (dist/electron/
// zk-worker.cjs, next to main.cjs). The packaged app's runAsNode fuse is off, so child_process.fork cannot
// start a script there; a utility process is Electron's own Node child. Same messages and the same cancel
// (a kill) as the plain-Node adapter in adapters/zk/prover-process.ts; the worker answers on process.parentPort.
import type { ProverProcess, SpawnProverProcess, WorkerMessage } from '../adapters/zk/prover-process.ts';

/** What this adapter uses of a child Electron's `utilityProcess.fork` returns. */
export interface UtilityChild {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** What this adapter uses of Electron's `utilityProcess` (test/electron-shim implements it with child_process). */
export interface UtilityProcessFork {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'ignore' | 'inherit' | 'pipe' }): UtilityChild;
}

/** A SpawnProverProcess that forks `workerPath` (an absolute path to the built zk-worker.cjs) as a utility process. */
export function forkUtilityProver(utility: UtilityProcessFork, workerPath: string): SpawnProverProcess {
  return (): ProverProcess => {
    const child = utility.fork(workerPath, [], { serviceName: 'DeFaust prover', stdio: 'ignore' });
    let gone = false;
    const exited = new Promise<void>((resolve) => child.once('exit', () => ((gone = true), resolve())));
    return {
      send: (request) => {
        if (!gone) child.postMessage(request);
      },
      onMessage: (listener) => void child.on('message', (message: unknown) => listener(message as WorkerMessage)),
      onExit: (listener) => void child.once('exit', (code: number) => listener(new Error(`the proving process stopped (exit code ${code})`))),
      kill: () => void (gone || child.kill()),
      exited: () => exited,
    };
  };
}
