// FOR TESTS ONLY: Electron's `utilityProcess.fork` implemented with child_process.fork, because no Electron
// binary runs on these machines. The child gets `process.parentPort` (parent-port.cjs) and structured-clone
// messages, as a utility process does; `message` and `exit` events and `kill()` behave as Electron documents.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';

const PARENT_PORT = fileURLToPath(new URL('./parent-port.cjs', import.meta.url));

export class ShimUtilityProcess extends EventEmitter {
  readonly pid: number | undefined;
  private readonly child: ReturnType<typeof fork>;

  constructor(modulePath: string, args: string[]) {
    super();
    this.child = fork(modulePath, args, { execArgv: ['--require', PARENT_PORT], stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
    this.pid = this.child.pid;
    this.child.on('spawn', () => this.emit('spawn'));
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code, signal) => this.emit('exit', code ?? (signal === null ? 0 : 1)));
  }

  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as never);
  }

  kill(): boolean {
    return this.child.kill('SIGKILL');
  }
}

/** The part of Electron's `utilityProcess` that src-main/electron/prover-process.ts uses. */
export const utilityProcess = {
  forks: 0,
  fork(modulePath: string, args: string[] = []): ShimUtilityProcess {
    this.forks++;
    return new ShimUtilityProcess(modulePath, args);
  },
};
